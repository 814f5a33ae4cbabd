"""The plan/fact table's scope picker kept per version of the district's clusters and organisations (issue 15.3)."""
from datetime import date

import pytest
from django.urls import reverse

from clusters.models import Cluster, Organisation
from monitoring import selectors
from monitoring.models import Period, PeriodKind, Programme

pytestmark = pytest.mark.django_db


def picker(client, programme) -> str:
    response = client.get(reverse("monitoring:programme_detail", args=[programme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('id="scope"')[1].split("</select>")[0]


@pytest.fixture
def programme_b(district_b):
    programme = Programme.objects.create(district=district_b, code="b", name="Программа Б", period_kind=PeriodKind.YEAR)
    Period.objects.create(programme=programme, label="2021", starts_on=date(2021, 1, 1), ends_on=date(2021, 12, 31))
    return programme


def test_a_change_of_the_district_shows_on_the_next_read(network_programme, school_a, school_b, methodist_client,
                                                         school_admin_client, monkeypatch):
    first = picker(methodist_client, network_programme)
    assert f'value="organisation:{school_a.pk}">ОУ: {school_a.short_name}<' in first
    calls = []
    build = selectors._picker_choices
    monkeypatch.setattr(selectors, "_picker_choices", lambda district: calls.append(district) or build(district))
    assert picker(methodist_client, network_programme) == first and calls == []  # served from the cache

    Organisation.objects.filter(pk=school_a.pk).update(short_name="Школа «Новое имя»")
    renamed = picker(methodist_client, network_programme)
    assert "ОУ: Школа «Новое имя»" in renamed and f">ОУ: {school_a.short_name}<" not in renamed
    Organisation.objects.filter(pk=school_b.pk).update(is_active=False)
    assert f'value="organisation:{school_b.pk}"' not in picker(methodist_client, network_programme)
    cluster = Cluster.objects.create(district=school_a.district, year=2022, name="Север")
    assert f'<option value="cluster:{cluster.pk}">Кластер 2022: Север</option>' in picker(methodist_client,
                                                                                          network_programme)
    assert len(calls) == 3  # rebuilt once per change

    refused = school_admin_client.get(reverse("monitoring:programme_detail", args=[network_programme.pk]))
    assert refused.status_code == 403


def test_each_district_has_its_own_picker(network_programme, programme_b, school_a, school_other_district,
                                          methodist_client, other_methodist_client):
    own = picker(methodist_client, network_programme)
    other = picker(other_methodist_client, programme_b)
    assert school_a.short_name in own and school_other_district.short_name not in own
    assert school_other_district.short_name in other and school_a.short_name not in other
    # a methodist does not open another district's programme
    assert methodist_client.get(reverse("monitoring:programme_detail", args=[programme_b.pk])).status_code == 404
