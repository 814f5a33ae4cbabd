"""Frunzensky district (seeds 000 and 002): organisations, teachers and the clusters of 2019–2021.

The 2021 clusters are exactly those of the справка от 17.12.2021 № 1-854 with their sizes. The
share of organisations in network communities in 2021 must come out as in the справка, 54,8 %:
69 distinct organisations in the 2021 clusters out of 126 active organisations (four
organisations sit in two clusters each, so the nine sizes still add up to 73 memberships).
"""
from __future__ import annotations

from clusters.models import OrganisationKind, Tier

from .base import add_staff, district_plan
from .common import ClusterSpec, DistrictPlan, MembershipSpec, OrganisationSpec, rng_for
from .districts import FRUNZENSKY, FRUNZENSKY_PROFILE
from .organisations import build_spb_organisations

# Seed 000, «В системе образования Фрунзенского района в 2021 году работало 9 кластеров».
CLUSTERS_2021: list[tuple[str, int]] = [
    ("Реализация ФГОС основного и среднего общего образования", 3),
    ("Современные технологии в образовательном процессе ДОУ", 9),
    ("Современная цифровая образовательная среда", 9),
    ("Современное культурное пространство, театрализованная деятельность и арт-педагогика в "
     "образовательном учреждении", 5),
    ("Родители в современном образовательном пространстве ОУ", 9),
    ("Экологическое воспитание обучающихся, здоровьесозидание и здоровьесбережение", 9),
    ("Финансовая грамотность обучающихся", 3),
    ("Управление образованием. Кадровые технологии", 4),
    ("Вектор учителя будущего", 22),
]
CLUSTER_NAMES = [name for name, _ in CLUSTERS_2021]
FGOS, DOU, DIGITAL, CULTURE, PARENTS, ECOLOGY, FINANCE, MANAGEMENT, VECTOR = range(9)

MEMBERSHIPS_2021 = 73
CLUSTERED_ORGANISATIONS_2021 = 69
ACTIVE_ORGANISATIONS = 126
INACTIVE_ORGANISATIONS = 4
CLUSTERED_ORGANISATIONS = {2019: 8, 2020: 13, 2021: CLUSTERED_ORGANISATIONS_2021}

# The school whose deputy head is the demo «Администратор ОУ»: a ТОП organisation of «Вектор».
DEMO_SCHOOL_CODE = "FRN-S215"

# Fresh (first-time) organisations each non-ДОУ cluster of 2021 takes: schools by count, УДО and
# others by code. Kindergartens are all in the ДОУ cluster.
SCHOOLS_PER_CLUSTER = {FGOS: 3, DIGITAL: 7, CULTURE: 3, PARENTS: 7, ECOLOGY: 8, FINANCE: 2, MANAGEMENT: 3,
                       VECTOR: 21}
NAMED_PER_CLUSTER = {
    DIGITAL: ("FRN-U-CDUTT",),
    CULTURE: ("FRN-U-DDT", "FRN-U-CEVD"),
    PARENTS: ("FRN-O-CPPMSP",),
    ECOLOGY: ("FRN-U-EBC",),
    VECTOR: ("FRN-U-DUC-M",),
}
# Organisations working in two 2021 clusters: (cluster it joined first, second cluster).
DUAL_2021 = ((VECTOR, DIGITAL), (ECOLOGY, PARENTS), (FGOS, FINANCE), (VECTOR, MANAGEMENT))

DESCRIPTIONS = {
    FGOS: "Введение и реализация ФГОС ООО и СОО: метапредметные результаты, индивидуальный проект, "
          "система оценки.",
    DOU: "Современные образовательные технологии в дошкольном образовании в условиях ФГОС ДО.",
    DIGITAL: "Цифровая образовательная среда ОУ: электронные ресурсы, смешанное и дистанционное обучение.",
    CULTURE: "Культурное пространство Санкт-Петербурга, школьный театр, арт-педагогика.",
    PARENTS: "Взаимодействие с семьёй: просвещение родителей, участие семьи в образовательном процессе.",
    ECOLOGY: "Экологическое воспитание, здоровьесберегающая и здоровьесозидающая среда ОУ.",
    FINANCE: "Финансовая грамотность обучающихся в урочной и внеурочной деятельности.",
    MANAGEMENT: "Управление развитием ОУ: кадровый резерв, наставничество, командная работа.",
    VECTOR: "Профессиональный рост педагога в логике федерального проекта «Учитель будущего»: "
            "функциональная грамотность, ИОМ, горизонтальное обучение.",
}

