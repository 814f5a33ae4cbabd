"""Kirovsky (seed 004) and Krasnoselsky (seed 003) districts: a lighter set of demo data.

Both get the ИМЦ, organisations and teachers, a couple of clusters and communities, some courses,
ИОМ, mentorships, an innovation project and events. Cluster and community names follow what the
seeds describe (Kirovsky: РМО, творческие группы, клуб молодых педагогов, постоянно действующие
семинары; Krasnoselsky: the projects «Цифровая трансформация», «Лаборатория качества»,
«Наставник»); their members and dates are generated.
"""
from __future__ import annotations

from dataclasses import dataclass

from clusters.models import ActivityLevel, CommunityKind, EventForm, OrganisationKind, RouteStatus, Tier

from .base import active_teachers, add_staff, district_plan
from .common import (
    ClusterSpec,
    CommunityMemberSpec,
    CommunitySpec,
    CompletionSpec,
    DistrictPlan,
    EventSpec,
    InnovationSpec,
    MembershipSpec,
    MentorshipSpec,
    ProgramSpec,
    RouteSpec,
    d,
    rng_for,
)
from .districts import KIROVSKY, KIROVSKY_PROFILE, KRASNOSELSKY, KRASNOSELSKY_PROFILE
from .growth import (
    PROGRAMS,
    RMO_SUBJECTS,
    ROUTE_GOALS,
    certificate,
    date_between,
    pick_leader,
    route_deficits,
)
from .organisations import SpbProfile, build_spb_organisations


@dataclass(frozen=True)
class LightDistrict:
    code: str
    profile: SpbProfile
    year: int  # the year the district's clusters and most activity belong to
    # (name, description, themes, number of schools, number of kindergartens, other codes)
    clusters: tuple[tuple[str, str, tuple[str, ...], int, int, tuple[str, ...]], ...]
    rmo: tuple[str, ...]  # names from growth.RMO_SUBJECTS
    # (kind, name, topic, started_on, ended_on, size, young only)
    extra_communities: tuple[tuple[str, str, str, object, object, int, bool], ...]
    programs: tuple[ProgramSpec, ...]
    route_share: float
    innovation: tuple[str, str, object, object]  # (title, level, starts_on, ends_on)
    events: tuple[tuple[str, str, str, object, int], ...]  # (title, form, level, held_on, participants)
    certificate_prefix: str


