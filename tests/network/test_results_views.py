"""Results pages: list, filters, export, import page, template, procedures, the organisation panel —
each with a persona allowed and one refused."""
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from network.models import AssessmentResult, Procedure
from tests.factories import ClusterFactory, ClusterMembershipFactory
from tests.network.factories import ProcedureFactory, result
from tests.network.test_results_import import HEADER, make_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(school_a, school_b, school_other_district):
    return {
        "a": result(school_a, "Математика", 4.15, year=2021, failed_share=2.5, good_share=54.8),
        "b": result(school_b, "Математика", 3.5, year=2021),
        "a_old": result(school_a, "Физика", 3.9, year=2017),
        "other": result(school_other_district, "Математика", 3.1, year=2021),
    }


def listed(response) -> list[int]:
    return sorted(r.pk for r in response.context["object_list"])


def test_methodist_sees_the_districts_results_with_russian_numbers(methodist_client, results):
    response = methodist_client.get(reverse("network:results"))
    assert response.status_code == 200
    assert listed(response) == sorted(results[k].pk for k in ("a", "b", "a_old"))
    html = response.content.decode()
    assert "54,8\u00a0%" in html and "2,5\u00a0%" in html and "4,15" in html
    # Means keep two decimals in the column (3.5 → «3,50»), as on the tiers page, not «3,5» beside «4,15».
    assert ">3,50<" in html


def test_other_districts_methodist_sees_none_of_district_a(other_methodist_client, results):
    response = other_methodist_client.get(reverse("network:results"))
    assert listed(response) == [results["other"].pk]


def test_school_admin_sees_only_own_organisations_rows(school_admin_client, results):
    response = school_admin_client.get(reverse("network:results"))
    assert listed(response) == sorted([results["a"].pk, results["a_old"].pk])
    # A school has nothing to choose: no organisation filter, and asking for the neighbour's rows by hand
    # still lists only the school's own.
    assert 'name="organisation"' not in response.content.decode()
    response = school_admin_client.get(reverse("network:results"), {"organisation": results["b"].organisation_id})
    assert listed(response) == sorted([results["a"].pk, results["a_old"].pk])


def test_portal_admin_and_anonymous_are_refused(portal_admin_client, anonymous):
    assert portal_admin_client.get(reverse("network:results")).status_code == 403
    assert anonymous.get(reverse("network:results")).status_code == 302


def test_filters_year_procedure_subject_grade_organisation_cluster(methodist_client, district_a, school_a, results):
    url = reverse("network:results")
    assert listed(methodist_client.get(url, {"year": 2017})) == [results["a_old"].pk]
    assert listed(methodist_client.get(url, {"subject": "Физика"})) == [results["a_old"].pk]
    assert listed(methodist_client.get(url, {"organisation": school_a.pk})) == sorted(
        [results["a"].pk, results["a_old"].pk])
    assert listed(methodist_client.get(url, {"grade": 11})) == []
    ege = Procedure.objects.get(district=None, name="ЕГЭ")
    assert listed(methodist_client.get(url, {"procedure": ege.pk})) == []
    cluster = ClusterFactory(district=district_a, year=2022)
    ClusterMembershipFactory(cluster=cluster, organisation=school_a)
    assert listed(methodist_client.get(url, {"cluster": cluster.pk, "year": 2021})) == [results["a"].pk]


def test_export_holds_the_filtered_rows_with_the_import_headers(director_client, results):
    response = director_client.get(reverse("network:results_export"), {"year": 2021})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert sorted(r[4] for r in rows[1:]) == ["OU-A", "OU-B"]  # district A's 2021 rows, not district B's


def test_school_admins_export_is_their_own(school_admin_client, results):
    sheet = load_workbook(io.BytesIO(school_admin_client.get(reverse("network:results_export")).content)).active
    assert {r[4] for r in list(sheet.iter_rows(values_only=True))[1:]} == {"OU-A"}


def test_import_page_methodist_uploads_and_is_told_the_counts(methodist_client, school_a):
    assert methodist_client.get(reverse("network:results_import")).status_code == 200
    response = methodist_client.post(reverse("network:results_import"), {"file": make_xlsx(
        [HEADER, [2021, "ВПР", "Математика", 5, "OU-A", 30, 3.7, 4, 60]])}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:results")
    assert "создано 1, изменено 0, без изменений 0" in response.content.decode()
    assert AssessmentResult.objects.count() == 1


def test_import_page_shows_grouped_errors_and_writes_nothing(methodist_client, school_a):
    rows = [HEADER] + [[2021, "ВПР", f"Предмет {i}", 5, "NOPE", 30, 3.7, None, None] for i in range(30)]
    response = methodist_client.post(reverse("network:results_import"), {"file": make_xlsx(rows)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "столбец «Код организации»: организация с кодом «NOPE» не найдена в вашем районе — 30 строк: 2–31" in html
    assert html.count("не найдена в вашем районе") == 1
    # The district has one organisation and the file names only an unknown one: what to load first, once.
    assert html.count("Сначала загрузите организации района: из организаций, названных в файле, не найдено 1 из 1") == 1
    assert AssessmentResult.objects.count() == 0


@pytest.mark.parametrize("persona", ["observer_client", "director_client", "school_admin_client"])
def test_only_the_methodist_imports(request, persona, school_a):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("network:results_import")).status_code == 403
    response = client.post(reverse("network:results_import"), {"file": make_xlsx(
        [HEADER, [2021, "ВПР", "Математика", 5, "OU-A", 30, 3.7, 4, 60]])})
    assert response.status_code == 403
    assert client.get(reverse("network:results_template")).status_code == 403
    assert AssessmentResult.objects.count() == 0


def test_template_download_has_the_headers(methodist_client):
    response = methodist_client.get(reverse("network:results_template"))
    assert response.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]] == HEADER


