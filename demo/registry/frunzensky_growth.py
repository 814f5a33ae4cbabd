"""Frunzensky communities and growth records, shaped for the indicators of seed 000.

Community members fall into four groups (distinct teachers, counted over all communities):

  A  180  members through 2020 and 2021 (joined 09.2019–10.2020; a few left during 2021)
  B  120  joined in 2021 (the last on 31.12.2021)
  C   20  members in 2020 only (left during 2020, the last on 31.12.2020)
  D   10  joined in January–February 2022

so there are 200 members in 2020 (A + C) and 300 in 2021 (A + B). Courses, ИОМ and innovation
projects are dealt to slices of these groups so that the справка's facts come out exactly:

  continuous professional development (a course in Y-2…Y)   2020: 20/200 = 10 %   2021: 90/300 = 30 %
  innovation project overlapping the year                    2020: 40/200 = 20 %   2021: 90/300 = 30 %
  ИОМ (active or completed) overlapping the year            2020: 20/200 = 10 %   2021: 75/300 = 25 %

Teachers outside the communities also take courses, routes and projects; they never count.
"""
from __future__ import annotations

from clusters.models import ActivityLevel, CommunityKind, EventForm, RouteStatus, Tier

from .base import active_teachers
from .common import (
    CommunityMemberSpec,
    CommunitySpec,
    CompletionSpec,
    DistrictPlan,
    EventSpec,
    InnovationSpec,
    MentorshipSpec,
    RouteSpec,
    TeacherKey,
    d,
    rng_for,
)
from .districts import FRUNZENSKY
from .frunzensky import (
    CLUSTER_NAMES,
    CULTURE,
    DIGITAL,
    DOU,
    ECOLOGY,
    FGOS,
    FINANCE,
    MANAGEMENT,
    PARENTS,
    VECTOR,
)
from .growth import (
    PROGRAMS,
    RMO_SUBJECTS,
    ROUTE_GOALS,
    certificate,
    date_between,
    pick_leader,
    route_deficits,
    subject_community,
)

GROUP_SIZES = {"A": 180, "B": 120, "C": 20, "D": 10}
COMMUNITY_MEMBERS = {2020: 200, 2021: 300}
CPD_MEMBERS = {2020: 20, 2021: 90}
INNOVATION_MEMBERS = {2020: 40, 2021: 90}
IOM_MEMBERS = {2020: 20, 2021: 75}

ART_GROUP = "Творческая группа «Театральная педагогика и арт-практики»"
VIDEO_GROUP = "Творческая группа «Видеоурок»"
FG_GROUP = "Творческая группа «Функциональная грамотность»"
CLUB = "Клуб молодых педагогов «Молодые — молодым»"
SEMINAR = "Постоянно действующий семинар «Кластерные мастерские»"
TEAM_UPBRINGING = "Кросс-функциональная команда «Воспитание в районе»"
TEAM_PROGRAMME = "Кросс-функциональная команда «Рабочая программа воспитания»"

# Communities a teacher joins first, by subject: the RMO, or a creative group for the arts and
# technology (seed 002: «творческие группы из числа педагогических работников»).
PRIMARY_TABLE = (
    *RMO_SUBJECTS,
    (ART_GROUP, "", ("музыка", "изобразительное искусство", "художественная направленность")),
    (VIDEO_GROUP, "", ("технология", "ОБЖ", "техническая направленность")),
)

