"""A whole city for benchmarks and for trying the pages at city size (`manage.py generate_city`, issue 15.7).

Saint Petersburg's 18 districts (region «Санкт-Петербург», district codes `city-<name>`), each with
its ИМЦ, ~111 organisations and ~2,000 teachers (full scale: ~2,000 organisations and ~36,000
teachers), five years of clusters with memberships and tiers, communities, courses, ИОМ, an
innovation project, mentorships and events; a monitoring programme per district with the same
indicator codes and plan/fact values for the five years; two closed survey campaigns per district
with a few hundred anonymous answers each; a methodist, a director and an observer per district.

Built from the demo's own builders (demo/registry: organisations, staff lists, communities and
growth of a Saint Petersburg district) and written by the demo's loader (bulk_create in batches,
the models' SearchTextQuerySet keeps `search_text` filled). Plans, facts and answers are bulk-written
too: this is a data generator, not a user's history. Nothing here is imported by a product app.
"""
from __future__ import annotations

import datetime
import io
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from clusters.models import (
    ActivityLevel,
    ClusterMembership,
    CommunityKind,
    District,
    EventForm,
    Organisation,
    OrganisationKind,
    Teacher,
    Tier,
)
from core.scope import ScopeKind
from demo.monitoring_data import FRUNZENSKY_INDICATORS, IndicatorSpec
from demo.registry.common import (
    CentreSpec,
    ClusterSpec,
    DistrictPlan,
    MembershipSpec,
    d,
    rng_for,
)
from demo.registry.growth import PROGRAMS, RMO_SUBJECTS
from demo.registry.loader import LoadStats, _DistrictLoader, _load_programs
from demo.registry.organisations import SpbProfile, build_spb_organisations, number_ranges
from demo.registry.spb_others import LightDistrict, _communities, _growth
from demo.registry.teachers import build_staff
from demo.surveys import LISTENER, YOUNG, CampaignSpec, _campaign, _moment, _sheet
from imc_portal.models import Role, User
from monitoring.models import Indicator, Period, PeriodKind, Programme, Source, Value, scope_key_for
from monitoring.units import Unit
from surveys.aggregates import campaign_rebuilt
from surveys.models import Answer, Campaign, Response, ResponseStatus
from surveys.responses import questionnaire_structure
from surveys.services import campaign_create
from surveys.shipped import DPO_LISTENER, YOUNG_TEACHERS, install_shipped_questionnaires

REGION = "Санкт-Петербург"
CODE_PREFIX = "city-"
YEARS = (2020, 2021, 2022, 2023, 2024)
LAST_YEAR = YEARS[-1]
DEFAULT_PASSWORD = "city12345"
BATCH = 5_000
NULL = "\\N"  # COPY's text format

# (code, name, genitive) — the 18 districts of Saint Petersburg.
DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("admiralteysky", "Адмиралтейский район", "Адмиралтейского района"),
    ("vasileostrovsky", "Василеостровский район", "Василеостровского района"),
    ("vyborgsky", "Выборгский район", "Выборгского района"),
    ("kalininsky", "Калининский район", "Калининского района"),
    ("kirovsky", "Кировский район", "Кировского района"),
    ("kolpinsky", "Колпинский район", "Колпинского района"),
    ("krasnogvardeysky", "Красногвардейский район", "Красногвардейского района"),
    ("krasnoselsky", "Красносельский район", "Красносельского района"),
    ("kronshtadtsky", "Кронштадтский район", "Кронштадтского района"),
    ("kurortny", "Курортный район", "Курортного района"),
    ("moskovsky", "Московский район", "Московского района"),
    ("nevsky", "Невский район", "Невского района"),
    ("petrogradsky", "Петроградский район", "Петроградского района"),
    ("petrodvortsovy", "Петродворцовый район", "Петродворцового района"),
    ("primorsky", "Приморский район", "Приморского района"),
    ("pushkinsky", "Пушкинский район", "Пушкинского района"),
    ("frunzensky", "Фрунзенский район", "Фрунзенского района"),
    ("tsentralny", "Центральный район", "Центрального района"),
)

STREETS = ("Садовая ул.", "Невский пр.", "Московский пр.", "Литейный пр.", "ул. Маршала Казакова",
           "пр. Ветеранов", "Гражданский пр.", "пр. Просвещения", "Школьная ул.", "ул. Типанова",
           "Ленинский пр.", "пр. Энгельса", "Заневский пр.", "ул. Дыбенко", "Большой пр.")

