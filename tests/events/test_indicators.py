"""Hand-worked indicators of events (events/indicators.py) on a small district.

District A (conftest): school A — T1, T2, T3 active, T4 left (inactive); school B — T5, T6 active.
Active teachers: 5 in the district, 3 in school A, 2 in school B. Cluster C of 2021 = {school A}.
Period 2021 = 01.01.2021–31.12.2021.

Events of district A: E1 held seminar 18.03.2021 (district level, cluster C, organised by school A; present T1, T4,
one external; 30 pupils); E2 held master class 20.05.2021 (region level, organised by school B; present T5);
E3 planned seminar 01.06.2021 (present T2 — not held, does not count); E4 held seminar 10.12.2020 (present T3 —
outside the period); E5 cancelled 2021; E6 held «Педагогическая мастерская» (the district's own form) 10.10.2021,
district level (one external; 12 pupils). District B: a held seminar of 2021 (never counted for A).
"""
import datetime

import pytest

import events.indicators  # noqa: F401 - registers the calculations (the app's ready() does it at start-up)
from clusters.models import ActivityLevel, EventForm, EventStatus
from events.indicators import events_by_form
from events.models import Attendance
from monitoring.computations import calculate, parameter_problems
from monitoring.models import Period, Programme, ScopeKind
from tests.events.factories import AchievementFactory, ConsultationFactory, DistrictEventFormFactory
from tests.factories import ClusterFactory, ClusterMembershipFactory, EventFactory, TeacherFactory


@pytest.fixture
def small(district_a, district_b, school_a, school_b):
    t1, t2, t3 = (TeacherFactory(organisation=school_a) for _ in range(3))
    t4 = TeacherFactory(organisation=school_a, is_active=False)
    t5, t6 = (TeacherFactory(organisation=school_b) for _ in range(2))
    cluster = ClusterFactory(district=district_a, year=2021)
    ClusterMembershipFactory(cluster=cluster, organisation=school_a)

    def event(held_on, status=EventStatus.HELD, form=EventForm.SEMINAR, **kwargs):
        organisers = kwargs.pop("organisers", [])
        made = EventFactory(district=kwargs.pop("district", district_a), held_on=held_on, status=status, form=form,
                            **kwargs)
        made.organisers.set(organisers)
        return made

    e1 = event(datetime.date(2021, 3, 18), cluster=cluster, organisers=[school_a], pupils_count=30)
    e2 = event(datetime.date(2021, 5, 20), form=EventForm.MASTER_CLASS, level=ActivityLevel.REGION,
               organisers=[school_b])
    e3 = event(datetime.date(2021, 6, 1), status=EventStatus.PLANNED)
    e4 = event(datetime.date(2020, 12, 10))
    event(datetime.date(2021, 7, 1), status=EventStatus.CANCELLED)
    workshop = DistrictEventFormFactory(district=district_a, name="Педагогическая мастерская")
    e6 = event(datetime.date(2021, 10, 10), form=EventForm.OTHER, custom_form=workshop, pupils_count=12)
    foreign = event(datetime.date(2021, 4, 1), district=district_b)
    for ev, teacher in ((e1, t1), (e1, t4), (e2, t5), (e3, t2), (e4, t3)):
        Attendance.objects.create(event=ev, teacher=teacher)
    Attendance.objects.create(event=e1, full_name="Петрова О.И.")
    Attendance.objects.create(event=e6, full_name="Иванов П.С.")
    Attendance.objects.create(event=foreign, full_name="Гость другого района")

    # Consultations: C1 thematic 10.03.2021 (T1, T2); C2 individual 01.11.2020 (T3, outside); C3 individual
    # 01.09.2021 (T6).
    ConsultationFactory(district=district_a, held_on=datetime.date(2021, 3, 10), teachers=[t1, t2])
    ConsultationFactory(district=district_a, kind="individual", held_on=datetime.date(2020, 11, 1), teachers=[t3])
    ConsultationFactory(district=district_a, kind="individual", held_on=datetime.date(2021, 9, 1), teachers=[t6])
    # Achievements: T1 competition 2021 winner; T2 competition 2021 participant; T3 competition 2020 prize (other
    # year); T5 publication 2021 (not a competition); T6 competition 2021 prize; T4 (left) competition 2021 winner.
    AchievementFactory(teacher=t1, result="winner")
    AchievementFactory(teacher=t2, result="participant")
    AchievementFactory(teacher=t3, year=2020, result="prize")
    AchievementFactory(teacher=t5, kind="publication", result="", level="")
    AchievementFactory(teacher=t6, result="prize")
    AchievementFactory(teacher=t4, result="winner")
    programme = Programme.objects.create(district=district_a, code="events", name="Мероприятия")
    period = Period.objects.create(programme=programme, label="2021", starts_on=datetime.date(2021, 1, 1),
                                   ends_on=datetime.date(2021, 12, 31))
    return {"period": period, "cluster": cluster, "district": district_a, "a": school_a, "b": school_b}


def _by_scope(results, small):
    out = {}
    for r in results:
        if r.scope_kind == ScopeKind.DISTRICT:
            out["district"] = (r.numerator, r.denominator)
        elif r.scope_kind == ScopeKind.CLUSTER:
            assert r.cluster_id == small["cluster"].pk
            out["cluster"] = (r.numerator, r.denominator)
        else:
            out[{small["a"].pk: "a", small["b"].pk: "b"}[r.organisation_id]] = (r.numerator, r.denominator)
    return out


