"""The deficit map and the competency index pages over test_rollups' small district (hand numbers there):
organisation A 4 teachers (2 deficits, mean 0,563), B 2 (1 deficit, 0,600), district 6 (3, 0,575), cluster «Север»
= A. Observers see no organisation or cluster cell of fewer than 5 teachers; methodists and the director see all."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.diagnostics.test_rollups import small_district

MAP = reverse("diagnostics:deficit_map")
INDEX = reverse("diagnostics:competency_index")


def cells(response, testid="cell") -> list[str]:
    html = response.content.decode()
    found = re.findall(rf'data-testid="{testid}">(.*?)</td>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


@pytest.fixture
def small(district_a):
    return small_district(district_a)


def methodical_column(values: list[str], areas: int = 8) -> list[str]:
    return values[1::areas]  # «методические» is the second competency area


@pytest.mark.django_db
def test_deficit_map_methodist_sees_every_cell(methodist_client, small):
    response = methodist_client.get(MAP, {"family": "competencies", "year": "2021"})
    assert response.status_code == 200
    # Rows: Школа А, Школа Б (by short name), then the district total.
    assert methodical_column(cells(response)) == ["50,0 % (4)", "50,0 % (2)"]
    assert methodical_column(cells(response, "total")) == ["50,0 % (6)"]


@pytest.mark.django_db
def test_deficit_map_observer_sees_no_small_group(observer_client, small):
    response = observer_client.get(MAP, {"family": "competencies", "year": "2021"})
    assert methodical_column(cells(response)) == ["скрыто", "скрыто"]
    assert methodical_column(cells(response, "total")) == ["50,0 % (6)"]  # the district is always shown
    _, _, cluster = small
    response = observer_client.get(MAP, {"family": "competencies", "cluster": cluster.pk})
    assert methodical_column(cells(response, "total")) == ["скрыто"]
    assert "0,500" not in response.content.decode()


@pytest.mark.django_db
def test_deficit_map_cluster_for_director(director_client, small):
    _, _, cluster = small
    response = director_client.get(MAP, {"family": "competencies", "cluster": cluster.pk})
    assert methodical_column(cells(response)) == ["50,0 % (4)"]  # only Школа А is a member
    assert methodical_column(cells(response, "total")) == ["50,0 % (4)"]


@pytest.mark.django_db
def test_deficit_map_bad_input_and_refusals(methodist_client, school_admin_client, other_methodist_client, small):
    response = methodist_client.get(MAP, {"family": "nonsense", "year": "20x1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Неизвестное семейство «nonsense»" in text and "За год «20x1» результатов диагностики нет" in text
    assert methodist_client.get(MAP, {"cluster": "abc"}).status_code == 404
    assert school_admin_client.get(MAP).status_code == 403
    _, _, cluster = small
    assert other_methodist_client.get(MAP, {"cluster": cluster.pk}).status_code == 404


@pytest.mark.django_db
def test_competency_index_table_and_chart(methodist_client, district_a, small):
    response = methodist_client.get(INDEX, {"scope": f"district:{district_a.pk}"})
    assert response.status_code == 200
    # Years as columns (2020, 2021), areas as rows; «методические» is the second row.
    assert cells(response)[2:4] == ["0,200", "0,575"]
    assert 'data-testid="competency-index-chart"><svg' in response.content.decode().replace("\n", "")
    org_a, org_b, _ = small
    response = methodist_client.get(INDEX, {"scope": f"organisation:{org_b.pk}"})
    assert cells(response)[1] == "0,600"  # B has 2021 only


@pytest.mark.django_db
def test_competency_index_observer_and_refusals(observer_client, school_admin_client, other_methodist_client,
                                                district_a, small):
    org_a, _, cluster = small
    response = observer_client.get(INDEX, {"scope": f"district:{district_a.pk}"})
    assert cells(response)[2:4] == ["0,200", "0,575"]
    response = observer_client.get(INDEX, {"scope": f"organisation:{org_a.pk}"})
    assert cells(response)[2:4] == ["скрыто", "скрыто"]
    response = observer_client.get(INDEX, {"scope": f"cluster:{cluster.pk}"})
    assert "0,563" not in response.content.decode()
    assert school_admin_client.get(INDEX).status_code == 403
    assert other_methodist_client.get(INDEX, {"scope": f"district:{district_a.pk}"}).status_code == 404
    assert other_methodist_client.get(INDEX, {"scope": f"organisation:{org_a.pk}"}).status_code == 404
    assert observer_client.get(INDEX, {"scope": "cluster:x"}).status_code == 404
