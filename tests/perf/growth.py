"""More rows of every kind the portal's pages list, all in district A (the access matrix's `world`).

`grow(world, n)` adds n rows of each kind, and n children to each object a detail page of the matrix
shows (the cluster's memberships, the teacher's courses, the pair's activities, the campaign's
responses …), so calling it with n and then with 9·n gives the same world at 1× and at 10×. Foreign
keys a page may follow per row (an event's cluster and form, a practice's organisation …) are set, so
a missing select_related shows as a count that grows.
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from core.roles import Role
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    CommunityFactory,
    CommunityMembershipFactory,
    EventFactory,
    IndividualRouteFactory,
    InnovationProjectFactory,
    MentorshipFactory,
    OrganisationFactory,
    TeacherFactory,
    TrainingCompletionFactory,
    TrainingProgramFactory,
    UserFactory,
)

_serial = itertools.count(1)


def _tag() -> int:
    return next(_serial)


def grow(w, n: int) -> None:
    """Add n rows of every kind to the world (see the module docstring)."""
    _registry(w, n)
    _monitoring(w, n)
    _network(w, n)
    _surveys(w, n)
    _diagnostics(w, n)
    _events(w, n)
    _reports(w, n)
    _users(w, n)
    _districts(w, n)


def _registry(w, n: int) -> None:
    from clusters.models import Tier

    tag = _tag()
    schools = OrganisationFactory.create_batch(n, district=w.district_a)
    w.__dict__.setdefault("grown_schools", []).extend(schools)
    teachers = [TeacherFactory(organisation=w.school_a if i % 2 else school) for i, school in enumerate(schools)]
    w.__dict__.setdefault("grown_teachers", []).extend(teachers)
    for school in schools:  # the world's cluster gains members; new clusters get one each
        ClusterMembershipFactory(cluster=w.cluster, organisation=school, tier=Tier.SYNCHRONOUS)
        ClusterMembershipFactory(cluster=ClusterFactory(district=w.district_a, year=2021, curator=w.users["methodist"]),
                                 organisation=school)
    for teacher in teachers:
        community = CommunityFactory(district=w.district_a, leader=teacher, curator=w.users["methodist"])
        CommunityMembershipFactory(community=community, teacher=teacher)
        CommunityMembershipFactory(community=w.community, teacher=teacher)
        program = TrainingProgramFactory(district=w.district_a)
        TrainingCompletionFactory(teacher=teacher, program=program)
        TrainingCompletionFactory(teacher=w.teacher, program=program)
        IndividualRouteFactory(teacher=teacher)
        IndividualRouteFactory(teacher=w.teacher)
        MentorshipFactory(mentor=w.teacher, mentee=teacher) if teacher.organisation_id == w.school_a.pk else None
        project = InnovationProjectFactory(district=w.district_a, lead_organisation=teacher.organisation)
        project.participations.create(teacher=teacher)
        w.innovation.participations.create(teacher=teacher)
        event = EventFactory(district=w.district_a, cluster=w.cluster, community=w.community,
                             title=f"Семинар роста {tag}-{teacher.pk}")
        event.organisers.set([teacher.organisation, w.school_a])
        w.event.organisers.add(teacher.organisation)


def _monitoring(w, n: int) -> None:
    from core.scope import ScopeKind
    from monitoring.models import (
        Indicator,
        Period,
        PeriodApproval,
        Programme,
        Value,
        ValueChange,
        scope_key_for,
    )

    tag = _tag()
    for i in range(n):
        Programme.objects.create(district=w.district_a, code=f"grown-{tag}-{i}", name=f"Программа {tag}-{i}")
    periods = [w.period] + [
        Period.objects.create(programme=w.programme, label=f"{2000 + tag}-{i}", starts_on=dt.date(2000 + tag, 1, 1),
                              ends_on=dt.date(2000 + tag, 12, 31))
        for i in range(1)
    ]
    [
        Indicator.objects.create(programme=w.programme, code=f"grown_{tag}_{i}", name=f"Показатель {tag}-{i}",
                                 position=100 * tag + i)
        for i in range(n)
    ]
    everything = list(Indicator.objects.filter(programme=w.programme))
    have = set(Value.objects.filter(indicator__programme=w.programme).values_list(
        "indicator_id", "period_id", "scope_kind", "cluster_id", "organisation_id"))
    from clusters.models import Cluster, Organisation

    scopes = [(ScopeKind.DISTRICT, None, None)]
    scopes += [(ScopeKind.CLUSTER, c, None) for c in Cluster.objects.filter(district=w.district_a)]
    scopes += [(ScopeKind.ORGANISATION, None, o) for o in Organisation.objects.filter(district=w.district_a)]
    rows = []
    for indicator in everything:
        for period in periods:
            for kind, cluster, organisation in scopes:
                key = (indicator.pk, period.pk, kind, cluster and cluster.pk, organisation and organisation.pk)
                if key not in have:
                    rows.append(Value(district=w.district_a, indicator=indicator, period=period, scope_kind=kind,
                                      cluster=cluster, organisation=organisation, plan=Decimal("40"),
                                      fact=Decimal("50"), updated_by=w.users["methodist"],
                                      scope_key=scope_key_for(kind, cluster and cluster.pk,
                                                              organisation and organisation.pk)))
    Value.objects.bulk_create(rows)
    ValueChange.objects.bulk_create([
        ValueChange(value=w.value, field="fact", changed_by=w.users["methodist"]) for _ in range(n)
    ])
    for period in periods[1:]:
        PeriodApproval.objects.create(district=w.district_a, scope_kind=ScopeKind.DISTRICT, period=period,
                                      approved_by=w.users["director"])


def _network(w, n: int) -> None:
    from clusters.models import ClusterMembership
    from network import models as nm
    from tests.network import access_rows_pairs, access_rows_practices
    from tests.network.factories import (
        MentorProfileFactory,
        OrganisationPairFactory,
        PairActivityFactory,
        PracticeFactory,
        PracticeTagFactory,
        ProcedureFactory,
        procedure,
    )

    pair = access_rows_pairs.pair(w)
    practice = access_rows_practices.practice(w)
    access_rows_practices.mentor(w)
    oge = procedure("ОГЭ")
    schools = w.grown_schools[-n:]
    teachers = w.grown_teachers[-n:]
    nm.AssessmentResult.objects.bulk_create([
        nm.AssessmentResult(organisation=school, procedure=oge, subject=subject, grade=9, year=2020, participants=50,
                            mean_score=Decimal("3.8"), failed_share=Decimal("5"), good_share=Decimal("60"))
        for school in schools for subject in ("Математика", "Русский язык")
    ])
    for membership in ClusterMembership.objects.filter(organisation__in=schools):
        nm.TierChange.objects.create(membership=membership, tier=membership.tier, source=nm.TierSource.COMPUTED,
                                     changed_by=w.users["methodist"])
    for school, teacher in zip(schools, teachers, strict=True):
        other = OrganisationPairFactory(cluster=w.cluster, mentor_organisation=w.school_a, mentee_organisation=school,
                                        decided_by=w.users["methodist"])
        other.mentor_teachers.set([w.teacher, teacher])
        PairActivityFactory(pair=pair, updated_by=w.users["methodist"])
        PairActivityFactory(pair=other, updated_by=w.users["methodist"])
        tag = PracticeTagFactory(district=w.district_a)
        grown = PracticeFactory(district=w.district_a, organisation=school, cluster=w.cluster, event=w.event,
                                verified_by=w.users["methodist"], created_by=w.users["methodist"])
        grown.tags.set([tag])
        grown.pairs.set([other])
        practice.tags.add(tag)
        practice.pairs.add(other)
        MentorProfileFactory(teacher=teacher)
        ProcedureFactory(district=w.district_a)


def _surveys(w, n: int) -> None:
    from surveys.models import QuestionKind, Section
    from surveys.services import campaign_links_sync
    from tests.surveys.factories import (
        UNSURE,
        YES,
        QuestionFactory,
        QuestionnaireFactory,
        make_campaign,
        matrix_campaigns,
        respond,
    )
    from tests.test_access_matrix import questionnaire, results_campaign

    built = questionnaire(w)
    results = results_campaign(w)
    campaigns = matrix_campaigns(w)
    schools = w.grown_schools[-n:]
    for i in range(n):
        section = Section.objects.create(questionnaire=built, title=f"Раздел {_tag()}", position=100 + i)
        QuestionFactory(questionnaire=built, section=section, kind=QuestionKind.SINGLE, options=("Да", "Нет"),
                        position=1000 + _tag())
        other = QuestionnaireFactory(district=w.district_a, created_by=w.users["methodist"])
        QuestionFactory(questionnaire=other, options=("Да", "Нет"))
        make_campaign(other, w.district_a, created_by=w.users["methodist"])
    for i, school in enumerate(schools):
        respond(results, school, q1=YES if i % 2 else UNSURE, q2=["Семинары"], q3={"Аттестация": "Нужно"},
                q4=f"Предложение {i}", q5="7")
    campaigns.organisation.organisations.add(*schools)
    campaign_links_sync(campaigns.teacher)
    campaign_links_sync(campaigns.organisation)
    from tests.surveys.factories import ResponseFactory

    for school in schools:
        ResponseFactory(campaign=campaigns.organisation, organisation=school, updated_by=w.users["school_admin"])
        ResponseFactory(campaign=campaigns.teacher, organisation=school)


def _diagnostics(w, n: int) -> None:
    from diagnostics import models as dm
    from diagnostics.services.campaigns import hash_token
    from tests.diagnostics import access_rows_campaigns, access_rows_instruments, access_rows_profiles
    from tests.diagnostics.factories import (
        AreaScoreFactory,
        DiagnosticCampaignFactory,
        InstrumentFactory,
        InvitationFactory,
        ItemFactory,
        area,
    )

    campaign = access_rows_campaigns.campaign(w)
    instrument = access_rows_instruments.own_instrument(w)
    access_rows_profiles.submitted_diagnosis(w)
    areas = list(dm.Area.objects.all())
    teachers = w.grown_teachers[-n:]
    campaign.organisations.add(*{t.organisation for t in teachers})
    for i, teacher in enumerate(teachers):
        other = InstrumentFactory(district=w.district_a)
        ItemFactory(instrument=other)
        ItemFactory(instrument=instrument, area=areas[i % len(areas)])
        DiagnosticCampaignFactory(district=w.district_a, instrument=other, created_by=w.users["methodist"])
        invitation = InvitationFactory(campaign=campaign, teacher=teacher, status=dm.InvitationStatus.SUBMITTED,
                                       token_hash=hash_token(f"grown-token-{_tag()}-{'x' * 24}"))
        for code in ("subject", "methodical"):
            AreaScoreFactory(invitation=invitation, area=area(code), score=Decimal("0.5"))
        mine = InvitationFactory(teacher=w.teacher, campaign__district=w.district_a,
                                 status=dm.InvitationStatus.SUBMITTED)
        AreaScoreFactory(invitation=mine, area=area("subject"), score=Decimal("0.7"))
        dm.RouteStep.objects.create(route=w.route, position=10 + _tag(), kind=dm.StepKind.OTHER,
                                    title=f"Шаг {i}", area=area("subject"), mentor=teacher, community=w.community,
                                    event=w.event)


def _events(w, n: int) -> None:
    from events.models import Attendance, Certificate, CertificateKind
    from tests.events import (
        access_rows_certificates,
        access_rows_journal,
        access_rows_plan,
        access_rows_registration,
    )
    from tests.events.factories import (
        AchievementFactory,
        ConsultationFactory,
        DistrictEventFormFactory,
        RegistrationFactory,
    )

    certificate = access_rows_certificates.certificate(w)
    open_event = access_rows_registration.open_event(w)
    today_event = access_rows_registration.today_event(w)
    access_rows_journal.consultation(w)
    access_rows_journal.achievement(w)
    access_rows_plan.district_form(w)
    open_event.capacity = 1000
    open_event.save(update_fields=["capacity"])
    teachers = w.grown_teachers[-n:]
    for teacher in teachers:
        form = DistrictEventFormFactory(district=w.district_a)
        EventFactory(district=w.district_a, custom_form=form, cluster=w.cluster, held_on=dt.date(2021, 4, 1))
        RegistrationFactory(event=open_event, teacher=teacher, registered_by=w.users["school_admin"])
        registration = RegistrationFactory(event=today_event, teacher=teacher, registered_by=w.users["methodist"])
        Attendance.objects.create(event=today_event, teacher=teacher, registration=registration,
                                  checked_by=w.users["methodist"])
        attendance = Attendance.objects.create(event=certificate.event, teacher=teacher)
        sequence = 1000 + _tag()
        Certificate.objects.create(attendance=attendance, event=certificate.event, district=w.district_a,
                                   kind=CertificateKind.PARTICIPATION, recipient_name=teacher.full_name, year=2021,
                                   sequence=sequence, number=f"С-2021/{sequence}", verification_code=f"grown{sequence}",
                                   sha256="0" * 64, issued_by=w.users["methodist"])
        ConsultationFactory(district=w.district_a, teachers=[teacher, w.teacher], organisation=teacher.organisation,
                            methodist=w.users["methodist"])
        AchievementFactory(teacher=teacher, event=w.event)
        AchievementFactory(teacher=w.teacher)


def _reports(w, n: int) -> None:
    from reports.models import Report, ReportEvent, ReportStatus
    from tests.reports.workflow_support import matrix_reports
    from tests.test_access_matrix import verified_report

    made = matrix_reports(w)
    verified_report(w)
    for i in range(n):
        report = Report.objects.create(
            district=w.district_a, kind="monitoring", title=f"Справка роста {_tag()}", programme=w.programme,
            created_by=w.users["methodist"], status=ReportStatus.SIGNED if i % 2 else ReportStatus.DRAFT,
            published_to_schools=bool(i % 2), approved_by=w.users["director"], signed_by=w.users["director"],
        )
        report.periods.set([w.period])
        for report_ in (made.draft, made.signed):
            ReportEvent.objects.create(report=report_, action="comment", user=w.users["methodist"])


def _users(w, n: int) -> None:
    from core.jobs import JobStatus
    from core.models import ExportJob

    for _ in range(n):
        UserFactory(role=Role.METHODIST, district=w.district_a)
    now = timezone.now()
    ExportJob.objects.bulk_create([
        ExportJob(requested_by=w.users["methodist"], kind="clusters.list", title=f"Педагоги {_tag()}",
                  filename="teachers.xlsx", parameters_key=f"grown-{_tag()}", status=JobStatus.SUCCEEDED,
                  finished_at=now, expires_at=now + dt.timedelta(days=1), rows_done=10, rows_total=10)
        for _ in range(n)
    ])


def _districts(w, n: int) -> None:
    """Other districts of the region (the city pages compare them), each with the world's programme and a value."""
    from core.scope import ScopeKind
    from monitoring.models import Indicator, Period, Programme, Value
    from tests.factories import DistrictFactory, MethodCentreFactory

    for _ in range(n):
        district = DistrictFactory(region=w.district_a.region)
        MethodCentreFactory(district=district)
        OrganisationFactory(district=district)
        programme = Programme.objects.create(district=district, code=w.programme.code, name=w.programme.name)
        period = Period.objects.create(programme=programme, label=w.period.label, starts_on=w.period.starts_on,
                                       ends_on=w.period.ends_on)
        indicator = Indicator.objects.create(programme=programme, code=w.indicator.code, name=w.indicator.name)
        Value.objects.create(district=district, scope_kind=ScopeKind.DISTRICT, indicator=indicator, period=period,
                             plan=Decimal("40"), fact=Decimal("45"))
