"""Sayansk (seed 001): 13 ГППО, 6 network communities, 3 ГМО-associations, 2019/20.

Seed 001 counts 582 participants, 95,7 % of the city's teachers; with 608 teachers that share is
exact (582 / 608 = 95,72 %), and members joining in September of each year reproduce the seed's
history 350 → 450 → 526 → 582 (58 %, 74 %, 87 %, 95,7 % of 608). The leaders are the ones the seed
names; their first names and patronymics, and every organisation's name, are INVENTED.
"""
from __future__ import annotations

from clusters.models import ActivityLevel, CommunityKind, EventForm, OrganisationKind, QualificationCategory

from .base import district_plan
from .common import (
    CommunityMemberSpec,
    CommunitySpec,
    CompletionSpec,
    DistrictPlan,
    EventSpec,
    InnovationSpec,
    MentorshipSpec,
    OrganisationSpec,
    TeacherKey,
    TeacherSpec,
    d,
    rng_for,
)
from .districts import SAYANSK
from .growth import PROGRAMS, certificate, date_between
from .teachers import build_staff

TEACHERS = 608
PARTICIPANTS_2019_20 = 582
# Members by academic year (seed 001, «Участники»): cohorts join in September.
PARTICIPANTS_BY_YEAR = {2016: 350, 2017: 450, 2018: 526, 2019: PARTICIPANTS_2019_20}
NETWORK_PARTICIPANTS = 129  # «Педагогическая лаборатория успеха»

CITY = "Иркутская обл., г. Саянск"
MOU = "Муниципальное общеобразовательное учреждение"
MDOU = "Муниципальное дошкольное образовательное учреждение"
MOUDO = "Муниципальное образовательное учреждение дополнительного образования"
# (code, short name, full name, kind, staff size, microdistrict, house)
ORGANISATIONS = (
    ("SAY-S01", "МОУ СОШ № 1", f"{MOU} «Средняя общеобразовательная школа № 1»", OrganisationKind.SCHOOL, 38,
     "Юбилейный", 12),
    ("SAY-S02", "МОУ СОШ № 2", f"{MOU} «Средняя общеобразовательная школа № 2»", OrganisationKind.SCHOOL, 46,
     "Олимпийский", 17),
    ("SAY-S03", "МОУ СОШ № 3", f"{MOU} «Средняя общеобразовательная школа № 3»", OrganisationKind.SCHOOL, 40,
     "Ленинградский", 2),
    ("SAY-S04", "МОУ СОШ № 4", f"{MOU} «Средняя общеобразовательная школа № 4»", OrganisationKind.SCHOOL, 48,
     "Строителей", 25),
    ("SAY-S05", "МОУ СОШ № 5", f"{MOU} «Средняя общеобразовательная школа № 5»", OrganisationKind.SCHOOL, 44,
     "Октябрьский", 7),
    ("SAY-S06", "МОУ СОШ № 6", f"{MOU} «Средняя общеобразовательная школа № 6»", OrganisationKind.SCHOOL, 42,
     "Мирный", 9),
    ("SAY-S07", "МОУ СОШ № 7", f"{MOU} «Средняя общеобразовательная школа № 7»", OrganisationKind.SCHOOL, 36,
     "Благовещенский", 4),
    ("SAY-GYM", "МОУ «Гимназия им. В.А. Надькина»", f"{MOU} «Гимназия имени В.А. Надькина»",
     OrganisationKind.SCHOOL, 50, "Центральный", 10),
    ("SAY-VSOSH", "МОУ «Вечерняя (сменная) ОШ»", f"{MOU} «Вечерняя (сменная) общеобразовательная школа»",
     OrganisationKind.SCHOOL, 12, "Ленинградский", 11),
    ("SAY-NSDS", "МОУ «НШ — детский сад № 9»", f"{MOU} «Начальная школа — детский сад № 9»",
     OrganisationKind.SCHOOL, 16, "Солнечный", 3),
    ("SAY-D01", "МДОУ «Детский сад № 1 «Журавушка»»", f"{MDOU} «Детский сад комбинированного вида № 1 «Журавушка»»",
     OrganisationKind.KINDERGARTEN, 17, "Юбилейный", 30),
    ("SAY-D10", "МДОУ «Детский сад № 10 «Белочка»»", f"{MDOU} «Детский сад № 10 «Белочка»»",
     OrganisationKind.KINDERGARTEN, 18, "Олимпийский", 5),
    ("SAY-D19", "МДОУ «Детский сад № 19 «Росинка»»", f"{MDOU} «Детский сад комбинированного вида № 19 «Росинка»»",
     OrganisationKind.KINDERGARTEN, 20, "Ленинградский", 18),
    ("SAY-D21", "МДОУ «Детский сад № 21 «Брусничка»»", f"{MDOU} «Детский сад № 21 «Брусничка»»",
     OrganisationKind.KINDERGARTEN, 16, "Строителей", 6),
    ("SAY-D22", "МДОУ «Детский сад № 22 «Солнышко»»", f"{MDOU} «Центр развития ребёнка — детский сад № 22 "
     "«Солнышко»»", OrganisationKind.KINDERGARTEN, 19, "Октябрьский", 21),
    ("SAY-D23", "МДОУ «Детский сад № 23 «Лукоморье»»", f"{MDOU} «Детский сад № 23 «Лукоморье»»",
     OrganisationKind.KINDERGARTEN, 18, "Мирный", 14),
    ("SAY-D25", "МДОУ «Детский сад № 25 «Тополёк»»", f"{MDOU} «Детский сад № 25 «Тополёк»»",
     OrganisationKind.KINDERGARTEN, 17, "Центральный", 8),
    ("SAY-D27", "МДОУ «Детский сад № 27 «Петушок»»", f"{MDOU} «Детский сад № 27 «Петушок»»",
     OrganisationKind.KINDERGARTEN, 18, "Благовещенский", 13),
    ("SAY-D33", "МДОУ «Детский сад № 33 «Лесовичок»»", f"{MDOU} «Детский сад № 33 «Лесовичок»»",
     OrganisationKind.KINDERGARTEN, 19, "Солнечный", 22),
    ("SAY-D35", "МДОУ «Детский сад № 35 «Алёнушка»»", f"{MDOU} «Детский сад № 35 «Алёнушка»»",
     OrganisationKind.KINDERGARTEN, 18, "Юбилейный", 41),
    ("SAY-U-DDT", "МОУ ДО «ДДТ»", f"{MOUDO} «Дом детского творчества»", OrganisationKind.SUPPLEMENTARY, 30,
     "Центральный", 6),
    ("SAY-U-DUSSH", "МОУ ДО «ДЮСШ»", f"{MOUDO} «Детско-юношеская спортивная школа»",
     OrganisationKind.SUPPLEMENTARY, 26, "Олимпийский", 1),
)
POSTCODES = {"Юбилейный": "666304", "Олимпийский": "666304", "Ленинградский": "666303", "Строителей": "666301",
             "Октябрьский": "666302", "Мирный": "666302", "Благовещенский": "666303", "Центральный": "666301",
             "Солнечный": "666302"}