CLUSTER_TOPICS = (
    ("Функциональная грамотность", "Формирование и оценка функциональной грамотности обучающихся."),
    ("Инклюзивное образование", "Сопровождение обучающихся с ОВЗ и инвалидностью."),
    ("Цифровая образовательная среда", "Цифровые инструменты педагога и электронные образовательные модули."),
    ("Наставничество", "Программы наставничества педагогических работников."),
    ("Воспитание и социализация", "Рабочие программы воспитания, школьные музеи и патриотическое воспитание."),
    ("Профориентация", "Профессиональное самоопределение обучающихся, проект «Билет в будущее»."),
    ("Естественнонаучное образование", "Исследовательская и проектная деятельность обучающихся."),
    ("Дошкольное детство", "Развитие детей дошкольного возраста в условиях ФГОС ДО."),
    ("Качество образования", "Адресная поддержка ОУ с низкими образовательными результатами."),
    ("Здоровьесбережение", "Здоровьесберегающие технологии и физическая культура."),
    ("Одарённые дети", "Олимпиадное движение и сопровождение одарённых обучающихся."),
    ("Читательская культура", "Смысловое чтение и школьные информационно-библиотечные центры."),
)

# Entered indicators beside the four computed ones of seed 000: every district has the same codes.
EXTRA_INDICATORS = (
    IndicatorSpec("young_teachers_share", "Доля молодых педагогов (до 35 лет) в общей численности педагогов",
                  Unit.PERCENT, 1, section="Кадры"),
    IndicatorSpec("highest_category_share", "Доля педагогов с высшей квалификационной категорией",
                  Unit.PERCENT, 1, section="Кадры"),
    IndicatorSpec("district_events", "Число районных методических мероприятий", Unit.COUNT, 0,
                  section="Мероприятия"),
)


@dataclass(frozen=True)
class Scale:
    name: str
    schools: int
    special_schools: int
    kindergartens: int
    supplementary: int
    other: int
    closed_schools: int
    closed_kindergartens: int
    # staff per organisation (inclusive range): school, kindergarten, supplementary, other, closed
    staff: dict
    clusters_per_year: int
    campaign_answers: tuple[int, int]  # young teachers, listeners (per district, before the district's offset)
    community_size: int  # members of each extra community


SCALES = {
    "full": Scale("full", schools=40, special_schools=4, kindergartens=62, supplementary=5, other=4,
                  closed_schools=1, closed_kindergartens=1,
                  staff={OrganisationKind.SCHOOL: (23, 31), OrganisationKind.KINDERGARTEN: (9, 15),
                         OrganisationKind.SUPPLEMENTARY: (20, 30), OrganisationKind.OTHER: (8, 12), "closed": (3, 6)},
                  clusters_per_year=9, campaign_answers=(230, 280), community_size=30),
    # A tiny city for tests: fixed staff sizes, so counts can be worked out by hand.
    "small": Scale("small", schools=4, special_schools=1, kindergartens=5, supplementary=1, other=1,
                   closed_schools=0, closed_kindergartens=0,
                   staff={OrganisationKind.SCHOOL: (12, 12), OrganisationKind.KINDERGARTEN: (6, 6),
                          OrganisationKind.SUPPLEMENTARY: (8, 8), OrganisationKind.OTHER: (4, 4), "closed": (3, 3)},
                   clusters_per_year=2, campaign_answers=(30, 30), community_size=5),
}


class CityExistsError(RuntimeError):
    """The database already holds a generated city."""


def city_district_codes(count: int = len(DISTRICTS)) -> list[str]:
    return [CODE_PREFIX + code for code, _, _ in DISTRICTS[:count]]


# --- plans (no database) -------------------------------------------------------------------------------