KIROVSKY_DATA = LightDistrict(
    code=KIROVSKY,
    profile=KIROVSKY_PROFILE,
    year=2021,
    clusters=(
        ("Функциональная грамотность: читательская, математическая, естественнонаучная",
         "Формирование и оценка функциональной грамотности обучающихся.",
         ("Формирование читательской грамотности на уроках всех предметов",
          "Математическая грамотность: задачи в реальных контекстах",
          "Естественнонаучная грамотность через исследовательскую деятельность"), 7, 0, ()),
        ("Инклюзивное образование: равные возможности", "Сопровождение обучающихся с ОВЗ и инвалидностью.",
         ("Адаптированные образовательные программы в общеобразовательном классе",
          "Инклюзивная среда детского сада", "Тьюторское сопровождение детей с ОВЗ"), 2, 2, ("KIR-O-RCIO",)),
    ),
    rmo=("РМО учителей математики", "РМО учителей русского языка и литературы", "РМО учителей начальных классов",
         "РМО учителей иностранного языка", "РМО учителей истории и обществознания", "РМО воспитателей ДОУ"),
    extra_communities=(
        (CommunityKind.YOUNG_TEACHERS_CLUB, "Клуб молодых педагогов Кировского района",
         "Методическое сопровождение и поддержка молодых педагогов, форум молодых педагогов", d(2018, 9, 1), None,
         35, True),
        (CommunityKind.CREATIVE_GROUP, "Творческая группа «Профессиональные конкурсы»",
         "Подготовка педагогов к профессиональным конкурсам, обобщение опыта победителей", d(2019, 9, 1), None, 14,
         False),
        (CommunityKind.PERMANENT_SEMINAR, "Постоянно действующий семинар «Наставничество в образовательной "
         "организации»", "Реализация программ наставничества педагогических работников", d(2020, 9, 1), None, 30,
         False),
    ),
    programs=(PROGRAMS["kir_method"], PROGRAMS["kir_young"], PROGRAMS["fg"], PROGRAMS["experts"]),
    route_share=0.06,
    innovation=("Научно-методическое сопровождение педагогов: выявление и преодоление профессиональных дефицитов",
                ActivityLevel.DISTRICT, d(2020, 9, 1), d(2023, 6, 30)),
    events=(
        ("Районный конкурс педагогических достижений", EventForm.COMPETITION, ActivityLevel.DISTRICT,
         d(2021, 1, 21), 58),
        ("Форум молодых педагогов Кировского района", EventForm.CONFERENCE, ActivityLevel.DISTRICT, d(2021, 4, 8),
         120),
        ("Семинар «Адресная методическая поддержка ОО с низкими результатами»", EventForm.SEMINAR,
         ActivityLevel.DISTRICT, d(2021, 10, 13), 46),
        ("Мастер-класс «Задания на функциональную грамотность»", EventForm.MASTER_CLASS, ActivityLevel.DISTRICT,
         d(2021, 11, 24), 38),
        ("Вебинар «Индивидуальная траектория профессионального развития педагога»", EventForm.WEBINAR,
         ActivityLevel.DISTRICT, d(2021, 3, 3), 150),
        ("Городская конференция «Методическое сопровождение педагогов: региональная модель»",
         EventForm.CONFERENCE, ActivityLevel.CITY, d(2021, 12, 9), 210),
    ),
    certificate_prefix="7805",
)

KRASNOSELSKY_DATA = LightDistrict(
    code=KRASNOSELSKY,
    profile=KRASNOSELSKY_PROFILE,
    year=2023,
    clusters=(
        ("Цифровая трансформация образовательной организации",
         "Управление развитием цифровой среды ОУ (проект программы развития ИМЦ «Цифровая трансформация»).",
         ("Цифровая образовательная среда ОУ: от инфраструктуры к педагогическим практикам",
          "Платформа Сферум в работе педагога", "Электронные образовательные модули в урочной деятельности"),
         5, 1, ()),
        ("Лаборатория качества", "Адресная поддержка ОУ, демонстрирующих низкие образовательные результаты "
         "(проект «Лаборатория качества»).",
         ("Кружки качества: анализ результатов оценочных процедур",
          "Программа поддержки школы в зоне риска снижения результатов",
          "Индивидуальные маршруты педагогов по итогам диагностики"), 8, 0, ()),
    ),
    rmo=("РМО учителей математики", "РМО учителей русского языка и литературы", "РМО учителей начальных классов",
         "РМО учителей естественнонаучного цикла", "РМО воспитателей ДОУ"),
    extra_communities=(
        (CommunityKind.PERMANENT_SEMINAR, "Постоянно действующий семинар «Управление развитием цифровой среды "
         "образовательного учреждения»", "Программа семинара проекта «Цифровая трансформация»", d(2021, 9, 1),
         None, 28, False),
        (CommunityKind.YOUNG_TEACHERS_CLUB, "Клуб молодых педагогов «Наставник»",
         "Сопровождение молодых педагогов в возрасте до 35 лет (проект «Наставник»)", d(2020, 9, 1), None, 40,
         True),
        (CommunityKind.CROSS_FUNCTIONAL_TEAM, "Кросс-функциональная команда «Лаборатория качества»",
         "Адресная методическая поддержка школ в зоне снижения образовательных результатов", d(2022, 1, 17), None,
         12, False),
        (CommunityKind.CREATIVE_GROUP, "Творческая группа «Телешкола»",
         "Видеоматериалы и вебинары для педагогов на онлайн-площадках ИМЦ", d(2021, 2, 1), None, 10, False),
    ),
    programs=(PROGRAMS["krs_digital"], PROGRAMS["krs_method"], PROGRAMS["krs_theory"], PROGRAMS["digital"]),
    # Seed 003: ИОМ «не менее 20 % от общего количества педагогов района».
    route_share=0.21,
    innovation=("Повышение качества образования в школах, находящихся в зоне снижения образовательных "
                "результатов (совместно с ООО «ЯКласс»)", ActivityLevel.DISTRICT, d(2023, 1, 16), d(2024, 12, 27)),
    events=(
        ("Итоговая районная научно-практическая конференция", EventForm.CONFERENCE, ActivityLevel.DISTRICT,
         d(2023, 4, 26), 230),
        ("Стратегическая сессия «Перезагрузка: практики научно-методического сопровождения педагогических "
         "работников и управленческих кадров»", EventForm.SEMINAR, ActivityLevel.DISTRICT, d(2023, 4, 26), 85),
        ("Стажировка «Управление развитием образовательной организации» для управленческих кадров Свердловской "
         "области", EventForm.OTHER, ActivityLevel.FEDERAL, d(2023, 10, 20), 25),
        ("Марафон «Ведем группу в ВК»", EventForm.WEBINAR, ActivityLevel.DISTRICT, d(2023, 3, 13), 64),
        ("Обучающий семинар «Искусство публичных выступлений»", EventForm.SEMINAR, ActivityLevel.DISTRICT,
         d(2023, 12, 12), 19),
        ("Вебинар «Преодоление методических дефицитов: смысловое чтение»", EventForm.WEBINAR,
         ActivityLevel.DISTRICT, d(2023, 11, 15), 110),
    ),
    certificate_prefix="7807",
)