def _share(code, small):
    return _by_scope(calculate(code, small["district"].pk, small["period"]), small)


def test_attended_share(small):
    # Held events of 2021 with an active teacher present: T1 (E1), T5 (E2). T4 left, T2's event was not held, T3's
    # was in 2020. District 2/5 = 40 %; school A 1/3 (T1); school B 1/2 (T5); cluster C = school A 1/3.
    assert _share("events_attended_share", small) == {"district": (2, 5), "cluster": (1, 3), "a": (1, 3), "b": (1, 2)}
    fact = next(r for r in calculate("events_attended_share", small["district"].pk, small["period"])
                if r.scope_kind == ScopeKind.DISTRICT).fact
    assert round(fact, 1) == 40  # 2 × 100 / 5


def test_consultations_share(small):
    # Consultations of 2021: C1 (T1, T2), C3 (T6); C2 (T3) was in 2020. District 3/5 = 60 %; school A 2/3; B 1/2.
    assert _share("events_consultations_share", small) == {"district": (3, 5), "cluster": (2, 3), "a": (2, 3),
                                                           "b": (1, 2)}


def test_competition_shares(small):
    # Competitions of 2021 by active teachers: T1 winner, T2 participant, T6 prize → 3/5 = 60 %; school A 2/3, B 1/2.
    # T3's is of 2020, T5's is a publication, T4 left.
    assert _share("events_competition_share", small) == {"district": (3, 5), "cluster": (2, 3), "a": (2, 3),
                                                         "b": (1, 2)}
    # Prize or winner: T1, T6 → 2/5 = 40 %; school A 1/3 (T1), B 1/2 (T6).
    assert _share("events_competition_winners_share", small) == {"district": (2, 5), "cluster": (1, 3),
                                                                 "a": (1, 3), "b": (1, 2)}


def _count(small, **parameters):
    results = calculate("events_count", small["district"].pk, small["period"], parameters)
    return _by_scope(results, small), next(r.fact for r in results if r.scope_kind == ScopeKind.DISTRICT)


def test_events_count(small):
    # Held events of district A in 2021: E1 (seminar, district), E2 (master class, region), E6 (own form, district)
    # = 3. Cluster C: E1 only. Organisers: school A → E1, school B → E2.
    scopes, fact = _count(small)
    assert scopes == {"district": (3, 3), "cluster": (1, 1), "a": (1, 1), "b": (1, 1)}
    assert fact == 3
    # Seminars: E1 of 3; cluster C 1 of 1; school A 1 of 1; school B 0 of 1.
    scopes, fact = _count(small, form="seminar")
    assert scopes == {"district": (1, 3), "cluster": (1, 1), "a": (1, 1), "b": (0, 1)}
    assert fact == 1
    # District level: E1, E6 → 2 of 3. The district's own form by its name: E6 → 1 of 3.
    assert _count(small, level="district")[0]["district"] == (2, 3)
    assert _count(small, form="Педагогическая мастерская")[0]["district"] == (1, 3)
    # Seminar of the region level: none.
    assert _count(small, form="seminar", level="region")[0]["district"] == (0, 3)


def test_events_count_parameters_are_checked(small):
    district_id = small["district"].pk
    assert parameter_problems("events_count", {}, district_id) == []
    assert parameter_problems("events_count", {"form": "Педагогическая мастерская"}, district_id) == []
    problems = parameter_problems("events_count", {"form": "пикник", "level": "galaxy"}, district_id)
    assert "Формы мероприятия «пикник» нет" in problems[0] and "Уровня «galaxy» нет" in problems[1]
    assert "Неизвестный параметр «kind»" in parameter_problems("events_count", {"kind": "x"}, district_id)[0]


def test_events_by_form(small, django_assert_max_num_queries):
    # E1 seminar: teachers present T1, T4 (2), external 1, pupils 30; E2 master class: T5 (1), 0, 0;
    # E6 own form: 0 teachers, 1 external, 12 pupils. E3/E4/E5 and district B's event are left out.
    with django_assert_max_num_queries(1):
        rows = events_by_form(small["district"].pk, datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    table = {r.form: (r.events, r.teachers, r.external, r.pupils) for r in rows}
    assert table == {"семинар": (1, 2, 1, 30), "мастер-класс": (1, 1, 0, 0),
                     "Педагогическая мастерская": (1, 0, 1, 12)}
    assert sum(r.participants for r in rows) == 3 + 30 + 1 + 1 + 12  # 47


def test_events_by_form_counts_several_events_of_a_form(small):
    # 2020–2021: seminars E1 and E4 (E4: T3 present) → 2 events, 3 teachers (T1, T4, T3), 1 external, 30 pupils.
    rows = events_by_form(small["district"].pk, datetime.date(2020, 1, 1), datetime.date(2021, 12, 31))
    seminar = next(r for r in rows if r.form == "семинар")
    assert (seminar.events, seminar.teachers, seminar.external, seminar.pupils) == (2, 3, 1, 30)
    assert rows[0].form == "семинар"  # most events first