def _profile(index: int, code: str, genitive: str, scale: Scale) -> SpbProfile:
    """A district profile: numbers of its own (a school's number is unique in the city), generic streets."""
    schools_lo, kg_lo = 1 + index * 45, 1 + index * 70
    special = tuple((("gymnasium", "lyceum", "математики", "английского языка")[k % 4], schools_lo + k)
                    for k in range(scale.special_schools))
    closed = tuple(schools_lo + 44 - k for k in range(scale.closed_schools))
    closed_kg = tuple(kg_lo + 69 - k for k in range(scale.closed_kindergartens))
    city_gen = f"{genitive} Санкт-Петербурга"
    return SpbProfile(
        key=CODE_PREFIX + code, prefix=f"C{index + 1:02d}", genitive=city_gen, email_domain=f"edu-{code}.example",
        postcodes=tuple(f"19{index:02d}{k:02d}" for k in range(10)), streets=STREETS,
        special_schools=special, school_pool=number_ranges((schools_lo, schools_lo + 44)), schools=scale.schools,
        kindergarten_pool=number_ranges((kg_lo, kg_lo + 69)), kindergartens=scale.kindergartens,
        supplementary=tuple((f"DO{k + 1}", f"ГБУ ДО ДДТ № {k + 1} {genitive}",
                             f"Государственное бюджетное учреждение дополнительного образования Дом детского "
                             f"творчества № {k + 1} {city_gen}") for k in range(scale.supplementary)),
        other=tuple((f"CPMSS{k + 1}", f"ГБУ ЦПМСС № {k + 1} {genitive}",
                     f"Государственное бюджетное учреждение центр психолого-педагогической, медицинской и "
                     f"социальной помощи № {k + 1} {city_gen}") for k in range(scale.other)),
        closed_schools=closed, closed_kindergartens=closed_kg,
    )


def _centre(name: str, genitive: str, code: str) -> CentreSpec:
    return CentreSpec(
        full_name=("Государственное бюджетное учреждение дополнительного профессионального педагогического "
                   f"образования «Информационно-методический центр» {genitive} Санкт-Петербурга"),
        short_name=f"ГБУ ИМЦ {genitive}", address=f"Санкт-Петербург, {name}, Школьная ул., д. 1",
        phone="", email=f"imc@edu-{code}.example", okpo="", ogrn="", inn="", kpp="",
        director_name="", director_position=f"Директор ГБУ ИМЦ {genitive} Санкт-Петербурга",
    )


def _clusters(plan: DistrictPlan, scale: Scale) -> list[ClusterSpec]:
    """Five years of clusters: 30 % of the active organisations in the first year, 6 points more each year."""
    rng = rng_for(plan.code, "city-clusters")
    active = [o.code for o in plan.organisations if o.is_active]
    clusters = []
    for step, year in enumerate(YEARS):
        members = rng.sample(active, round(len(active) * (0.30 + 0.06 * step)))
        n = scale.clusters_per_year
        for k in range(n):
            name, description = CLUSTER_TOPICS[(step + k) % len(CLUSTER_TOPICS)]
            codes = members[k::n]
            edge = max(1, round(len(codes) * 0.2)) if len(codes) >= 3 else 0
            tiers = [Tier.TOP] * edge + [Tier.SYNCHRONOUS] * (len(codes) - 2 * edge) + [Tier.LAGGING] * edge
            rng.shuffle(tiers)
            clusters.append(ClusterSpec(year, name, description, [
                MembershipSpec(code, f"{name}: методическая тема ОУ {i + 1}", f"Проект ОУ «{name}»", tier)
                for i, (code, tier) in enumerate(zip(codes, tiers, strict=True))
            ]))
    return clusters


def _light(code: str, profile: SpbProfile, scale: Scale) -> LightDistrict:
    """What the demo's community and growth builders need to know about a district."""
    size = scale.community_size
    return LightDistrict(
        code=code, profile=profile, year=LAST_YEAR, clusters=(), rmo=tuple(row[0] for row in RMO_SUBJECTS),
        extra_communities=(
            (CommunityKind.YOUNG_TEACHERS_CLUB, "Клуб молодых педагогов", "Поддержка молодых педагогов",
             d(2019, 9, 1), None, size, True),
            (CommunityKind.PERMANENT_SEMINAR, "Постоянно действующий семинар «Наставничество»",
             "Программы наставничества", d(2021, 9, 1), None, size, False),
        ),
        programs=(PROGRAMS["fg"], PROGRAMS["digital"], PROGRAMS["experts"], PROGRAMS["inclusive"]),
        route_share=0.06,
        innovation=("Сетевое взаимодействие ОУ района: от кластеров к районной модели методического сопровождения",
                    ActivityLevel.DISTRICT, d(2022, 9, 1), d(2025, 6, 30)),
        events=(
            ("Районный конкурс педагогических достижений", EventForm.COMPETITION, ActivityLevel.DISTRICT,
             d(LAST_YEAR, 1, 25), 60),
            ("Семинар «Функциональная грамотность на уроке»", EventForm.SEMINAR, ActivityLevel.DISTRICT,
             d(LAST_YEAR, 10, 16), 45),
            ("Мастер-класс «Цифровые инструменты педагога»", EventForm.MASTER_CLASS, ActivityLevel.DISTRICT,
             d(LAST_YEAR, 11, 20), 35),
        ),
        certificate_prefix="78",
    )


