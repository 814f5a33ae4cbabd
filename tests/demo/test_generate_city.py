"""`manage.py generate_city` (issue 15.7) at a tiny scale: two districts, fixed staff sizes.

The counts are worked out by hand from demo/city.py's SCALES["small"]:
- organisations per district: 4 schools + 5 kindergartens + 1 УДО + 1 other = 11, none closed;
- teachers per district: 4 × 12 + 5 × 6 + 8 + 4 = 90;
- clusters: 2 a year × 5 years = 10; memberships: 30 %, 36 %, 42 %, 48 %, 54 % of 11 active organisations
  rounded = 3 + 4 + 5 + 5 + 6 = 23;
- indicators: the 4 network indicators of seed 000 + 3 entered ones = 7 per programme; values: 7 × 5 years at
  the district + 6 percent indicators × 10 clusters = 95 per district;
- campaigns: 2 per district with 30 anonymous answers each; users: methodist, director, observer per district.
"""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from clusters.models import Cluster, ClusterMembership, District, Organisation, Teacher
from imc_portal.models import Role, User
from monitoring.models import Indicator, Programme, Value
from surveys.models import Campaign, Response

pytestmark = pytest.mark.django_db


def _generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_city", "--districts", "2", "--scale", "small", *args, stdout=out)
    return out.getvalue()


def test_small_city_has_the_counts_worked_out_by_hand():
    output = _generate()

    districts = District.objects.filter(code__startswith="city-").order_by("code")
    assert [d.name for d in districts] == ["Адмиралтейский район", "Василеостровский район"]
    assert {d.region.name for d in districts} == {"Санкт-Петербург"}
    for district in districts:
        assert Organisation.objects.filter(district=district).count() == 11
        assert Teacher.objects.filter(organisation__district=district).count() == 90
        assert Cluster.objects.filter(district=district).count() == 10
        per_year = dict(ClusterMembership.objects.filter(cluster__district=district)
                        .values_list("cluster__year").annotate(n=Count("id")))
        assert per_year == {2020: 3, 2021: 4, 2022: 5, 2023: 5, 2024: 6}
        programme = Programme.objects.get(district=district)
        assert programme.periods.count() == 5
        assert Value.objects.filter(district=district).count() == 95
        assert sorted(Campaign.objects.filter(district=district).annotate(n=Count("responses"))
                      .values_list("n", flat=True)) == [30, 30]
        roles = sorted(User.objects.filter(district=district).values_list("role", flat=True))
        assert roles == sorted([Role.METHODIST, Role.DIRECTOR, Role.OBSERVER])
    # The same indicator codes in both districts (the city comparison needs them).
    codes = [set(Indicator.objects.filter(programme__district=d).values_list("code", flat=True)) for d in districts]
    assert codes[0] == codes[1] and len(codes[0]) == 7
    assert Response.objects.filter(campaign__district__in=districts).count() == 120
    assert "Пользователи (пароль у всех «city12345»)" in output
    assert "metodist_admiralteysky" in output


def test_search_text_is_filled_by_the_bulk_writes():
    _generate()
    teacher = Teacher.objects.filter(organisation__district__code="city-admiralteysky").first()
    assert teacher.search_text and teacher.search_text == teacher.search_text.casefold()
    assert teacher.full_name.split()[0].casefold().replace("ё", "е") in teacher.search_text
    assert not Organisation.objects.filter(district__code__startswith="city-", search_text="").exists()


def test_a_second_run_refuses_and_changes_nothing():
    _generate()
    before = Teacher.objects.count()
    with pytest.raises(CommandError, match="уже есть сгенерированный город"):
        _generate()
    assert Teacher.objects.count() == before


def test_big_campaign_option_adds_one_campaign_with_that_many_responses():
    _generate("--responses", "120")
    big = Campaign.objects.get(title__contains="нагрузочная")
    assert big.district.code == "city-admiralteysky"
    assert big.responses.count() == 120
    assert big.responses.filter(answers__isnull=True).count() == 0
    # Its answers went in by COPY / bulk_create, past the services that keep the counts: rebuilt after.
    from tests.surveys.test_aggregates import from_counts, hand_group_by

    hand = hand_group_by(big)
    assert sum(hand["responses"].values()) == 120 and from_counts(big) == hand