# Leaders named in seed 001 — surname and initials are the seed's; the full names are INVENTED to
# match. (full name, organisation, position, subject, birth year, experience)
LEADERS = {
    "Резниченко": ("Резниченко Юлия Леонидовна", "SAY-S02", "учитель", "начальные классы", 1976, 22),
    "Андреева": ("Андреева Наталья Петровна", "SAY-D10", "воспитатель", "дошкольное образование", 1972, 26),
    "Козлова": ("Козлова Надежда Юрьевна", "SAY-D22", "старший воспитатель", "дошкольное образование", 1969, 29),
    "Апиш": ("Апиш Оксана Михайловна", "SAY-S04", "педагог-психолог", "психология", 1978, 18),
    "Бондарь": ("Бондарь Елена Викторовна", "SAY-S06", "учитель", "английский язык", 1974, 24),
    "Гусева": ("Гусева Татьяна Сергеевна", "SAY-S03", "учитель", "физическая культура", 1971, 27),
    "Долгих": ("Долгих Наталья Фёдоровна", "SAY-D19", "учитель-логопед", "логопедия", 1966, 31),
    "Королева": ("Королева Людмила Петровна", "SAY-D01", "воспитатель", "дошкольное образование", 1965, 33),
    "Лаптева": ("Лаптева Ольга Тимофеевна", "SAY-S07", "учитель", "математика", 1968, 30),
    "Литвина": ("Литвина Светлана Леонидовна", "SAY-GYM", "учитель", "история и обществознание", 1973, 25),
    "Лошакова": ("Лошакова Юлия Ивановна", "SAY-S01", "учитель", "информатика", 1982, 15),
    "Олиярник": ("Олиярник Галина Васильевна", "SAY-S02", "учитель", "музыка", 1963, 35),
    "Рыжкова": ("Рыжкова Анна Сергеевна", "SAY-S05", "учитель", "русский язык и литература", 1979, 19),
    "Талалова": ("Талалова Ирина Владимировна", "SAY-S04", "учитель", "начальные классы", 1970, 27),
    "Хроменко": ("Хроменко Ирина Анатольевна", "SAY-GYM", "учитель", "биология", 1975, 23),
    # INVENTED: the ГППО of kindergarten PE instructors was set up on 02.03.2020 (the seed's
    # распоряжение), after the year's list of leaders, so the seed does not name its leader.
    "Мартынова": ("Мартынова Елена Геннадьевна", "SAY-D25", "инструктор по физической культуре",
                  "физическая культура", 1980, 16),
    # Not a leader: the seed names her publication («Многоугольники и их площади», СОШ № 5).
    "Ключникова": ("Ключникова Ирина Александровна", "SAY-S05", "учитель", "математика", 1977, 20),
}