def build_city_plans(districts: int, scale: Scale) -> list[DistrictPlan]:
    plans = []
    for index, (code, name, genitive) in enumerate(DISTRICTS[:districts]):
        full_code = CODE_PREFIX + code
        profile = _profile(index, code, genitive, scale)
        plan = DistrictPlan(region=REGION, name=name, code=full_code, centre=_centre(name, genitive, code))
        plan.organisations = build_spb_organisations(profile)
        for org in plan.organisations:
            rng = rng_for(full_code, "staff", org.code)
            lo, hi = scale.staff[org.kind if org.is_active else "closed"]
            plan.teachers += build_staff(rng, org, rng.randint(lo, hi), reference_year=LAST_YEAR)
        plan.clusters = _clusters(plan, scale)
        data = _light(full_code, profile, scale)
        plan.communities = _communities(plan, data)
        _growth(plan, data)
        plans.append(plan)
    return plans


# --- writing ------------------------------------------------------------------------------------------

@dataclass
class CityResult:
    stats: LoadStats
    password: str
    users: list[tuple[str, str, str]]  # (username, role label, district)
    big_campaign: Campaign | None = None


def generate_city(*, districts: int = len(DISTRICTS), scale: str = "full", responses: int = 0,
                  password: str = DEFAULT_PASSWORD, progress: Callable[[str], None] = lambda line: None) -> CityResult:
    """Write the city; refuses (CityExistsError) when any of its districts exists. One transaction."""
    if not 1 <= districts <= len(DISTRICTS):
        raise ValueError(f"districts must be 1…{len(DISTRICTS)}")
    spec = SCALES[scale]
    codes = city_district_codes(districts)
    present = list(District.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)[:3])
    if present:
        raise CityExistsError(", ".join(present))
    stats = LoadStats()
    timer = _Stopwatch(stats, progress)
    with timer("план данных (без базы)"):
        plans = build_city_plans(districts, spec)
    with transaction.atomic():
        loaders = [_DistrictLoader(plan, stats) for plan in plans]
        with timer("организации и педагоги"):
            for loader in loaders:
                loader.load_registry()
        with timer("пользователи"):
            users = _users(loaders, password, stats)
        with timer("кластеры, сообщества, повышение квалификации, ИОМ"):
            program_ids = _load_programs(stats, [c.program for plan in plans for c in plan.completions])
            for loader in loaders:
                curator = users[(loader.plan.code, Role.METHODIST)]
                loader.load_clusters(curator)
                loader.load_communities(curator)
                loader.load_growth(program_ids)
        with timer("мониторинг: программы, план/факт за пять лет"):
            for index, loader in enumerate(loaders):
                _monitoring(loader.district, users[(loader.plan.code, Role.METHODIST)], index, stats)
        with timer("анкетирование: кампании и ответы"):
            questionnaires = install_shipped_questionnaires()
            for index, loader in enumerate(loaders):
                _surveys(loader.district, users[(loader.plan.code, Role.METHODIST)], questionnaires, spec,
                         index, stats)
        big = None
        if responses:
            with timer(f"кампания на {responses} ответов"):
                big = _big_campaign(loaders[0].district, users[(loaders[0].plan.code, Role.METHODIST)],
                                    questionnaires[DPO_LISTENER], responses, stats)
    listed = [(u.username, Role(u.role).label, u.district.name)
              for u in User.objects.filter(district__code__in=codes).select_related("district")
              .order_by("district__code", "role")]
    return CityResult(stats=stats, password=password, users=listed, big_campaign=big)


class _Stopwatch:
    def __init__(self, stats: LoadStats, progress: Callable[[str], None]) -> None:
        self.stats, self.progress = stats, progress

    def __call__(self, label: str):
        stopwatch = self

        class _Step:
            def __enter__(self):
                self.started = time.perf_counter()

            def __exit__(self, *exc):
                seconds = time.perf_counter() - self.started
                stopwatch.stats.timings.append((label, seconds))
                if exc[0] is None:
                    stopwatch.progress(f"  {label}: {seconds:.1f} с")

        return _Step()


