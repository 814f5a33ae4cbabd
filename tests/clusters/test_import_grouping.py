"""Registry imports group errors that share a cause and say what to load first (issue 14, item 5).

Before: importing teachers of a district whose organisations were not loaded gave one line per row (3,394 lines,
≈ 327 KB in one alert) and no word about the order organisations → teachers → memberships → plan/fact.
"""
import re

import pytest
from django.urls import reverse

from clusters import imports
from clusters.models import Cluster, ClusterMembership, Organisation, Teacher
from tests.clusters.test_import import MEMBERSHIP_HEADER, ORG_HEADER, TEACHER_HEADER, make_xlsx, upload

pytestmark = pytest.mark.django_db

ALERT_LIMIT = 8 * 1024  # bytes of the alert (UTF-8; Cyrillic is two bytes a letter), whatever the number of rows
PAGE_LIMIT = 60 * 1024  # the whole import page with that alert


def _code_of(row: int) -> str:
    """Rows 2–62 NEV-S300 (61), 63–122 NEV-S301 (60), 123–200 NEV-S302 (78), then odd rows 201–301 NEV-S303 (51)
    and even rows 202–300 NEV-S304 (50): 300 teachers, five codes, none of them an organisation of the district."""
    if row <= 62:
        return "NEV-S300"
    if row <= 122:
        return "NEV-S301"
    if row <= 200:
        return "NEV-S302"
    return "NEV-S303" if row % 2 else "NEV-S304"


def _teachers_file():
    return make_xlsx([TEACHER_HEADER] + [
        [f"T-{row}", _code_of(row), f"Педагог {row}", "учитель", None, None, None, None] for row in range(2, 302)
    ])


def _alert(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger" role="alert" data-testid="import-errors">.*?</div>', html,
                      re.S)
    assert match, "no error alert on the page"
    return match.group(0)


NOT_FOUND = "столбец «Код организации»: организация с кодом «{}» не найдена в вашем районе"
EXPECTED_TEACHER_GROUPS = [
    NOT_FOUND.format("NEV-S300") + " — 61 строка: 2–62",
    NOT_FOUND.format("NEV-S301") + " — 60 строк: 63–122",
    NOT_FOUND.format("NEV-S302") + " — 78 строк: 123–200",
    NOT_FOUND.format("NEV-S303") + " — 51 строка: 201, 203, 205, 207, 209, 211, 213, 215, 217, 219, 221, 223, …",
    NOT_FOUND.format("NEV-S304") + " — 50 строк: 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, …",
]


def test_teachers_before_organisations_give_five_grouped_lines_and_the_order(methodist, district_a):
    result = imports.import_teachers(user=methodist, file=_teachers_file())

    assert len(result.errors) == 300  # every row's error is still there for whoever needs it
    assert result.grouped_errors == EXPECTED_TEACHER_GROUPS
    assert [group.count for group in result.error_report.groups] == [61, 60, 78, 51, 50]
    assert result.hint == (
        "Сначала загрузите организации района: в районе «Фрунзенский район» ещё нет ни одной организации, поэтому "
        "коды организаций из файла не находятся. Порядок загрузки: организации → педагоги (этот файл) → "
        "участие в кластерах → план/факт."
    )
    assert not Teacher.objects.exists()


def test_the_import_page_shows_the_groups_in_a_few_kilobytes(methodist_client, district_a):
    response = upload(methodist_client, "teachers", _teachers_file())

    assert response.status_code == 200
    html = response.content.decode()
    alert = _alert(html)
    assert len(alert.encode()) < ALERT_LIMIT
    assert len(response.content) < PAGE_LIMIT
    assert alert.count("<li>") == 5
    assert "Найдено ошибок: 300 (причин: 5)." in alert
    assert "— 61 строка: 2–62" in alert
    assert "Сначала загрузите организации района" in alert
    assert f'href="{reverse("clusters:import")}?kind=organisations"' in alert
    assert not Teacher.objects.exists()