INSTRUCTORS = "ГППО инструкторов по физической культуре ДОУ"
# 13 ГППО: (name, topic, subjects of its members, leader). The seed names the first six.
GPPO = (
    ("ГППО учителей математики", "Повышение качества математического образования: анализ КИМ ОГЭ и ЕГЭ, "
     "функциональная грамотность", ("математика",), "Лаптева"),
    ("ГППО учителей истории и обществознания", "Историко-культурный стандарт и подготовка к ГИА",
     ("история и обществознание", "туристско-краеведческая направленность"), "Литвина"),
    ("ГППО учителей физической культуры", "Здоровьесберегающие технологии и комплекс ГТО",
     ("физическая культура", "физкультурно-спортивная направленность"), "Гусева"),
    ("ГППО учителей музыки и ИЗО «Синтез искусств»", "Воспитательные возможности искусства в развитии ребёнка",
     ("музыка", "изобразительное искусство", "художественная направленность"), "Олиярник"),
    ("ГППО воспитателей ДОУ", "Реализация ФГОС ДО: деятельностный подход в работе с дошкольниками",
     ("дошкольное образование",), "Королева"),
    (INSTRUCTORS, "Физическое развитие дошкольников в условиях ФГОС ДО", (), "Мартынова"),
    ("ГППО учителей начальных классов", "Формирование учебной самостоятельности младших школьников",
     ("начальные классы",), "Талалова"),
    ("ГППО учителей русского языка и литературы", "Смысловое чтение и речевая культура обучающихся",
     ("русский язык и литература", "библиотечное дело"), "Рыжкова"),
    ("ГППО учителей иностранного языка", "Коммуникативный подход и подготовка к ГИА по иностранному языку",
     ("английский язык", "немецкий язык"), "Бондарь"),
    ("ГППО учителей естественнонаучного цикла", "Естественнонаучная грамотность и метапредметная олимпиада",
     ("физика", "химия", "биология", "география", "естественнонаучная направленность"), "Хроменко"),
    ("ГППО учителей информатики и технологии", "Цифровые технологии в образовательном процессе",
     ("информатика", "технология", "ОБЖ", "техническая направленность"), "Лошакова"),
    ("ГППО педагогов-психологов и социальных педагогов",
     "Психолого-педагогическое сопровождение участников образовательных отношений",
     ("психология", "социальная педагогика", "тьюторское сопровождение", "воспитательная работа",
      "социально-гуманитарная направленность", "методическая работа"), "Апиш"),
    ("ГППО учителей-логопедов и дефектологов", "Коррекционная работа с детьми с нарушениями речи",
     ("логопедия", "дефектология"), "Долгих"),
)