USER_ROLES = (
    (Role.METHODIST, "metodist", ("Иванова", "Мария", "Сергеевна"), "Методист ГБУ ИМЦ {}"),
    (Role.DIRECTOR, "direktor", ("Петрова", "Ольга", "Николаевна"), "Директор ГБУ ИМЦ {}"),
    (Role.OBSERVER, "nablyudatel", ("Сидорова", "Елена", "Викторовна"), "Специалист отдела образования {}"),
)


def _users(loaders: list[_DistrictLoader], password: str, stats: LoadStats) -> dict[tuple[str, str], User]:
    """A methodist, a director and an observer per district; one password hash for all (hashing is slow)."""
    hashed = make_password(password)
    rows = []
    for loader in loaders:
        short = loader.plan.code.removeprefix(CODE_PREFIX)
        genitive = next(g for c, _, g in DISTRICTS if c == short)
        for role, prefix, (last, first, patronymic), position in USER_ROLES:
            rows.append(User(username=f"{prefix}_{short}", password=hashed, role=role, last_name=last,
                             first_name=first, patronymic=patronymic, position=position.format(genitive),
                             email=f"{prefix}_{short}@imc-city.example", district=loader.district))
    User.objects.bulk_create(rows)
    stats.add(User, len(rows))
    by_name = {u.username: u for u in User.objects.filter(username__in=[r.username for r in rows])}
    return {(loader.plan.code, role): by_name[f"{prefix}_{loader.plan.code.removeprefix(CODE_PREFIX)}"]
            for loader in loaders for role, prefix, _, _ in USER_ROLES}


def _monitoring(district: District, methodist: User, index: int, stats: LoadStats) -> None:
    """One programme with the same indicator codes in every district; plans and facts of five years for the
    district and for each cluster of the year. The four seed-000 indicators stay computed (a recompute replaces
    the facts from the registry); the facts written here are the entered history."""
    rng = rng_for(district.code, "city-monitoring")
    programme = Programme.objects.create(
        district=district, code="network-effectiveness", period_kind=PeriodKind.YEAR,
        name="Эффективность сетевого взаимодействия педагогов", description="Сгенерировано generate_city.")
    periods = Period.objects.bulk_create([
        Period(programme=programme, label=str(year), starts_on=d(year, 1, 1), ends_on=d(year, 12, 31))
        for year in YEARS])
    specs = [*FRUNZENSKY_INDICATORS, *EXTRA_INDICATORS]
    indicators = Indicator.objects.bulk_create([
        Indicator(programme=programme, code=s.code, name=s.name, unit=s.unit, decimals=s.decimals, method=s.method,
                  section=s.section, direction=s.direction, position=position,
                  source=Source.COMPUTED if s.calculation else Source.ENTERED, calculation=s.calculation,
                  parameters=s.parameters)
        for position, s in enumerate(specs, start=1)])
    clusters = {}
    for cluster_id, year in district.clusters.values_list("id", "year"):
        clusters.setdefault(year, []).append(cluster_id)
    now = timezone.now()
    values = []
    for indicator in indicators:
        count = indicator.unit == Unit.COUNT
        base = rng.uniform(10, 30) if not count else rng.randint(8, 20)
        for step, period in enumerate(periods):
            plan = Decimal(round(base + step * (3 if not count else 2) + index % 3, 1 if not count else 0))
            fact = Decimal(round(float(plan) * rng.uniform(0.85, 1.3), 1 if not count else 0))
            scopes = [(ScopeKind.DISTRICT, None, plan, fact)]
            if not count:
                scopes += [(ScopeKind.CLUSTER, cluster_id, None,
                            Decimal(round(min(100.0, float(fact) * rng.uniform(0.6, 1.5)), 1)))
                           for cluster_id in clusters.get(YEARS[step], ())]
            for kind, cluster_id, plan_value, fact_value in scopes:
                values.append(Value(
                    indicator=indicator, period=period, district=district, scope_kind=kind, cluster_id=cluster_id,
                    scope_key=scope_key_for(kind, cluster_id, None), plan=plan_value, fact=fact_value,
                    fact_source=Source.ENTERED, updated_by=methodist, comment="",
                    computed_at=None if kind == ScopeKind.DISTRICT else now))
    Value.objects.bulk_create(values, batch_size=BATCH)
    stats.add(Programme, 1)
    stats.add(Period, len(periods))
    stats.add(Indicator, len(indicators))
    stats.add(Value, len(values))


