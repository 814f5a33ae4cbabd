"""The teacher's profile worked out by hand from hand-made AreaScore rows: levels at the thresholds, history order,
recommendations only for deficit areas, the radar chart's spokes, the PDF's text."""
from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone

from diagnostics import profiles
from diagnostics.models import Family, InvitationStatus, LevelSettings
from diagnostics.scoring import Level
from diagnostics.services.campaigns import hash_token
from tests.diagnostics.factories import AreaScoreFactory, InvitationFactory, area
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

TOKEN = "profileToken_0123456789abcdefghijklmnopqrstu"


def diagnosis(teacher, year: int, scores: dict[str, str], *, day: int = 1, token: str | None = None,
              family: str = Family.TEACHER_DEFICITS, label: str = ""):
    extra = {"token_hash": hash_token(token)} if token else {}
    invitation = InvitationFactory(
        teacher=teacher, campaign__district=teacher.organisation.district, campaign__year=year,
        campaign__period_label=label or f"{year}/{str(year + 1)[2:]}", campaign__instrument__family=family,
        status=InvitationStatus.SUBMITTED, submitted_at=timezone.make_aware(dt.datetime(year, 3, day)), **extra)
    for code, score in scores.items():
        AreaScoreFactory(invitation=invitation, area=area(code), score=Decimal(score))
    return invitation


@pytest.fixture
def teacher(school_a):
    return TeacherFactory(organisation=school_a, full_name="Иванова Мария Петровна")


def test_levels_at_the_default_thresholds(teacher):
    diagnosis(teacher, 2021, {"subject": "0.499", "methodical": "0.500", "psycho_pedagogical": "0.799",
                              "communicative": "0.800"})
    profile = profiles.profile_of(teacher)
    assert [(r.area.code, r.score, r.level) for r in profile.results] == [
        ("subject", Decimal("0.499"), Level.DEFICIT),
        ("methodical", Decimal("0.500"), Level.SUFFICIENT),
        ("psycho_pedagogical", Decimal("0.799"), Level.SUFFICIENT),
        ("communicative", Decimal("0.800"), Level.HIGH),
    ]
    assert [r.level_label for r in profile.results] == ["дефицит", "достаточный", "достаточный", "высокий"]


def test_levels_at_the_districts_thresholds(teacher, district_a):
    LevelSettings.objects.create(district=district_a, deficit_below=Decimal("0.6"), high_from=Decimal("0.75"))
    diagnosis(teacher, 2021, {"subject": "0.599", "methodical": "0.600", "communicative": "0.750"})
    assert [r.level for r in profiles.profile_of(teacher).results] == [Level.DEFICIT, Level.SUFFICIENT, Level.HIGH]


def test_recommendations_only_for_deficit_areas(teacher):
    diagnosis(teacher, 2021, {"subject": "0.250", "methodical": "0.900", "communicative": "0.4"})
    profile = profiles.profile_of(teacher)
    assert [r.area.code for r in profile.recommendations] == ["subject", "communicative"]
    assert profile.recommendations[0].recommendation == area("subject").recommendation != ""
    assert [r.recommendation for r in profile.results if not r.is_deficit] == [""]


def test_history_is_oldest_first_and_ends_at_the_shown_diagnosis(teacher):
    # Made out of order; another family's diagnosis stays out of this history.
    third = diagnosis(teacher, 2022, {"subject": "0.700", "methodical": "0.650"})
    first = diagnosis(teacher, 2020, {"subject": "0.300"})
    second = diagnosis(teacher, 2021, {"subject": "0.500", "methodical": "0.450"})
    diagnosis(teacher, 2021, {"comp-methodical": "0.9"}, day=2, family=Family.COMPETENCIES)
    profile = profiles.profile_of(teacher, third)
    assert [row.invitation for row in profile.history] == [first, second, third]
    assert [a.code for a in profile.history_areas] == ["subject", "methodical"]
    assert [row.scores for row in profile.history] == [
        [Decimal("0.300"), None], [Decimal("0.500"), Decimal("0.450")], [Decimal("0.700"), Decimal("0.650")]]
    assert [row.label for row in profile.history] == ["2020/21", "2021/22", "2022/23"]
    # The link of the 2021 diagnosis shows the history up to it.
    assert [row.invitation for row in profiles.profile_of(teacher, second).history] == [first, second]


def test_the_latest_diagnosis_is_shown_by_default(teacher):
    diagnosis(teacher, 2021, {"subject": "0.5"})
    latest = diagnosis(teacher, 2022, {"subject": "0.6"})
    assert profiles.profile_of(teacher).invitation == latest


def test_a_teacher_without_a_diagnosis_has_an_empty_profile(teacher):
    InvitationFactory(teacher=teacher, campaign__district=teacher.organisation.district)  # invited, not submitted
    profile = profiles.profile_of(teacher)
    assert profile.invitation is None and profile.results == [] and profile.radar_svg() == ""


def test_radar_has_one_spoke_per_area(teacher):
    diagnosis(teacher, 2020, {"subject": "0.3", "methodical": "0.4"})
    diagnosis(teacher, 2021, {"subject": "0.62", "methodical": "0.45", "psycho_pedagogical": "0.8",
                              "communicative": "0.9"})
    svg = profiles.profile_of(teacher).radar_svg()
    assert svg.count('id="xtick_') == 4
    for name in ("предметные", "методические", "психолого-педагогические", "коммуникативные"):
        assert f">{name}<" in svg
    assert ">0,2<" in svg and ">0,8<" in svg


def test_only_a_submitted_invitations_token_opens_a_profile(teacher):
    from django.http import Http404

    invitation = diagnosis(teacher, 2021, {"subject": "0.62"}, token=TOKEN)
    assert profiles.submitted_invitation_for_token(TOKEN) == invitation
    invitation.status = InvitationStatus.DRAFT
    invitation.save()
    for token in (TOKEN, "someOtherToken_0123456789abcdefghijklmnop"):
        with pytest.raises(Http404):
            profiles.submitted_invitation_for_token(token)


def test_pdf_text_has_the_areas_and_indices_with_a_decimal_comma(teacher):
    from diagnostics.views.profiles import render_pdf

    diagnosis(teacher, 2020, {"subject": "0.300", "methodical": "0.500"})
    diagnosis(teacher, 2021, {"subject": "0.625", "methodical": "0.450"})
    profile = profiles.profile_of(teacher)
    pdf = render_pdf({"profile": profile, "teacher": teacher, "radar": profile.radar_svg()})
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Иванова Мария Петровна" in text
    for expected in ("предметные", "методические", "0,63", "0,45", "0,30", "0,50", "дефицит", "достаточный",
                     area("methodical").recommendation.split()[0]):
        assert expected in text, expected