COMMUNITIES = (
    # (kind, name, topic, started_on, ended_on)
    *((CommunityKind.RMO, name, topic, d(2015, 9, 1), None) for name, topic, _ in RMO_SUBJECTS),
    (CommunityKind.CREATIVE_GROUP, ART_GROUP,
     "Театрализованная деятельность и арт-педагогика в урочной и внеурочной деятельности", d(2019, 9, 1), None),
    (CommunityKind.CREATIVE_GROUP, VIDEO_GROUP,
     "Мастер-классы и видеоуроки для горизонтального обучения педагогов по проблематике кластеров",
     d(2019, 9, 1), None),
    (CommunityKind.CREATIVE_GROUP, FG_GROUP,
     "Банк заданий для формирования и оценки функциональной грамотности обучающихся", d(2020, 9, 1), None),
    (CommunityKind.YOUNG_TEACHERS_CLUB, CLUB,
     "Проекты «Молодые — молодым», «Опытные — молодым»: открытые уроки в рамках тематических декад и районных "
     "форумов, конкурсное движение молодых педагогов", d(2020, 10, 1), None),
    (CommunityKind.PERMANENT_SEMINAR, SEMINAR,
     "От методической темы ОУ к проекту: семинары на площадках опорных школ, взаимоапробация продуктов "
     "проектов внутри кластеров; по завершении цикла педагоги опорных школ становятся тьюторами",
     d(2020, 9, 15), None),
    (CommunityKind.CROSS_FUNCTIONAL_TEAM, TEAM_UPBRINGING,
     "Постоянная команда: стратегические задачи развития системы воспитания в районе (заместители по ВР, "
     "председатели МО классных руководителей, педагоги-организаторы, педагоги дополнительного образования)",
     d(2020, 2, 3), None),
    (CommunityKind.CROSS_FUNCTIONAL_TEAM, TEAM_PROGRAMME,
     "Временная команда: разработка и внедрение рабочих программ воспитания ОУ района", d(2021, 1, 20),
     d(2021, 6, 30)),
)


def _groups(plan: DistrictPlan) -> dict[str, list[TeacherKey]]:
    rng = rng_for(FRUNZENSKY, "community-pool")
    eligible = [t.key for t in active_teachers(plan) if subject_community(t, PRIMARY_TABLE)]
    pool = rng.sample(eligible, sum(GROUP_SIZES.values()))
    groups, start = {}, 0
    for name, size in GROUP_SIZES.items():
        groups[name], start = pool[start:start + size], start + size
    return groups


def _primary_dates(rng, group: str, index: int):
    """(joined_on, left_on) of a group's member; the first few carry the edge cases."""
    if group == "A":
        joined = date_between(rng, d(2019, 9, 2), d(2020, 10, 15))
        if index == 0:
            return joined, d(2021, 1, 1)  # left on the first day of 2021: still a member in 2021
        return joined, date_between(rng, d(2021, 3, 31), d(2021, 8, 31)) if index < 6 else None
    if group == "B":
        return (d(2021, 12, 31) if index == 0 else date_between(rng, d(2021, 1, 11), d(2021, 11, 30))), None
    if group == "C":
        joined = date_between(rng, d(2019, 9, 2), d(2020, 2, 28))
        return joined, d(2020, 12, 31) if index == 0 else date_between(rng, d(2020, 5, 31), d(2020, 12, 30))
    return date_between(rng, d(2022, 1, 10), d(2022, 2, 28)), None