# Seed 003: the good practice of these four was shown at the internship of 20.10.2023.
KRASNOSELSKY_INTERNSHIP_HOSTS = ("KRS-D092", "KRS-D094", "KRS-S509", "KRS-S369")


def _clusters(plan: DistrictPlan, data: LightDistrict) -> list[ClusterSpec]:
    rng = rng_for(data.code, "clusters")
    active = [o for o in plan.organisations if o.is_active]
    schools = [o.code for o in active if o.kind == OrganisationKind.SCHOOL]
    kindergartens = [o.code for o in active if o.kind == OrganisationKind.KINDERGARTEN]
    rng.shuffle(schools)
    rng.shuffle(kindergartens)
    clusters = []
    for name, description, themes, n_schools, n_kg, others in data.clusters:
        codes = [*schools[:n_schools], *kindergartens[:n_kg], *others]
        schools, kindergartens = schools[n_schools:], kindergartens[n_kg:]
        edge = max(1, round(len(codes) * 0.2))
        tiers = [Tier.TOP] * edge + [Tier.SYNCHRONOUS] * (len(codes) - 2 * edge) + [Tier.LAGGING] * edge
        rng.shuffle(tiers)
        clusters.append(ClusterSpec(data.year, name, description, [
            MembershipSpec(code, themes[i % len(themes)], f"Проект ОУ «{themes[i % len(themes)].split(':')[0]}»",
                           tier)
            for i, (code, tier) in enumerate(zip(codes, tiers, strict=True))
        ]))
    return clusters


