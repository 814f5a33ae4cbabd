"""The personal-data export log (issue 9, «Registry XLSX exports of teachers' personal data are not
logged»): every download of a registry list that names people writes one ExportLog row — who,
which list, which filter, how many rows, when — and the portal administrator reads the log in
the admin, read-only; nobody else opens it.
"""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.models import ExportLog
from clusters.views import exports, io
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:clusters_exportlog_changelist"


@pytest.fixture
def teachers(school_a, school_b):
    """Three teachers of school A (one of them «высшая»), two of school B."""
    TeacherFactory(organisation=school_a, full_name="Иванова Анна Петровна", category="highest")
    TeacherFactory(organisation=school_a, full_name="Петров Пётр Ильич")
    TeacherFactory(organisation=school_a, full_name="Сидорова Мария Олеговна")
    TeacherFactory(organisation=school_b, full_name="Кузнецов Олег Ильич")
    TeacherFactory(organisation=school_b, full_name="Смирнова Елена Викторовна")


def test_exporting_the_teacher_list_writes_one_entry_with_count_and_filter(
    methodist, methodist_client, district_a, school_a, teachers
):
    before = timezone.now()
    response = methodist_client.get(reverse("clusters:teacher_export"), {"organisation": school_a.pk, "q": "Петр"})

    assert response.status_code == 200
    entry = ExportLog.objects.get()
    assert entry.user == methodist and entry.username == "methodist"
    assert entry.role == "methodist" and entry.district == district_a
    assert entry.list_name == "teachers" and entry.list_title == "Педагоги"
    assert entry.row_count == 2  # Иванова Анна Петровна and Петров Пётр Ильич: school A, «Петр»
    assert entry.query_string == f"organisation={school_a.pk}&q=Петр"
    assert before <= entry.exported_at <= timezone.now()


def test_the_whole_list_is_logged_with_its_full_count(methodist_client, teachers):
    methodist_client.get(reverse("clusters:teacher_export"))

    entry = ExportLog.objects.get()
    assert entry.row_count == 5 and entry.query_string == ""


def test_a_school_administrator_export_is_logged_with_the_school_district(
    school_admin, school_admin_client, district_a, teachers
):
    school_admin_client.get(reverse("clusters:teacher_export"))

    entry = ExportLog.objects.get()
    assert entry.user == school_admin and entry.role == "school_admin"
    assert entry.district == district_a and entry.row_count == 3  # their own school only


def test_each_download_is_its_own_entry(methodist_client, teachers):
    methodist_client.get(reverse("clusters:teacher_export"))
    methodist_client.get(reverse("clusters:teacher_export"), {"category": "highest"})

    assert list(ExportLog.objects.order_by("pk").values_list("row_count", flat=True)) == [5, 1]


def test_a_refused_export_writes_nothing(observer_client, teachers):
    assert observer_client.get(reverse("clusters:teacher_export")).status_code == 403
    assert not ExportLog.objects.exists()


def test_a_list_without_people_is_not_logged(methodist_client, teachers):
    assert methodist_client.get(reverse("clusters:organisation_export")).status_code == 200
    assert not ExportLog.objects.exists()


def test_the_entry_survives_the_user(methodist, methodist_client, teachers):
    methodist_client.get(reverse("clusters:teacher_export"))
    methodist.delete()

    entry = ExportLog.objects.get()
    assert entry.user is None and entry.username == "methodist" and entry.row_count == 5


def test_the_lists_that_name_people_are_exactly_these():
    """A new export must decide: set personal_data, and add it here (README «Персональные данные»)."""
    views = [io.OrganisationExport, io.TeacherExport, io.MembershipExport]
    views += [cls for cls in vars(exports).values()
              if isinstance(cls, type) and issubclass(cls, exports.ListExport) and cls is not exports.ListExport]
    logged = {view.filename_prefix for view in views if view.personal_data}

    assert logged == {"teachers", "trainings", "routes", "mentorships", "communities", "clusters"}


# --- the log in the admin ------------------------------------------------------------------------


def test_the_portal_admin_reads_the_log_filtered(portal_admin_client, methodist_client, teachers):
    methodist_client.get(reverse("clusters:teacher_export"), {"q": "Иванова"})

    page = portal_admin_client.get(reverse(CHANGELIST), {"list_title": "Педагоги"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "methodist" in html and "q=Иванова" in html and "Педагоги" in html
    entry = ExportLog.objects.get()
    assert portal_admin_client.get(reverse("admin:clusters_exportlog_change", args=[entry.pk])).status_code == 200


def test_the_log_is_read_only_even_for_the_portal_admin(portal_admin_client, methodist_client, teachers):
    methodist_client.get(reverse("clusters:teacher_export"))
    entry = ExportLog.objects.get()

    assert portal_admin_client.get(reverse("admin:clusters_exportlog_add")).status_code == 403
    assert portal_admin_client.post(reverse("admin:clusters_exportlog_delete", args=[entry.pk]),
                                    {"post": "yes"}).status_code == 403
    portal_admin_client.post(reverse("admin:clusters_exportlog_change", args=[entry.pk]),
                             {"row_count": 0, "username": "nobody"})
    entry.refresh_from_db()
    assert entry.row_count == 5 and entry.username == "methodist"


@pytest.mark.parametrize("persona", ["methodist_client", "director_client", "school_admin_client", "anonymous"])
def test_nobody_else_opens_the_log(persona, request):
    client = request.getfixturevalue(persona)

    response = client.get(reverse(CHANGELIST))

    # Staff only: the admin's login form (a logged-in user who is no staff) or the portal's (anonymous).
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in (reverse("admin:login"), reverse("login"))