THEMES = {
    FGOS: (
        "Формирование универсальных учебных действий обучающихся в условиях реализации ФГОС ООО и СОО",
        "Индивидуальный проект обучающегося как средство достижения метапредметных результатов",
        "Системно-деятельностный подход на уроке: от планирования к оценке результатов",
        "Внутренняя система оценки качества образования в условиях ФГОС СОО",
    ),
    DOU: (
        "Использование современных образовательных технологий в развитии познавательной активности "
        "дошкольников",
        "Развитие речи дошкольников средствами ТРИЗ-педагогики",
        "Образовательная робототехника и конструирование в детском саду",
        "Технология «Клубный час» как средство социализации дошкольников",
        "Проектная деятельность в ДОУ в условиях реализации ФГОС ДО",
        "Игровые технологии в формировании элементарных математических представлений",
        "Использование ИКТ в работе с воспитанниками и родителями",
        "STEM-образование детей дошкольного возраста",
        "Детское экспериментирование как средство развития познавательных способностей",
    ),
    DIGITAL: (
        "Цифровая образовательная среда школы как ресурс повышения качества образования",
        "Смешанное обучение: модели «перевёрнутый класс» и «ротация станций»",
        "Формирование цифровой грамотности участников образовательных отношений",
        "Электронные образовательные ресурсы и платформы в урочной деятельности",
        "Дистанционные образовательные технологии в системе обучения",
    ),
    CULTURE: (
        "Театральная педагогика как средство развития коммуникативных компетенций обучающихся",
        "Арт-педагогика в работе с детьми с особыми образовательными потребностями",
        "Музейная педагогика и культурное пространство Санкт-Петербурга в образовании",
        "Школьный театр как пространство самореализации обучающихся",
    ),
    PARENTS: (
        "Взаимодействие семьи и школы в условиях реализации программы воспитания",
        "Родительский университет как форма психолого-педагогического просвещения",
        "Вовлечение родителей в образовательный процесс и государственно-общественное управление ОУ",
        "Семейные ценности и традиции в воспитании обучающихся",
    ),
    ECOLOGY: (
        "Формирование экологической культуры обучающихся через проектно-исследовательскую деятельность",
        "Здоровьесберегающие технологии в образовательном процессе",
        "Здоровьесозидающая среда школы",
        "Экологическое воспитание в урочной и внеурочной деятельности",
        "Формирование культуры здорового и безопасного образа жизни",
    ),
    FINANCE: (
        "Формирование финансовой грамотности обучающихся в урочной и внеурочной деятельности",
        "Интеграция финансовой грамотности в предметы учебного плана",
        "Финансовая грамотность как составляющая функциональной грамотности",
    ),
    MANAGEMENT: (
        "Управление профессиональным развитием педагогического коллектива",
        "Кадровый резерв и наставничество в образовательной организации",
        "Профессиональный стандарт педагога как инструмент управления качеством образования",
        "Командная работа как ресурс развития образовательной организации",
    ),
    VECTOR: (
        "Профессиональный рост педагога в условиях реализации национального проекта «Образование»",
        "Формирование функциональной грамотности обучающихся",
        "Индивидуальный образовательный маршрут педагога как инструмент профессионального развития",
        "Развитие профессиональных компетенций педагогов через горизонтальное обучение",
        "Современный урок: методы и технологии деятельностного обучения",
        "Формирование читательской грамотности на уроках всех предметов",
        "Естественнонаучная грамотность: исследовательская деятельность обучающихся",
        "Оценка образовательных результатов: от диагностики к коррекции",
    ),
}

PROJECTS = {
    FGOS: ("Индивидуальный проект: от замысла до защиты", "Метапредметная неделя «Учимся учиться»",
           "Конструктор современного урока", "Школьная система оценки метапредметных результатов"),
    DOU: ("Маленькие инженеры", "Говорим красиво", "Клубный час", "Лаборатория юного исследователя",
          "Математика в игре", "Цифровой детский сад", "STEM-лаборатория", "Детский сад — территория открытий",
          "Вместе с семьёй"),
    DIGITAL: ("Цифровая школа", "Перевёрнутый класс", "Электронное портфолио ученика", "Школьная медиастудия",
              "Урок в цифровой среде"),
    CULTURE: ("Школьный театр", "Петербург — музей под открытым небом", "Арт-мастерская",
              "Театральная гостиная"),
    PARENTS: ("Родительский университет", "Школа — семья — социум", "Семейный клуб выходного дня",
              "Открытая школа для родителей"),
    ECOLOGY: ("Зелёная школа", "Школа здоровья", "Экологическая тропа", "ЭкоЛаборатория", "Движение — жизнь"),
    FINANCE: ("Финансовый навигатор", "Бизнес-игра «Бюджет семьи»", "Финансовая грамотность — шаг в будущее"),
    MANAGEMENT: ("Кадровый резерв", "Школа наставников", "Управленческая команда", "Карьерная лестница педагога"),
    VECTOR: ("Учитель будущего", "Школа профессионального роста", "Мастерская функциональной грамотности",
             "Педагог — педагогу: горизонтальное обучение", "Методический конструктор", "Читающая школа",
             "Юный исследователь", "ИОМ: маршрут успеха"),
}