def _communities(plan: DistrictPlan, data: LightDistrict) -> list[CommunitySpec]:
    rng = rng_for(data.code, "communities")
    teachers = active_teachers(plan)
    table = [row for row in RMO_SUBJECTS if row[0] in data.rmo]
    communities = []
    veterans = set()
    for name, topic, subjects in table:
        spec = CommunitySpec(CommunityKind.RMO, name, topic, started_on=d(2015, 9, 1))
        eligible = [t.key for t in teachers if t.subject_area in subjects]
        for key in rng.sample(eligible, round(len(eligible) * 0.35)):
            joined = date_between(rng, d(data.year - 3, 9, 1), d(data.year, 10, 31))
            left = date_between(rng, d(data.year + 1, 1, 15), d(data.year + 1, 6, 30)) if rng.random() < 0.05 else None
            spec.members.append(CommunityMemberSpec(key, joined, left))
            if joined.year < data.year:
                veterans.add(key)
        communities.append(spec)
    for kind, name, topic, start, end, size, young_only in data.extra_communities:
        spec = CommunitySpec(kind, name, topic, started_on=start, ended_on=end)
        eligible = [t.key for t in teachers if not young_only or t.birth_year >= data.year - 34]
        for key in rng.sample(eligible, size):
            spec.members.append(CommunityMemberSpec(key, date_between(rng, start, d(data.year, 11, 30))))
        communities.append(spec)
    experience = {t.key: t.experience_years for t in plan.teachers}
    for spec in communities:
        pick_leader(spec, veterans, experience)
    return communities


def _growth(plan: DistrictPlan, data: LightDistrict) -> None:
    rng = rng_for(data.code, "growth")
    teachers = active_teachers(plan)
    keys = [t.key for t in teachers]
    for n, key in enumerate(rng.sample(keys, round(len(keys) * 0.14)), start=1):
        year = rng.choice((data.year - 2, data.year - 1, data.year))
        plan.completions.append(CompletionSpec(
            key, rng.choice(data.programs), date_between(rng, d(year, 2, 1), d(year, 12, 20)),
            based_on_diagnostics=rng.random() < 0.3, certificate_number=certificate(data.certificate_prefix, year, n),
        ))
    for key in rng.sample(keys, round(len(keys) * data.route_share)):
        status = rng.choices((RouteStatus.ACTIVE, RouteStatus.COMPLETED, RouteStatus.PLANNED), (6, 3, 1))[0]
        plan.routes.append(RouteSpec(key, d(data.year, 1, 16), d(data.year, 12, 22), status, route_deficits(rng),
                                     rng.choice(ROUTE_GOALS)))

    title, level, start, end = data.innovation
    lead = plan.clusters[0].memberships[0].org_code
    project = InnovationSpec(title, level, start, end, lead)
    project.participants = [(k, "руководитель проектной группы" if i == 0 else "участник")
                            for i, k in enumerate(rng.sample(keys, 45))]
    plan.innovations = [project]

    young = [t for t in teachers if t.birth_year >= data.year - 26 and t.experience_years <= 3]
    for mentee in rng.sample(young, min(15, len(young))):
        mentors = [t for t in teachers if t.org_code == mentee.org_code and t.experience_years >= 15]
        if mentors:
            plan.mentorships.append(MentorshipSpec(rng.choice(mentors).key, mentee.key, d(data.year, 9, 1), None,
                                                   "Программа наставничества ОУ."))

    tops = [m.org_code for c in plan.clusters for m in c.memberships if m.tier == Tier.TOP]
    for title, form, level, held, count in data.events:
        organisers = KRASNOSELSKY_INTERNSHIP_HOSTS if "Стажировка" in title else tuple(rng.sample(tops, 2))
        plan.events.append(EventSpec(title, form, level, held, organisers, participants_count=count))


def build_plan(data: LightDistrict) -> DistrictPlan:
    plan = district_plan(data.code)
    plan.organisations = build_spb_organisations(data.profile)
    add_staff(plan, plan.organisations, reference_year=data.year)
    plan.clusters = _clusters(plan, data)
    plan.communities = _communities(plan, data)
    _growth(plan, data)
    return plan


def build_kirovsky() -> DistrictPlan:
    return build_plan(KIROVSKY_DATA)


def build_krasnoselsky() -> DistrictPlan:
    return build_plan(KRASNOSELSKY_DATA)