# The six problems of seed 001 («Проблемы, над которыми работали сообщества») are the topics; the
# short names are INVENTED. (name, topic, who may join, leader)
NETWORK = (
    ("Смешанное обучение", "«Мобильное и смешанное обучение как способ реализации ФГОС»", "school", 28,
     "Лошакова"),
    ("Диагностика развития ребёнка",
     "Применение инструментария диагностики и оценки показателей уровня и динамики развития ребенка",
     "kindergarten", 22, "Королева"),
    ("Языковая среда", "«Формирование языковой среды образовательного учреждения в соответствие с нормами "
     "современного литературного языка»", "school", 20, "Рыжкова"),
    ("Психология в реальной и виртуальной среде", "«Современные психолого-педагогические технологии, основанные "
     "на знании закономерностей развития личности и поведения в реальной и виртуальной среде»", "any", 18,
     "Апиш"),
    ("Инициатива дошкольника", "«Развитие инициативы, самостоятельности и творчества детей дошкольного возраста в "
     "различных видах деятельности, как средство подготовки к школьному обучению»", "kindergarten", 22, "Долгих"),
    ("Искусство воспитывает", "«Реализация воспитательных возможностей искусства: музыкальных и художественных "
     "произведений в личностном развитии ребенка»", "any", 19, "Олиярник"),
)

ASSOCIATIONS = (
    ("Современный учитель",
     "Актуальные подходы к контрольно-оценочной деятельности в соответствии с реальными учебными возможностями "
     "детей", "начальные классы", 22, "Резниченко"),
    ("Современные подходы к проектированию предметно-развивающей пространственной среды в группах раннего "
     "возраста детского сада",
     "Проектирование предметно-развивающей пространственной среды в группах раннего возраста; объединение "
     "воспитателей младших групп ДОУ", "дошкольное образование", 16, "Андреева"),
    ("Образовательные технологии поддержки позитивной социализации, развития инициативы и творческих "
     "способностей дошкольников",
     "Освоение инновационной технологии деятельностного метода «Ситуация»", "дошкольное образование", 18,
     "Козлова"),
)


def _organisations() -> list[OrganisationSpec]:
    return [
        OrganisationSpec(
            code=code, short_name=short, full_name=full, kind=kind,
            address=f"{POSTCODES[mkr]}, {CITY}, мкр. {mkr}, д. {house}",
            email=f"{code.lower().removeprefix('say-')}@sayansk-edu.example",
        )
        for code, short, full, kind, _, mkr, house in ORGANISATIONS
    ]


def _staff(organisations: list[OrganisationSpec]) -> tuple[list[TeacherSpec], dict[str, TeacherKey]]:
    """608 teachers; the named ones take the first personnel numbers of their organisations."""
    sizes = {row[0]: row[4] for row in ORGANISATIONS}
    teachers, leaders = [], {}
    for org in organisations:
        named = [(label, row) for label, row in LEADERS.items() if row[1] == org.code]
        for number, (label, (name, _, position, subject, born, experience)) in enumerate(named, start=1):
            spec = TeacherSpec(org.code, f"{number:04d}", name, position, subject, experience, born,
                               QualificationCategory.HIGHEST, "higher")
            teachers.append(spec)
            leaders[label] = spec.key
        rng = rng_for(SAYANSK, "staff", org.code)
        # Seed 001: 17,7 % under 35, 15,6 % of pension age.
        teachers += build_staff(rng, org, sizes[org.code] - len(named), reference_year=2020, young_share=0.177,
                                senior_share=0.156, first_index=len(named) + 1)
    return teachers, leaders


def _gppo_of(teacher: TeacherSpec) -> str | None:
    return next((name for name, _, subjects, _ in GPPO if teacher.subject_area in subjects), None)


def _communities(plan: DistrictPlan, leaders: dict[str, TeacherKey]) -> list[CommunitySpec]:
    rng = rng_for(SAYANSK, "communities")
    teachers = {t.key: t for t in plan.teachers}
    kinds = {o.code: o.kind for o in plan.organisations}
    members = _participants(rng, plan, set(leaders.values()), leaders)
    communities = _gppo(rng, members, teachers, kinds)
    communities += _networks_and_associations(rng, members, teachers, kinds, leaders)
    for spec in communities:
        _lead(spec, leaders)
    return communities


def _participants(rng, plan: DistrictPlan, leader_keys: set[TeacherKey],
                  leaders: dict[str, TeacherKey]) -> list[TeacherKey]:
    """The 582 who took part in 2019/20: the leaders, then everybody but the 26 who took part in nothing."""
    # The 26: those whose work no ГППО covers, then a random few.
    outside = [t.key for t in plan.teachers if not _gppo_of(t) and t.key not in leader_keys]
    others = [t.key for t in plan.teachers if t.key not in leader_keys and t.key not in outside]
    rng.shuffle(others)
    non_participants = set((outside + others)[: TEACHERS - PARTICIPANTS_2019_20])
    members = list(leaders.values()) + [k for k in others if k not in non_participants]
    members += [k for k in outside if k not in non_participants]  # any left over join a fallback ГППО
    assert len(members) == PARTICIPANTS_2019_20
    return members