def build_communities(plan: DistrictPlan, groups: dict[str, list[TeacherKey]]) -> list[CommunitySpec]:
    rng = rng_for(FRUNZENSKY, "communities")
    teachers = {t.key: t for t in plan.teachers}
    communities = {
        name: CommunitySpec(kind=kind, name=name, topic=topic, started_on=start, ended_on=end)
        for kind, name, topic, start, end in COMMUNITIES
    }
    for group, keys in groups.items():
        for index, key in enumerate(keys):
            joined, left = _primary_dates(rng, group, index)
            name = subject_community(teachers[key], PRIMARY_TABLE)
            communities[name].members.append(CommunityMemberSpec(key, joined, left))

    # Second communities, only for A and B, never changing anyone's years of membership.
    a_and_b = groups["A"] + groups["B"]
    in_2021 = set(groups["B"])

    def join(name: str, keys: list[TeacherKey], a_date, b_date, left=None) -> None:
        for key in keys:
            communities[name].members.append(CommunityMemberSpec(key, b_date if key in in_2021 else a_date, left))

    young = [k for k in a_and_b if teachers[k].birth_year >= 1987]
    join(CLUB, rng.sample(young, min(30, len(young))), d(2020, 10, 1), d(2021, 10, 1))
    join(SEMINAR, rng.sample(a_and_b, 25), d(2020, 9, 15), d(2021, 9, 15))
    join(FG_GROUP, rng.sample(a_and_b, 12), d(2020, 9, 1), d(2021, 2, 1))
    join(TEAM_UPBRINGING, rng.sample(groups["A"], 10), d(2020, 2, 3), None)
    join(TEAM_PROGRAMME, rng.sample(a_and_b, 12), d(2021, 1, 20), d(2021, 1, 20), left=d(2021, 6, 30))

    experience = {t.key: t.experience_years for t in plan.teachers}
    for community in communities.values():
        # One membership per teacher and community: a second draw of the same teacher is dropped.
        seen: set[TeacherKey] = set()
        community.members = [m for m in community.members if not (m.teacher in seen or seen.add(m.teacher))]
        pick_leader(community, set(groups["A"]), experience)
    return list(communities.values())


def _completions(plan: DistrictPlan, groups: dict[str, list[TeacherKey]]) -> list[CompletionSpec]:
    rng = rng_for(FRUNZENSKY, "cpd")
    a, b, c, dd = (list(groups[g]) for g in "ABCD")
    rng.shuffle(a)
    rng.shuffle(b)
    members = set(a + b + c + dd)
    outsiders = [t.key for t in active_teachers(plan) if t.key not in members]
    outsiders = rng.sample(outsiders, 60)
    kinds = {t.key: t.subject_area for t in plan.teachers}
    return _courses(rng, _completion_rows(a, b, c, dd, outsiders), kinds)


def _completion_rows(a, b, c, dd, outsiders) -> list[tuple[TeacherKey, int]]:
    """(teacher, year of the course): who counts in which window of the CPD indicator."""
    rows: list[tuple[TeacherKey, int]] = []
    rows += [(k, 2020) for k in a[0:15]]  # count in 2020 and 2021
    rows += [(k, 2018) for k in a[15:20]]  # count in 2020 only
    rows += [(k, 2021) for k in a[20:70]]  # count in 2021 only
    rows += [(k, 2021) for k in a[20:30]]  # a second course the same year: still one teacher
    rows += [(k, 2017) for k in a[70:80]]  # too old for either window
    rows += [(k, 2022) for k in a[80:95]]  # after 2021
    rows += [(k, 2019) for k in b[0:5]]  # before joining, inside 2019–2021
    rows += [(k, 2021) for k in b[5:25]]
    rows += [(k, 2021) for k in c[0:3]]  # after leaving in 2020: no count
    rows += [(k, 2021) for k in dd[0:5]]  # before joining in 2022: no count
    rows += [(k, 2021) for k in outsiders[:40]] + [(k, 2020) for k in outsiders[40:]]
    return rows


def _courses(rng, rows: list[tuple[TeacherKey, int]], kinds: dict[TeacherKey, str]) -> list[CompletionSpec]:
    programs = [PROGRAMS[k] for k in ("fgos", "fg", "digital", "mentor", "iom", "finance", "experts", "inclusive")]
    dou = PROGRAMS["dou"]
    completions, used = [], set()
    for number, (key, year) in enumerate(rows, start=1):
        program = dou if kinds[key] == "дошкольное образование" else rng.choice(programs)
        completed = date_between(rng, d(year, 2, 1), d(year, 12, 20))
        while (key, program, completed) in used:  # the same teacher's second course of the year
            program, completed = rng.choice(programs), date_between(rng, d(year, 2, 1), d(year, 12, 20))
        used.add((key, program, completed))
        completions.append(CompletionSpec(
            teacher=key, program=program, completed_on=completed, based_on_diagnostics=rng.random() < 0.4,
            certificate_number=certificate("7827", year, number),
        ))
    return completions