def test_methodist_adds_and_deletes_a_district_procedure(methodist_client, district_a):
    response = methodist_client.post(reverse("network:procedure_create"), {"name": " Диагностика  8 кл ",
                                                                            "description": ""})
    assert response.status_code == 302
    procedure = Procedure.objects.get(district=district_a)
    assert procedure.name == "Диагностика 8 кл"
    assert "Диагностика 8 кл" in methodist_client.get(reverse("network:procedures")).content.decode()
    response = methodist_client.post(reverse("network:procedure_delete", args=[procedure.pk]))
    assert response.status_code == 302 and not Procedure.objects.filter(pk=procedure.pk).exists()


def test_a_procedure_twin_of_a_shipped_one_is_refused(methodist_client, district_a):
    response = methodist_client.post(reverse("network:procedure_create"), {"name": "огэ", "description": ""})
    assert response.status_code == 200
    assert "Процедура «ОГЭ» уже есть" in response.content.decode()
    assert not Procedure.objects.filter(district=district_a).exists()


def test_a_procedure_with_results_is_not_deleted(methodist_client, district_a, school_a):
    procedure = ProcedureFactory(district=district_a, name="Диагностика района")
    result(school_a, "Математика", 3.5, procedure_name="ОГЭ")
    AssessmentResult.objects.update(procedure=procedure)
    response = methodist_client.post(reverse("network:procedure_delete", args=[procedure.pk]), follow=True)
    assert "Нельзя удалить процедуру «Диагностика района»: по ней загружены результаты" in response.content.decode()
    assert Procedure.objects.filter(pk=procedure.pk).exists() and AssessmentResult.objects.count() == 1


def test_procedures_of_other_districts_and_shipped_ones_cannot_be_deleted(
        methodist_client, other_methodist_client, director_client, district_a):
    own = ProcedureFactory(district=district_a)
    shipped = Procedure.objects.get(district=None, name="ОГЭ")
    assert other_methodist_client.post(reverse("network:procedure_delete", args=[own.pk])).status_code == 404
    assert director_client.post(reverse("network:procedure_delete", args=[own.pk])).status_code == 403
    assert methodist_client.post(reverse("network:procedure_delete", args=[shipped.pk])).status_code == 404
    assert Procedure.objects.filter(pk__in=[own.pk, shipped.pk]).count() == 2


def test_procedure_list_counts_only_own_districts_results(observer_client, results):
    response = observer_client.get(reverse("network:procedures"))
    oge = next(p for p in response.context["procedures"] if p.name == "ОГЭ")
    assert oge.result_count == 3  # district A's three rows; district B's row is not counted
    assert "procedure_create" not in response.content.decode()


def test_organisation_panel_for_readers_of_that_organisation(
        director_client, school_admin_client, school_a, results):
    url = reverse("clusters:organisation_detail", args=[school_a.pk])
    response = director_client.get(url)
    html = response.content.decode()
    assert 'data-testid="panel-results"' in html
    assert f"{reverse('network:results')}?organisation={school_a.pk}" in html
    assert "54,8\u00a0%" in html
    own = school_admin_client.get(url).content.decode()
    assert 'data-testid="panel-results"' in own
    # The last three years *with results* of school A are 2021 and 2017: the 2017 Физика row is shown.
    assert "Физика" in own


def test_panel_keeps_only_the_last_three_years(director_client, school_a):
    for year in (2018, 2019, 2020, 2021):
        result(school_a, f"Предмет {year}", 3.5, year=year)
    html = director_client.get(reverse("clusters:organisation_detail", args=[school_a.pk])).content.decode()
    assert "Предмет 2019" in html and "Предмет 2021" in html and "Предмет 2018" not in html


def test_panel_is_not_shown_to_those_who_may_not_read_the_results(school_a, results):
    from django.test import RequestFactory

    from clusters.panels import panels_for
    from tests.factories import UserFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(role="school_admin", organisation=results["b"].organisation)
    assert all(p.template != "network/_results_panel.html" for p in panels_for("organisation", request, school_a))


def test_registry_import_page_groups_repeated_errors_too(methodist_client, school_a):
    # The registry's teachers import: 25 rows naming one unknown organisation → one line, rows 2–26.
    header = ["Табельный номер", "Код организации", "ФИО", "Должность"]
    rows = [header] + [[str(i), "NOPE", f"Иванова Анна {i}", "учитель"] for i in range(25)]
    response = methodist_client.post(reverse("clusters:import"), {"kind": "teachers", "file": make_xlsx(rows)})
    html = response.content.decode()
    assert "столбец «Код организации»: организация с кодом «NOPE» не найдена в вашем районе — 25 строк: 2–26" in html
    assert html.count("не найдена в вашем районе") == 1


def test_import_page_says_how_many_tiers_changed(methodist_client, district_a, school_a, school_b):
    cluster = ClusterFactory(district=district_a, year=2022)
    for school in (school_a, school_b):
        ClusterMembershipFactory(cluster=cluster, organisation=school)  # synchronous by default
    # One group of two: means 4 and 3, mean 3,5, σ = 0,5, z = +1 / −1 → ТОП and отстающая: 2 tiers change.
    rows = [HEADER, [2021, "ВПР", "Математика", 5, "OU-A", 30, 4, None, None],
            [2021, "ВПР", "Математика", 5, "OU-B", 30, 3, None, None]]
    response = methodist_client.post(reverse("network:results_import"), {"file": make_xlsx(rows)}, follow=True)
    assert "Уровни в кластерах 2022 г. пересчитаны по результатам: изменено 2 уровня." in response.content.decode()