# Earlier years: fewer clusters, fewer organisations (seed 000: 10 % of organisations in 2020).
CLUSTERS_2020 = ((VECTOR, 5), (DIGITAL, 4), (DOU, 4))
CLUSTERS_2019 = ((FGOS, 4), (DOU, 4))


def _tiers(size: int) -> list[str]:
    """Some ТОП, most синхронные, some отстающие — at least one of each."""
    edge = max(1, round(size * 0.2))
    return [Tier.TOP] * edge + [Tier.SYNCHRONOUS] * (size - 2 * edge) + [Tier.LAGGING] * edge


def _cluster(year: int, index: int, org_codes: list[str], rng, *, top_first: str | None = None) -> ClusterSpec:
    tiers = _tiers(len(org_codes))
    rng.shuffle(tiers)
    if top_first in org_codes:
        position = org_codes.index(top_first)
        top = tiers.index(Tier.TOP)
        tiers[position], tiers[top] = tiers[top], tiers[position]
    themes, projects = THEMES[index], PROJECTS[index]
    shift = year - 2019
    memberships = [
        MembershipSpec(
            org_code=code,
            theme=themes[(i + shift) % len(themes)],
            project=projects[(i + i // len(projects) + shift) % len(projects)],
            tier=tier,
        )
        for i, (code, tier) in enumerate(zip(org_codes, tiers, strict=True))
    ]
    return ClusterSpec(year=year, name=CLUSTER_NAMES[index], description=DESCRIPTIONS[index], memberships=memberships)


def cluster_composition(organisations: list[OrganisationSpec]) -> dict[int, list[str]]:
    """Organisation codes of each 2021 cluster, fresh ones first, then the second-cluster ones."""
    rng = rng_for(FRUNZENSKY, "clusters-2021")
    active = [o for o in organisations if o.is_active]
    schools = [o.code for o in active if o.kind == OrganisationKind.SCHOOL and o.code != DEMO_SCHOOL_CODE]
    kindergartens = [o.code for o in active if o.kind == OrganisationKind.KINDERGARTEN]
    rng.shuffle(schools)
    schools.insert(0, DEMO_SCHOOL_CODE)
    # The demo school heads «Вектор»: take Vector's schools first so it lands there.
    order = [VECTOR] + [i for i in range(len(CLUSTERS_2021)) if i not in (VECTOR, DOU)]
    composition: dict[int, list[str]] = {DOU: rng.sample(kindergartens, CLUSTERS_2021[DOU][1])}
    for index in order:
        count = SCHOOLS_PER_CLUSTER[index]
        composition[index], schools = schools[:count] + list(NAMED_PER_CLUSTER.get(index, ())), schools[count:]
    used: set[str] = set()
    for first, second in DUAL_2021:
        # The last fresh school of the first cluster, so that earlier years' picks stay in one cluster.
        code = next(
            c for c in reversed(composition[first])
            if c.startswith("FRN-S") and c != DEMO_SCHOOL_CODE and c not in used
        )
        used.add(code)
        composition[second].append(code)
    return dict(sorted(composition.items()))


def build_clusters(organisations: list[OrganisationSpec]) -> list[ClusterSpec]:
    composition = cluster_composition(organisations)
    rng = rng_for(FRUNZENSKY, "tiers")
    clusters = [
        _cluster(2021, index, composition[index], rng, top_first=DEMO_SCHOOL_CODE if index == VECTOR else None)
        for index in range(len(CLUSTERS_2021))
    ]
    # 2019 and 2020: the clusters' early members, who stayed in the same direction.
    early = {index: [c for c in codes if c.startswith("FRN-S") or c.startswith("FRN-D")] for index, codes in
             composition.items()}
    for year, layout in ((2020, CLUSTERS_2020), (2019, CLUSTERS_2019)):
        for index, size in layout:
            codes = early[index][:size]
            if len(codes) < size:  # «ФГОС» had more schools in 2019 than in 2021: borrow from «Вектор»
                codes += early[VECTOR][-(size - len(codes)):]
            clusters.append(_cluster(year, index, codes, rng))
    return clusters


def build_plan() -> DistrictPlan:
    from .frunzensky_growth import add_growth  # the second half of this district's data

    plan = district_plan(FRUNZENSKY)
    plan.organisations = build_spb_organisations(FRUNZENSKY_PROFILE)
    add_staff(plan, plan.organisations, reference_year=2021, young_share=0.23)
    plan.clusters = build_clusters(plan.organisations)
    add_growth(plan)
    return plan