def _routes(plan: DistrictPlan, groups: dict[str, list[TeacherKey]]) -> list[RouteSpec]:
    rng = rng_for(FRUNZENSKY, "iom")
    a, b, c = (list(groups[g]) for g in "ABC")
    rng.shuffle(a)
    rng.shuffle(b)
    members = set(a + b + c + groups["D"])
    outsiders = rng.sample([t.key for t in active_teachers(plan) if t.key not in members], 20)
    layout = [
        (a[0:40], d(2021, 1, 11), d(2021, 12, 24), RouteStatus.ACTIVE),  # 2021
        (a[40:50], d(2020, 9, 1), d(2021, 5, 31), RouteStatus.COMPLETED),  # 2020 and 2021
        (a[50:58], d(2020, 1, 15), d(2020, 12, 18), RouteStatus.COMPLETED),  # 2020
        (a[58:63], d(2021, 2, 1), d(2021, 12, 20), RouteStatus.CANCELLED),  # never counts
        (a[0:3], d(2022, 1, 10), d(2022, 12, 20), RouteStatus.PLANNED),  # a next route, not yet started
        (b[0:25], d(2021, 9, 1), d(2022, 5, 31), RouteStatus.ACTIVE),  # 2021
        (b[25:31], d(2022, 1, 10), d(2022, 12, 20), RouteStatus.PLANNED),  # never counts
        (c[0:2], d(2020, 2, 1), d(2020, 6, 30), RouteStatus.COMPLETED),  # 2020
        (outsiders, d(2021, 1, 11), d(2021, 12, 24), RouteStatus.ACTIVE),  # not members: no count
    ]
    return [
        RouteSpec(teacher=key, starts_on=start, ends_on=end, status=status, deficits=route_deficits(rng),
                  goals=rng.choice(ROUTE_GOALS))
        for keys, start, end, status in layout
        for key in keys
    ]


def _top(plan: DistrictPlan, index: int, year: int = 2021) -> list[str]:
    cluster = next(c for c in plan.clusters if c.year == year and c.name == CLUSTER_NAMES[index])
    return [m.org_code for m in cluster.memberships if m.tier == Tier.TOP]


def _lagging(plan: DistrictPlan, index: int) -> list[str]:
    cluster = next(c for c in plan.clusters if c.year == 2021 and c.name == CLUSTER_NAMES[index])
    return [m.org_code for m in cluster.memberships if m.tier == Tier.LAGGING]


def _innovations(plan: DistrictPlan, groups: dict[str, list[TeacherKey]]) -> list[InnovationSpec]:
    rng = rng_for(FRUNZENSKY, "innovation")
    a, b, c, dd = (list(groups[g]) for g in "ABCD")
    rng.shuffle(a)
    rng.shuffle(b)
    members = set(a + b + c + dd)
    outsiders = rng.sample([t.key for t in active_teachers(plan) if t.key not in members], 15)
    projects = [
        InnovationSpec("Сетевая модель методического сопровождения молодых педагогов", ActivityLevel.DISTRICT,
                       d(2019, 9, 1), d(2020, 12, 31), _top(plan, MANAGEMENT)[0],
                       participants=a[65:73] + c[0:2]),  # counts in 2020 only
        InnovationSpec("Школа цифрового поколения", ActivityLevel.REGION, d(2020, 9, 1), d(2022, 6, 30),
                       _top(plan, DIGITAL)[0], participants=a[0:30]),  # 2020 and 2021
        InnovationSpec("Кластерная модель сетевого взаимодействия образовательных организаций района",
                       ActivityLevel.DISTRICT, d(2021, 1, 15), d(2023, 12, 31), _top(plan, VECTOR)[0],
                       participants=a[0:5] + a[30:65] + b[0:25] + outsiders),  # 2021; a[0:5] twice
        InnovationSpec("Функциональная грамотность: от диагностики к результату", ActivityLevel.CITY,
                       d(2022, 2, 1), d(2024, 6, 30), _top(plan, VECTOR)[1], participants=a[73:83] + dd[0:3]),
        InnovationSpec("Открытое образовательное пространство Купчино", ActivityLevel.DISTRICT, d(2017, 9, 1),
                       d(2019, 12, 31), _top(plan, CULTURE)[0], participants=a[83:93]),
    ]
    for project in projects:
        keys = project.participants
        project.participants = [(k, "руководитель проектной группы" if i == 0 else "участник")
                                for i, k in enumerate(keys)]
    return projects