def test_the_alert_stays_small_for_thousands_of_rows_and_caps_the_causes(methodist_client, district_a):
    # 3,394 teachers (rows 2–3395) of 30 unknown codes, scattered as a list sorted by name would scatter them:
    # row n names NEV-k with k = (n − 2) mod 30. 3,394 = 30 × 113 + 4, so NEV-000…NEV-003 have 114 rows and
    # NEV-004…NEV-029 have 113; NEV-k first appears in row 2 + k, which orders the causes.
    rows = [[f"T-{n}", f"NEV-{(n - 2) % 30:03}", f"Педагог {n}", "учитель"] for n in range(2, 3396)]
    response = upload(methodist_client, "teachers", make_xlsx([TEACHER_HEADER[:4], *rows]))

    alert = _alert(response.content.decode())
    assert len(alert.encode()) < ALERT_LIMIT
    assert alert.count("<li>") == 20
    assert ("«NEV-000» не найдена в вашем районе — 114 строк: "
            "2, 32, 62, 92, 122, 152, 182, 212, 242, 272, 302, 332, …</li>") in alert
    assert "«NEV-019» не найдена в вашем районе — 113 строк: 21, 51, 81," in alert
    assert "NEV-020" not in alert
    # Causes 21–30 are NEV-020…NEV-029: 10 × 113 = 1,130 rows.
    assert "и ещё 10 причин (1\xa0130 строк)." in alert
    assert "Найдено ошибок: 3\xa0394 (причин: 30)." in alert
    assert not Teacher.objects.exists()


def test_no_hint_when_most_codes_are_known(methodist, school_a, school_b):
    file = make_xlsx([TEACHER_HEADER[:4], ["T-1", "OU-A", "А", "учитель"], ["T-2", "OU-B", "Б", "учитель"],
                      ["T-3", "OU-X", "В", "учитель"], ["T-4", "OU-X", "Г", "учитель"]])

    result = imports.import_teachers(user=methodist, file=file)

    assert result.grouped_errors == [NOT_FOUND.format("OU-X") + " — 2 строки: 4–5"]
    assert result.hint == ""
    assert not Teacher.objects.exists()


def test_memberships_with_mostly_unknown_codes_get_the_hint(methodist, school_a):
    file = make_xlsx([MEMBERSHIP_HEADER, [2021, "Кластер 1", "OU-A", "Тема", "ТОП"],
                      [2021, "Кластер 1", "NEV-1", "Тема", "ТОП"], [2021, "Кластер 1", "NEV-2", "Тема", "ТОП"]])

    result = imports.import_memberships(user=methodist, file=file)

    assert result.grouped_errors == ["строка 3, " + NOT_FOUND.format("NEV-1"), "строка 4, " + NOT_FOUND.format("NEV-2")]
    assert result.hint.startswith("Сначала загрузите организации района: из организаций, названных в файле, "
                                  "не найдено 2 из 3 — ")
    assert "→ участие в кластерах (этот файл) →" in result.hint
    assert not Cluster.objects.exists() and not ClusterMembership.objects.exists()


def test_organisation_file_groups_empty_cells_of_a_column(methodist_client, district_a):
    # «Краткое наименование» empty in rows 5, 9, 14 and 15 of fifteen rows (2–15 are data).
    rows = [[f"S{n}", "" if n in (5, 9, 14, 15) else f"Школа {n}", f"Школа № {n}", "школа", "Фрунзенский район",
             "", ""] for n in range(2, 16)]
    response = upload(methodist_client, "organisations", make_xlsx([ORG_HEADER, *rows]))

    assert response.status_code == 200
    assert response.context["result"].grouped_errors == [
        "столбец «Краткое наименование»: не заполнено — 4 строки: 5, 9, 14–15",
    ]
    assert "— 4 строки: 5, 9, 14–15" in _alert(response.content.decode())
    assert response.context["result"].hint == ""
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("persona", ["director_client", "school_admin_client", "observer_client"])
def test_the_import_page_refuses_other_roles(request, persona, district_a):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("clusters:import")).status_code == 403
    assert upload(client, "teachers", _teachers_file()).status_code == 403
    assert not Teacher.objects.exists()
