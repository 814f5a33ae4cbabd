import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.scope import Scope
from monitoring.models import Value, ValueChange
from monitoring.services import period_approve, recompute_programme

pytestmark = pytest.mark.django_db


def _xlsx(rows, header=("Показатель", "Период", "Объект", "План", "Факт")) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue())


def _import(client, programme, upload):
    return client.post(reverse("monitoring:import", args=[programme.pk]), {"file": upload})


def test_import_sets_plan_and_fact_for_district_cluster_and_organisation(
    methodist_client, network_programme, small_district
):
    c1, o1 = small_district["c1"], small_district["o"][1]
    upload = _xlsx([
        ("entered", "2020", "район", 10, 10),
        ("entered", "2021", "район", "40", "54,8"),
        ("entered", "2021", c1.name, 35, 50),
        ("entered", "2021", o1.code, 20, None),
        ("net_schools_share", "2021", "район", 40, None),  # a plan for a computed indicator
    ])
    response = _import(methodist_client, network_programme, upload)
    assert response.status_code == 302
    values = {(v.period.label, v.scope_key): (v.plan, v.fact) for v in Value.objects.filter(indicator__code="entered")}
    assert values == {
        ("2020", "district"): (Decimal(10), Decimal(10)),
        ("2021", "district"): (Decimal(40), Decimal("54.8")),
        ("2021", f"cluster:{c1.pk}"): (Decimal(35), Decimal(50)),
        ("2021", f"organisation:{o1.pk}"): (Decimal(20), None),
    }
    assert Value.objects.get(indicator__code="net_schools_share").plan == Decimal(40)


def test_bad_rows_change_nothing_and_every_error_is_listed(methodist_client, network_programme, small_district):
    upload = _xlsx([
        ("entered", "2021", "район", 40, 50),           # fine, but must not be saved
        ("nope", "2021", "район", 40, 50),              # row 3: unknown indicator
        ("entered", "2031", "район", 40, 50),           # row 4: unknown period
        ("entered", "2021", "ГБОУ нет такой", 40, 50),  # row 5: unknown object
        ("entered", "2020", "район", "много", 50),      # row 6: not a number
        ("entered", "2020", "район", 40, 150),          # row 7: percent out of range
        ("net_schools_share", "2021", "район", 40, 70),  # row 8: typed fact of a computed indicator
    ])
    response = _import(methodist_client, network_programme, upload)
    assert response.status_code == 200
    errors = [str(e) for e in response.context["result"].errors]
    assert errors[0].startswith("строка 3, столбец «Показатель»")
    assert any(e.startswith("строка 4, столбец «Период»") for e in errors)
    assert any(e.startswith("строка 5, столбец «Объект»") for e in errors)
    assert any(e.startswith("строка 6, столбец «План»") and "не число" in e for e in errors)
    assert not Value.objects.exists()
    # The number errors are found once the names resolve: fix rows 3-6 and check 7 and 8.
    upload = _xlsx([("entered", "2020", "район", 40, 150), ("net_schools_share", "2021", "район", 40, 70)])
    errors = [str(e) for e in _import(methodist_client, network_programme, upload).context["result"].errors]
    assert errors == [
        "строка 2, столбец «Факт»: Процент должен быть от 0 до 100.",
        "строка 3, столбец «Факт»: значение этого показателя вычисляется автоматически; его нельзя ввести вручную.",
    ]
    assert not Value.objects.exists()


def test_locked_period_refuses_import(methodist_client, director, network_programme, district_a):
    period_approve(period=network_programme.periods.get(label="2021"), scope=Scope.of_district(district_a),
                   user=director)
    response = _import(methodist_client, network_programme, _xlsx([("entered", "2021", "район", 40, 50)]))
    assert response.status_code == 200
    assert "— изменения запрещены" in str(response.context["result"].errors[0])
    assert not Value.objects.exists()


def test_export_then_import_changes_nothing(methodist_client, network_programme, small_district):
    recompute_programme(network_programme)
    _import(methodist_client, network_programme, _xlsx([("entered", "2021", "район", "40", "54,8"),
                                                          ("net_schools_share", "2021", "район", 40, None)]))
    before = sorted(Value.objects.values_list("pk", "plan", "fact", "version"))
    changes = ValueChange.objects.count()
    export = methodist_client.get(reverse("monitoring:export", args=[network_programme.pk]), {"scope": "district"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Показатель", "Период", "Объект", "План", "Факт")
    exported = {row[:3]: row[3:5] for row in rows[1:]}
    assert exported[("net_schools_share", "2021", "район")] == (40, 60)
    response = _import(methodist_client, network_programme, SimpleUploadedFile("back.xlsx", export.content))
    assert response.status_code == 302
    assert sorted(Value.objects.values_list("pk", "plan", "fact", "version")) == before
    assert ValueChange.objects.count() == changes


def test_not_an_xlsx_is_refused(methodist_client, network_programme):
    upload = SimpleUploadedFile("plan.xlsx", b"\x89PNG\r\n\x1a\n not a workbook")
    response = _import(methodist_client, network_programme, upload)
    assert response.status_code == 200
    assert "не является книгой Excel" in str(response.context["result"].errors[0])


def test_import_refused_to_director_and_other_district(director_client, other_methodist_client, network_programme):
    upload = _xlsx([("entered", "2021", "район", 40, 50)])
    assert _import(director_client, network_programme, upload).status_code == 403
    assert _import(other_methodist_client, network_programme, _xlsx([])).status_code == 404
    assert not Value.objects.exists()