def _mentorships(plan: DistrictPlan) -> list[MentorshipSpec]:
    rng = rng_for(FRUNZENSKY, "mentorship")
    teachers = active_teachers(plan)
    mentees = [t for t in teachers if t.birth_year >= 1995 and t.experience_years <= 3]
    pairs = []
    for mentee in rng.sample(mentees, min(40, len(mentees))):
        mentors = [t for t in teachers if t.org_code == mentee.org_code and t.experience_years >= 15
                   and t.key != mentee.key]
        if not mentors:
            continue
        mentor = rng.choice(mentors)
        first_year = len(pairs) % 2 == 0
        pairs.append(MentorshipSpec(
            mentor=mentor.key, mentee=mentee.key,
            starts_on=d(2020, 9, 1) if first_year else d(2021, 9, 1),
            ends_on=d(2021, 6, 30) if first_year else None,
            notes="Проект «Опытные — молодым»: план адаптации молодого специалиста, взаимопосещение уроков.",
        ))
    return pairs


def _events(plan: DistrictPlan) -> list[EventSpec]:
    rng = rng_for(FRUNZENSKY, "events")
    events = [
        EventSpec("Ежегодный педагогический фестиваль «Педагогические идеи — 2021»", EventForm.FESTIVAL,
                  ActivityLevel.DISTRICT, d(2021, 4, 15), tuple(_top(plan, VECTOR)[:2] + _top(plan, CULTURE)),
                  participants_count=420,
                  description="Новая форма взаимодействия участников сетевого профессионального сообщества 2021 "
                              "года: презентация продуктов проектов всех девяти кластеров."),
        EventSpec("Педагогический фестиваль «Педагогические идеи — 2020» (онлайн)", EventForm.FESTIVAL,
                  ActivityLevel.DISTRICT, d(2020, 11, 26), tuple(_top(plan, VECTOR, 2020)),
                  participants_count=260),
        EventSpec("Районная научно-практическая конференция «Сетевое взаимодействие: от кластера к "
                  "профессиональному сообществу»", EventForm.CONFERENCE, ActivityLevel.DISTRICT, d(2021, 11, 25),
                  tuple(_top(plan, VECTOR)[:3]), participants_count=180),
        EventSpec("Экспедиция по адресам педагогического опыта: Казань", EventForm.EXPEDITION,
                  ActivityLevel.FEDERAL, d(2019, 10, 23), participants_count=24,
                  description="Межрегиональный проект «Экспедиция по адресам педагогического опыта»."),
        EventSpec("Экспедиция по адресам педагогического опыта: Великий Новгород", EventForm.EXPEDITION,
                  ActivityLevel.FEDERAL, d(2021, 10, 14), participants_count=30,
                  description="Межрегиональный проект «Экспедиция по адресам педагогического опыта»."),
        EventSpec("Районный конкурс педагогических достижений", EventForm.COMPETITION, ActivityLevel.DISTRICT,
                  d(2021, 1, 28), participants_count=64),
        EventSpec("Конкурс молодых педагогов «Педагогические надежды»", EventForm.COMPETITION, ActivityLevel.CITY,
                  d(2021, 3, 10), community=(CommunityKind.YOUNG_TEACHERS_CLUB, CLUB), participants_count=18),
        EventSpec("Постоянно действующий семинар: методическая тема ОУ и проект", EventForm.SEMINAR,
                  ActivityLevel.DISTRICT, d(2021, 2, 17), tuple(_top(plan, FGOS)),
                  community=(CommunityKind.PERMANENT_SEMINAR, SEMINAR), participants_count=45),
        EventSpec("Постоянно действующий семинар: взаимоапробация продуктов проектов", EventForm.SEMINAR,
                  ActivityLevel.DISTRICT, d(2021, 10, 20), tuple(_top(plan, DIGITAL)),
                  community=(CommunityKind.PERMANENT_SEMINAR, SEMINAR), participants_count=52),
        EventSpec("Вебинар «Дистанционное обучение: инструменты и практики»", EventForm.WEBINAR,
                  ActivityLevel.DISTRICT, d(2020, 4, 22), tuple(_top(plan, DIGITAL, 2020)), participants_count=310),
        EventSpec("Вебинар «Рабочая программа воспитания: структура и содержание»", EventForm.WEBINAR,
                  ActivityLevel.DISTRICT, d(2021, 2, 10),
                  community=(CommunityKind.CROSS_FUNCTIONAL_TEAM, TEAM_PROGRAMME), participants_count=140),
        EventSpec("Видеоуроки для горизонтального обучения: функциональная грамотность на уроке",
                  EventForm.OPEN_LESSON, ActivityLevel.DISTRICT, d(2021, 5, 19),
                  community=(CommunityKind.CREATIVE_GROUP, VIDEO_GROUP), participants_count=95),
        EventSpec("Открытый урок «Семейный бюджет»", EventForm.OPEN_LESSON, ActivityLevel.ORGANISATION,
                  d(2021, 11, 17), tuple(_top(plan, FINANCE)), cluster=(2021, CLUSTER_NAMES[FINANCE]),
                  participants_count=12),
        EventSpec("Городской семинар «Кластерный подход в методической работе района»", EventForm.SEMINAR,
                  ActivityLevel.CITY, d(2021, 5, 20), tuple(_top(plan, VECTOR)[:2]), participants_count=75),
    ]
    # Seed 000: «мастер-классы … для горизонтального обучения педагогов по проблематике кластера».
    for index, name in enumerate(CLUSTER_NAMES):
        events.append(EventSpec(
            f"Мастер-класс кластера «{name}»", EventForm.MASTER_CLASS, ActivityLevel.DISTRICT,
            date_between(rng, d(2021, 2, 1), d(2021, 11, 30)), tuple(_top(plan, index)),
            cluster=(2021, name), participants_count=rng.randint(25, 60),
        ))
    # Seed 002: «Методический десант» of a ТОП organisation into a lagging one.
    for index, held in ((PARENTS, d(2021, 3, 18)), (ECOLOGY, d(2021, 11, 11)), (DOU, d(2021, 10, 6))):
        target = plan.organisation(_lagging(plan, index)[0]).short_name
        events.append(EventSpec(
            f"Методический десант в {target}", EventForm.METHODICAL_LANDING, ActivityLevel.DISTRICT, held,
            tuple(_top(plan, index)), cluster=(2021, CLUSTER_NAMES[index]), participants_count=rng.randint(15, 30),
            description="Взаимообучение профессиональных команд с демонстрацией педагогических приёмов и "
                        "технологий.",
        ))
    return events


def add_growth(plan: DistrictPlan) -> None:
    groups = _groups(plan)
    plan.communities = build_communities(plan, groups)
    plan.completions = _completions(plan, groups)
    plan.routes = _routes(plan, groups)
    plan.innovations = _innovations(plan, groups)
    plan.mentorships = _mentorships(plan)
    plan.events = _events(plan)
