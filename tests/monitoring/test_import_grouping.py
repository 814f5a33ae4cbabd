"""Plan/fact import: errors sharing a cause are one line each, and a district without organisations is told what to
load first (issue 14, item 5). Before, the page listed every row's error on its own line."""
import re

import pytest
from django.urls import reverse

from monitoring.models import Value
from tests.monitoring.test_xlsx import _import, _xlsx

pytestmark = pytest.mark.django_db


def _alert(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger" role="alert" data-testid="import-errors">.*?</div>', html,
                      re.S)
    assert match, "no error alert on the page"
    return match.group(0)


def _file():
    # Rows 2–31: 30 rows for «NEV-S300», which the district does not have; rows 32–41: 10 rows of an unknown
    # indicator; row 42: a fine row (not saved either).
    rows = [("entered", "2021", "NEV-S300", 10, 10)] * 30 + [("nope", "2021", "район", 1, 1)] * 10
    return _xlsx([*rows, ("entered", "2020", "район", 5, 5)])


def test_plan_fact_errors_are_grouped_with_the_order_hint(methodist_client, network_programme):
    response = _import(methodist_client, network_programme, _file())

    assert response.status_code == 200
    result = response.context["result"]
    assert len(result.errors) == 40
    assert result.grouped_errors == [
        "столбец «Объект»: «NEV-S300» — нет такой организации (по коду) или кластера 2021 года в районе "
        "— 30 строк: 2–31",
        "столбец «Показатель»: нет показателя с кодом «nope» в программе — 10 строк: 32–41",
    ]
    assert result.hint == (
        "Сначала загрузите организации района: в районе «Фрунзенский район» ещё нет ни одной организации, поэтому "
        "коды организаций из файла не находятся. Порядок загрузки: организации → педагоги → участие в кластерах "
        "→ план/факт (этот файл)."
    )
    alert = _alert(response.content.decode())
    assert alert.count("<li>") == 2
    assert "Найдено ошибок: 40 (причин: 2)." in alert
    assert "Сначала загрузите организации района" in alert
    assert not Value.objects.exists()


def test_a_plan_fact_file_of_thousands_of_unknown_objects_gives_a_small_alert(methodist_client, network_programme):
    # 3,394 rows (2–3395) for 141 school codes the district does not have: row n names NEV-k, k = (n − 2) mod 141.
    # 3,394 = 141 × 24 + 10: NEV-000…NEV-009 have 25 rows, the other 131 codes 24; causes 21–141 hold
    # 121 × 24 = 2,904 rows.
    rows = [("entered", "2021", f"NEV-{(n - 2) % 141:03}", 1, 1) for n in range(2, 3396)]
    response = _import(methodist_client, network_programme, _xlsx(rows))

    alert = _alert(response.content.decode())
    assert len(alert.encode()) < 8 * 1024  # every row on its own line made ≈ 330 KB
    assert alert.count("<li>") == 20
    assert "«NEV-000» — нет такой организации (по коду) или кластера 2021 года в районе — 25 строк: 2, 143, 284," in alert
    assert "и ещё 121 причина (2\xa0904 строки)." in alert
    assert "Сначала загрузите организации района" in alert
    assert not Value.objects.exists()


def test_no_hint_when_the_objects_are_known(methodist_client, network_programme, small_district):
    upload = _xlsx([("entered", "2021", "o1", 10, 10), ("entered", "2021", "C1", 10, 10),
                    ("entered", "2021", "o99", 10, 10), ("entered", "2021", "o99", 10, 10)])

    result = _import(methodist_client, network_programme, upload).context["result"]

    assert result.grouped_errors == [
        "столбец «Объект»: «o99» — нет такой организации (по коду) или кластера 2021 года в районе — 2 строки: 4–5",
    ]
    assert result.hint == ""
    assert not Value.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("director_client", 403), ("observer_client", 403),
                                                  ("other_methodist_client", 404)])
def test_the_import_is_refused_to_others(request, persona, status, network_programme):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("monitoring:import", args=[network_programme.pk])).status_code == status
    assert _import(client, network_programme, _file()).status_code == status
    assert not Value.objects.exists()