def _gppo(rng, members: list[TeacherKey], teachers: dict, kinds: dict) -> list[CommunitySpec]:
    """The ГППО by subject; members join in September of the year their cohort started."""
    cohorts, start = {}, 0
    for year, total in PARTICIPANTS_BY_YEAR.items():
        for key in members[start:total]:
            cohorts[key] = year
        start = total
    gppo = {
        name: CommunitySpec(CommunityKind.GPPO, name, topic, started_on=d(2020, 3, 2) if name == INSTRUCTORS
                            else d(2015, 9, 1))
        for name, topic, _, _ in GPPO
    }
    fallback = "ГППО педагогов-психологов и социальных педагогов"
    for key in members:
        year = cohorts[key]
        joined = date_between(rng, d(year, 9, 1), d(year, 9, 30))
        gppo[_gppo_of(teachers[key]) or fallback].members.append(CommunityMemberSpec(key, joined))
    for key in members:
        if (teachers[key].position == "инструктор по физической культуре"
                and kinds[key[0]] == OrganisationKind.KINDERGARTEN):
            gppo[INSTRUCTORS].members.append(CommunityMemberSpec(key, d(2020, 3, 2)))
    return list(gppo.values())


def _networks_and_associations(rng, members: list[TeacherKey], teachers: dict, kinds: dict,
                               leaders: dict[str, TeacherKey]) -> list[CommunitySpec]:
    leader_keys = set(leaders.values())
    communities = []
    taken: set[TeacherKey] = set()
    for name, topic, audience, size, leader in NETWORK:
        spec = CommunitySpec(CommunityKind.NETWORK, name, topic, started_on=d(2019, 9, 16), ended_on=d(2020, 5, 31))
        pool = [k for k in members if k not in taken and k not in leader_keys
                and (audience == "any" or kinds[k[0]] == audience)]
        chosen = [leaders[leader]] + rng.sample(pool, size - 1)
        taken.update(chosen)
        spec.members = [CommunityMemberSpec(k, d(2019, 10, 1), d(2020, 5, 31)) for k in chosen]
        communities.append(spec)
    for name, topic, subject, size, leader in ASSOCIATIONS:
        spec = CommunitySpec(CommunityKind.GMO_ASSOCIATION, name, topic, started_on=d(2019, 9, 2))
        pool = [k for k in members if teachers[k].subject_area == subject and teachers[k].position != "старший "
                "воспитатель" and k not in leader_keys and k not in taken]
        chosen = [leaders[leader]] + rng.sample(pool, size - 1)
        taken.update(chosen[1:])
        spec.members = [CommunityMemberSpec(k, d(2019, 9, 16)) for k in chosen]
        communities.append(spec)
    return communities


def _lead(spec: CommunitySpec, leaders: dict[str, TeacherKey]) -> None:
    """The seed's leader of the community, a member with the role «leader»."""
    label = next((lab for n, _, _, lab in GPPO if n == spec.name), None) or next(
        (lab for n, *_, lab in (*NETWORK, *ASSOCIATIONS) if n == spec.name), None)
    spec.leader = leaders[label]
    spec.members = [
        CommunityMemberSpec(m.teacher, m.joined_on, m.left_on, "leader" if m.teacher == spec.leader else "member")
        for m in spec.members
    ]
    if not any(m.teacher == spec.leader for m in spec.members):
        spec.members.append(CommunityMemberSpec(spec.leader, spec.started_on, None, "leader"))


def _growth(plan: DistrictPlan, leaders: dict[str, TeacherKey]) -> None:
    rng = rng_for(SAYANSK, "growth")
    plan.completions = _completions(rng, plan)
    quality = InnovationSpec("Муниципальная инновационная площадка по управлению качеством образования",
                             ActivityLevel.CITY, d(2018, 9, 1), d(2021, 6, 30), "SAY-GYM")
    quality.participants = [(key, "руководитель ГППО") for key in leaders.values()]
    plan.innovations = [quality]
    plan.mentorships = _mentorships(rng, plan)
    plan.events = _events()