def _surveys(district: District, methodist: User, questionnaires: dict, scale: Scale, index: int,
             stats: LoadStats) -> None:
    """Two closed campaigns of the shipped questionnaires, with a few hundred anonymous answers each."""
    young, listeners = scale.campaign_answers
    offset = (index % 4) * 10 if scale.name == "full" else 0
    specs = (
        CampaignSpec(YOUNG_TEACHERS, "Анкета для молодых педагогов, 2023/2024 учебный год",
                     lambda: (_moment(2024, 5, 15, 9), _moment(2024, 6, 10, 23)), young + offset, picks=YOUNG),
        CampaignSpec(DPO_LISTENER, "Анкета слушателя по итогам обучения по ДПП ИМЦ, 2023/2024 учебный год",
                     lambda: (_moment(2023, 9, 1, 9), _moment(2024, 6, 30, 23)), listeners + offset, picks=LISTENER),
    )
    for spec in specs:
        created, answers = _campaign(spec, questionnaires[spec.questionnaire], district, methodist)
        stats.add(Campaign, 1)
        stats.add(Response, created)
        stats.add(Answer, answers)


def _big_campaign(district: District, methodist: User, questionnaire, responses: int, stats: LoadStats) -> Campaign:
    """One campaign of `responses` anonymous listener answers (the export benchmark's 200,000).

    Answer sheets are drawn once (2,000 of them, by the demo's pickers) and dealt out to the responses; rows go
    in by COPY on PostgreSQL (bulk_create elsewhere), a chunk of responses at a time, so memory stays flat.
    """
    rng = random.Random(f"city-big:{responses}")
    organisations = list(Organisation.objects.filter(
        district=district, is_active=True, kind__in=(OrganisationKind.SCHOOL, OrganisationKind.KINDERGARTEN)))
    campaign = campaign_create(
        user=methodist, questionnaire=questionnaire, organisations=organisations,
        title=f"Анкета слушателя: нагрузочная кампания на {responses} ответов",
        opens_at=_moment(2023, 9, 1, 9), closes_at=_moment(2024, 6, 30, 23))
    Campaign.objects.filter(pk=campaign.pk).update(opening_notified_at=campaign.opens_at,
                                                   reminder_sent_at=campaign.closes_at)
    questions = questionnaire_structure(questionnaire)
    probe = Response(campaign=campaign)
    sheets = [[(a.question_id, a.option_id, a.row_id, a.text) for a in _sheet(rng, probe, questions, LISTENER,
                                                                                rng.gauss(0, 0.4))]
              for _ in range(2_000)]
    first = d(2023, 9, 1)
    written = answers = 0
    while written < responses:
        n = min(BATCH, responses - written)
        chunk = Response.objects.bulk_create([
            Response(campaign=campaign, organisation=rng.choice(organisations) if rng.random() > 0.05 else None,
                     status=ResponseStatus.SUBMITTED, submitted_on=first + datetime.timedelta(days=rng.randint(0, 300)))
            for _ in range(n)])
        rows = [(r.pk, campaign.pk, *atom) for r in chunk for atom in rng.choice(sheets)]
        _insert_answers(rows)
        written += n
        answers += len(rows)
    campaign_rebuilt(campaign)  # COPY / bulk_create went past the services that keep the counts
    stats.add(Campaign, 1)
    stats.add(Response, written)
    stats.add(Answer, answers)
    return campaign


def _insert_answers(rows: list[tuple]) -> None:
    if connection.vendor != "postgresql":
        Answer.objects.bulk_create([
            Answer(response_id=r, campaign_id=c, question_id=q, option_id=o, row_id=g, text=t)
            for r, c, q, o, g, t in rows], batch_size=BATCH)
        return
    buffer = io.StringIO()
    for r, c, q, o, g, t in rows:
        text = t.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        option, row = NULL if o is None else o, NULL if g is None else g
        buffer.write(f"{r}\t{c}\t{q}\t{option}\t{row}\t{text}\n")
    buffer.seek(0)
    table = Answer._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} (response_id, campaign_id, question_id, option_id, row_id, text) FROM STDIN", buffer)


def summary(codes: list[str]) -> list[tuple[str, int, int, int, int]]:
    """(district, organisations, teachers, clusters, memberships) per generated district."""
    rows = []
    for district in District.objects.filter(code__in=codes).order_by("name"):
        rows.append((district.name, Organisation.objects.filter(district=district).count(),
                     Teacher.objects.filter(organisation__district=district).count(), district.clusters.count(),
                     ClusterMembership.objects.filter(cluster__district=district).count()))
    return rows


def created_counts(stats: LoadStats) -> Counter:
    return Counter({name: n for name, n in stats.created.items() if n})
