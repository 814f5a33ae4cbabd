"""Profile pages: the teacher's by their link, the staff's by teacher, PDFs (staff downloads logged as personal-data
exports), the registry panel and the level thresholds page; each with an allowed and a refused persona."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from clusters.models import ExportLog
from diagnostics.models import InvitationStatus, LevelSettings
from tests.diagnostics.test_profiles import TOKEN, diagnosis
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(school_a):
    teacher = TeacherFactory(organisation=school_a, full_name="Иванова Мария Петровна")
    diagnosis(teacher, 2020, {"subject": "0.400", "methodical": "0.700"})
    diagnosis(teacher, 2021, {"subject": "0.620", "methodical": "0.450", "communicative": "0.850"}, token=TOKEN)
    return teacher


def test_the_teacher_opens_the_profile_by_the_link(client, teacher):
    response = client.get(reverse("diagnostics_public:profile", args=[TOKEN]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "0,62" in html and "0,45" in html and "0,85" in html
    assert "дефицит" in html and "высокий" in html
    assert html.count('id="xtick_') == 3  # the radar: one spoke per area
    assert reverse("diagnostics_public:profile_pdf", args=[TOKEN]) in html
    assert 'style="' not in html  # CSP


def test_a_link_not_yet_submitted_or_unknown_shows_no_profile(client, teacher):
    invitation = teacher.diagnostic_invitations.get(campaign__year=2021)
    invitation.status = InvitationStatus.DRAFT
    invitation.save()
    assert client.get(reverse("diagnostics_public:profile", args=[TOKEN])).status_code == 404
    assert client.get(reverse("diagnostics_public:profile_pdf", args=[TOKEN])).status_code == 404


def test_the_teachers_pdf_by_the_link(client, teacher):
    response = client.get(reverse("diagnostics_public:profile_pdf", args=[TOKEN]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not ExportLog.objects.exists()  # the teacher's own copy is not a staff export


@pytest.mark.parametrize("persona", ["school_admin_client", "methodist_client", "director_client"])
def test_staff_open_the_profile(request, persona, teacher):
    response = request.getfixturevalue(persona).get(reverse("diagnostics:teacher_profile", args=[teacher.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "0,62" in html and "2020/21" in html and "2021/22" in html
    assert reverse("diagnostics:teacher_profile_pdf", args=[teacher.pk]) in html


@pytest.mark.parametrize(("persona", "status"), [("other_school_admin_client", 404), ("observer_client", 403)])
def test_others_are_refused(request, persona, status, teacher):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("diagnostics:teacher_profile", args=[teacher.pk])).status_code == status
    assert client.get(reverse("diagnostics:teacher_profile_pdf", args=[teacher.pk])).status_code == status
    assert not ExportLog.objects.exists()


def test_a_methodist_of_another_district_gets_404(other_methodist, teacher):
    client = Client()
    client.force_login(other_methodist)
    assert client.get(reverse("diagnostics:teacher_profile", args=[teacher.pk])).status_code == 404


def test_the_staff_pdf_is_logged_as_a_personal_data_export(school_admin_client, school_admin, teacher):
    response = school_admin_client.get(reverse("diagnostics:teacher_profile_pdf", args=[teacher.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    log = ExportLog.objects.get()
    assert (log.user, log.list_name, log.row_count) == (school_admin, "diagnostic_profile", 1)
    assert "Иванова Мария Петровна" in log.list_title


def test_the_registry_teacher_page_shows_the_panel(school_admin_client, other_school_admin_client, teacher):
    import diagnostics.panels  # noqa: F401 - registered from AppConfig.ready once the lead wires it

    html = school_admin_client.get(teacher.get_absolute_url()).content.decode()
    assert 'data-testid="diagnostics-panel"' in html
    assert "предметные: 0,62 — достаточный" in html and "методические: 0,45 — дефицит" in html
    assert reverse("diagnostics:teacher_profile", args=[teacher.pk]) in html


def test_level_settings_saved_by_a_methodist(methodist_client, district_a):
    url = reverse("diagnostics:level_settings")
    assert "0,5" in methodist_client.get(url).content.decode()  # the defaults
    response = methodist_client.post(url, {"deficit_below": "0,6", "high_from": "0,85"})
    assert response.status_code == 302
    row = LevelSettings.objects.get(district=district_a)
    assert (row.deficit_below, row.high_from) == (Decimal("0.60"), Decimal("0.85"))


@pytest.mark.parametrize("data", [{"deficit_below": "0,8", "high_from": "0,8"},
                                  {"deficit_below": "0,9", "high_from": "0,5"},
                                  {"deficit_below": "много", "high_from": "0,8"},
                                  {"deficit_below": "0,5", "high_from": "1,5"}])
def test_level_settings_refuse_bad_thresholds(methodist_client, district_a, data):
    response = methodist_client.post(reverse("diagnostics:level_settings"), data)
    assert response.status_code == 200
    assert not LevelSettings.objects.exists()
    if data["deficit_below"] in ("0,8", "0,9"):
        assert "Порог высокого уровня должен быть выше порога дефицита." in response.content.decode()


def test_level_settings_refused_to_a_director(director_client):
    assert director_client.get(reverse("diagnostics:level_settings")).status_code == 403


def test_staff_switch_between_the_teachers_diagnoses_of_each_family(methodist_client, other_methodist_client,
                                                                    teacher, school_a):
    """Deficits 2021 (the latest by default) and competencies 2021: both offered; another teacher's diagnosis or
    nonsense in ?diagnosis= is not found; another district's methodist gets nothing."""
    competencies = diagnosis(teacher, 2021, {"comp-methodical": "0.910"}, day=2, family="competencies")
    stranger = diagnosis(TeacherFactory(organisation=school_a), 2021, {"subject": "0.100"})
    url = reverse("diagnostics:teacher_profile", args=[teacher.pk])
    deficits = teacher.diagnostic_invitations.get(campaign__year=2021, campaign__instrument__family="teacher_deficits")
    page = methodist_client.get(url)
    assert [d.pk for d in page.context["diagnoses"]] == [competencies.pk, deficits.pk]
    assert page.context["profile"].invitation == competencies  # the newest submission
    chosen = methodist_client.get(url, {"diagnosis": deficits.pk})
    assert {r.area.code for r in chosen.context["profile"].results} == {"subject", "methodical", "communicative"}
    assert "0,91" in methodist_client.get(url, {"diagnosis": competencies.pk}).content.decode()
    assert methodist_client.get(url, {"diagnosis": stranger.pk}).status_code == 404
    assert methodist_client.get(url, {"diagnosis": "x1"}).status_code == 404
    assert other_methodist_client.get(url, {"diagnosis": competencies.pk}).status_code == 404
    pdf = methodist_client.get(reverse("diagnostics:teacher_profile_pdf", args=[teacher.pk]),
                               {"diagnosis": competencies.pk})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert ExportLog.objects.get().query_string.endswith(f"diagnosis={competencies.pk}")