def _completions(rng, plan: DistrictPlan) -> list[CompletionSpec]:
    network = [m.teacher for c in plan.communities if c.kind == CommunityKind.NETWORK for m in c.members]
    # Seed 001: network participants «получили сертификаты краткосрочного повышения квалификации».
    completions = [
        CompletionSpec(key, PROGRAMS["say_lab"], d(2020, 5, 29), certificate_number=certificate("38CRO", 2020, n))
        for n, key in enumerate(network, start=1)
    ]
    schools = [t.key for t in plan.teachers if t.org_code.startswith("SAY-S") or t.org_code == "SAY-GYM"]
    for n, key in enumerate(rng.sample(schools, 40), start=1):
        completions.append(CompletionSpec(key, PROGRAMS["say_mixed"], date_between(rng, d(2020, 6, 1),
                           d(2020, 8, 28)), certificate_number=certificate("38IRO", 2020, n)))
    maths = [t.key for t in plan.teachers if t.subject_area == "математика"]
    for n, key in enumerate(maths, start=1):
        completions.append(CompletionSpec(key, PROGRAMS["say_ege"], d(2019, 11, 22),
                                          certificate_number=certificate("38IRO", 2019, 100 + n)))
    return completions


def _mentorships(rng, plan: DistrictPlan) -> list[MentorshipSpec]:
    mentorships = []
    young = [t for t in plan.teachers if t.birth_year >= 1994 and t.experience_years <= 3]
    for mentee in rng.sample(young, min(10, len(young))):
        mentors = [t for t in plan.teachers if t.org_code == mentee.org_code and t.experience_years >= 15]
        if mentors:
            mentorships.append(MentorshipSpec(rng.choice(mentors).key, mentee.key, d(2019, 9, 2),
                                              d(2020, 5, 29), "Наставничество в первый год работы."))
    return mentorships


def _events() -> list[EventSpec]:
    maths_gppo = (CommunityKind.GPPO, "ГППО учителей математики")
    return [
        EventSpec("Региональный семинар по подготовке учащихся к ЕГЭ по математике", EventForm.SEMINAR,
                  ActivityLevel.REGION, d(2019, 12, 12), ("SAY-S05",), community=maths_gppo, participants_count=210,
                  description="С участием эксперта областной предметной комиссии С.Н. Маркова: 30 педагогов и "
                              "180 школьников."),
        EventSpec("Открытые уроки учителей математики в режиме дистанционного обучения", EventForm.OPEN_LESSON,
                  ActivityLevel.CITY, d(2020, 4, 23), ("SAY-S05", "SAY-S07"), community=maths_gppo,
                  participants_count=35),
        EventSpec("Фестиваль педагогических идей «Калейдоскоп уроков»", EventForm.FESTIVAL, ActivityLevel.CITY,
                  d(2020, 2, 20), ("SAY-GYM", "SAY-S02"), participants_count=140),
        EventSpec("Ежегодный педагогический MEET UP «Педагогическая лаборатория успеха»", EventForm.CONFERENCE,
                  ActivityLevel.CITY, d(2020, 5, 28), participants_count=129,
                  description="Подведение итогов сетевого проекта 2019–2020 учебного года."),
        EventSpec("Интеллектуальная игра МИФ", EventForm.COMPETITION, ActivityLevel.CITY, d(2019, 11, 15),
                  ("SAY-S04",), participants_count=24),
        EventSpec("Конкурс «Секретный бит»", EventForm.COMPETITION, ActivityLevel.CITY, d(2020, 2, 7), ("SAY-S01",),
                  community=(CommunityKind.GPPO, "ГППО учителей информатики и технологии"), participants_count=18),
        EventSpec("Метапредметная олимпиада по естествознанию", EventForm.COMPETITION, ActivityLevel.CITY,
                  d(2020, 3, 5), ("SAY-GYM",),
                  community=(CommunityKind.GPPO, "ГППО учителей естественнонаучного цикла"), participants_count=22),
        EventSpec("Круглый стол «Активная оценка — новая стратегия обучения»", EventForm.SEMINAR, ActivityLevel.CITY,
                  d(2020, 5, 14), ("SAY-S02",), community=(CommunityKind.GMO_ASSOCIATION, "Современный учитель"),
                  participants_count=30, description="Совместно с учителями г. Тулуна и Тулунского района."),
    ]


def build_plan() -> DistrictPlan:
    plan = district_plan(SAYANSK)
    plan.organisations = _organisations()
    plan.teachers, leaders = _staff(plan.organisations)
    plan.communities = _communities(plan, leaders)
    _growth(plan, leaders)
    return plan
