"""The results index against numbers worked out by hand (three schools, one group)."""
from decimal import Decimal

import pytest

from network import results_index
from tests.factories import DistrictFactory, OrganisationFactory
from tests.network.factories import result

pytestmark = pytest.mark.django_db


def test_three_schools_one_group_by_hand():
    district = DistrictFactory()
    a, b, c = (OrganisationFactory(district=district) for _ in range(3))
    # Means 4.0, 3.0, 3.5: group mean 3.5; σ = √(((0.5)² + (0.5)² + 0²) / 3) = 0.408248…
    result(a, "Математика", "4.0", participants=50)
    result(b, "Математика", "3.0", participants=50)
    result(c, "Математика", "3.5", participants=100)
    # A second subject where only A wrote: one organisation, no z — left out of A's index.
    result(a, "Физика", "2.0", participants=10)
    indices = results_index.organisation_indices(district.pk, 2020)
    assert indices[a.pk].index == Decimal("1.225")  # 0.5 / 0.408248 = 1.2247
    assert indices[b.pk].index == Decimal("-1.225")
    assert indices[c.pk].index == Decimal("0.000")
    assert (indices[a.pk].participants, indices[a.pk].rows) == (50, 1)
    rows = results_index.z_rows(district.pk, 2020, [a.pk])
    assert [(r.subject, r.z, r.group_size) for r in rows] == [("Математика", Decimal("1.225"), 3), ("Физика", None, 1)]
    assert rows[0].group_sd == Decimal("0.408")
    assert results_index.subject_z(district.pk, 2020)[(b.pk, "Математика")] == Decimal("-1.225")
    assert results_index.organisation_indices(district.pk, 2019) == {}
