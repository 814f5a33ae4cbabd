"""Plain data of the network demo: plausible assessment results, generated with a fixed seed.

No database access here. `generate_year` turns each school's *target* — where its result index
should land — into result rows (ОГЭ, ЕГЭ, ВПР) on realistic scales, then works out the index the
way network/results_index.py does (z against the district's mean and population σ of each
procedure × subject × grade, participants-weighted mean) and retries with the next seed until every
target lands safely inside its band. So the tiers computed from these results equal the tiers the
registry demo gave the clusters of the next year, number for number.
"""
from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from clusters.models import Tier

from .registry.frunzensky import CLUSTER_NAMES, DIGITAL, FGOS, FINANCE, MANAGEMENT, PARENTS, VECTOR

SEED = 20211217  # the same seed as the registry demo (the date of the seed-000 справка)
RESULT_YEARS = (2019, 2020, 2021)

HEADERS = ("Год", "Процедура", "Предмет", "Класс", "Код организации", "Участников", "Средний балл",
           "Доля не справившихся, %", "Доля «4» и «5», %")


@dataclass(frozen=True)
class Assessment:
    procedure: str
    subject: str
    grade: int
    centre: float  # district mean of the mean scores
    spread: float  # mean score per unit of latent strength
    low: float  # the scale's plausible range
    high: float
    cohort: int  # typical participants of a school
    marks: bool  # a 5-point mark scale (has «4» and «5»)


ASSESSMENTS: tuple[Assessment, ...] = (
    Assessment("ОГЭ", "Математика", 9, 3.70, 0.28, 2.8, 4.6, 70, True),
    Assessment("ОГЭ", "Русский язык", 9, 3.95, 0.24, 2.8, 4.6, 70, True),
    Assessment("ЕГЭ", "Математика профильная", 11, 61.0, 6.5, 45.0, 80.0, 32, False),
    Assessment("ЕГЭ", "Русский язык", 11, 70.0, 5.0, 45.0, 80.0, 45, False),
    Assessment("ВПР", "Математика", 4, 4.05, 0.22, 2.8, 4.6, 80, True),
    Assessment("ВПР", "Русский язык", 4, 3.85, 0.22, 2.8, 4.6, 80, True),
    Assessment("ВПР", "Математика", 5, 3.75, 0.25, 2.8, 4.6, 80, True),
    Assessment("ВПР", "Русский язык", 5, 3.65, 0.25, 2.8, 4.6, 80, True),
)

# Latent strength (in units of the spread) of an organisation by its tier in next year's clusters.
TIER_STRENGTH = {Tier.TOP: 1.0, Tier.SYNCHRONOUS: 0.0, Tier.LAGGING: -1.0}
# The year after: a paired lagging organisation has closed much of its gap (the effect the report measures).
PAIRED_LAGGING_STRENGTH = -0.35
ROW_NOISE = 0.22  # per result row
SYNC_SPREAD = 0.08  # per synchronous organisation
FREE_SPREAD = 0.8  # organisations with no target: plain noise around the district
# Where a target must land (the default thresholds are ±0.5; синхронные stay well clear of them).
BANDS = {Tier.TOP: (Decimal("0.6"), None), Tier.LAGGING: (None, Decimal("-0.6")),
         Tier.SYNCHRONOUS: (Decimal("-0.4"), Decimal("0.4"))}
ATTEMPTS = 200

PLACES = Decimal("0.01")
INDEX_PLACES = Decimal("0.001")


@dataclass(frozen=True)
class ResultRow:
    year: int
    procedure: str
    subject: str
    grade: int
    org_code: str
    participants: int
    mean_score: Decimal
    failed_share: Decimal
    good_share: Decimal | None

    @property
    def key(self) -> tuple[str, str, str, int, int]:
        return (self.org_code, self.procedure, self.subject, self.grade, self.year)

    def cells(self) -> list:
        return [self.year, self.procedure, self.subject, self.grade, self.org_code, self.participants,
                float(self.mean_score), float(self.failed_share),
                None if self.good_share is None else float(self.good_share)]


def _dec(value: float, places: Decimal = PLACES) -> Decimal:
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _school_size(code: str) -> float:
    """A school's size stays the same from year to year."""
    return random.Random(f"{SEED}:size:{code}").uniform(0.45, 1.5)


def free_strength(code: str, year: int) -> float:
    """An organisation with no target: a strength of its own plus a little drift from year to year."""
    own = random.Random(f"{SEED}:strength:{code}").gauss(0, FREE_SPREAD)
    return own + random.Random(f"{SEED}:drift:{code}:{year}").gauss(0, 0.2)


def _rows(year: int, strengths: dict[str, float], rng: random.Random) -> list[ResultRow]:
    rows = []
    for a in ASSESSMENTS:
        for code in sorted(strengths):
            level = strengths[code] + rng.gauss(0, ROW_NOISE)
            mean = _clip(a.centre + a.spread * level, a.low, a.high)
            participants = int(_clip(round(a.cohort * _school_size(code) * rng.uniform(0.9, 1.1)), 20, 120))
            if a.marks:
                failed = _clip(9.0 - 7.0 * level + rng.gauss(0, 1.5), 0, 25)
                good = _clip(58.0 + 14.0 * level + rng.gauss(0, 3), 30, 85)
            else:
                failed, good = _clip(3.0 - 2.5 * level + rng.gauss(0, 1), 0, 25), None
            rows.append(ResultRow(
                year=year, procedure=a.procedure, subject=a.subject, grade=a.grade, org_code=code,
                participants=participants, mean_score=_dec(mean), failed_share=_dec(failed, Decimal("0.1")),
                good_share=None if good is None else _dec(good, Decimal("0.1")),
            ))
    return rows


def indices(rows: Iterable[ResultRow]) -> dict[str, Decimal]:
    """org code → result index, as network/results_index.py computes it (population σ, weighted by participants)."""
    groups: dict[tuple, list[ResultRow]] = defaultdict(list)
    for row in rows:
        groups[(row.year, row.procedure, row.subject, row.grade)].append(row)
    weighted: dict[str, float] = defaultdict(float)
    weights: dict[str, int] = defaultdict(int)
    for members in groups.values():
        scores = [float(r.mean_score) for r in members]
        mean = sum(scores) / len(scores)
        sd = math.sqrt(max(0.0, sum(s * s for s in scores) / len(scores) - mean * mean))
        if len(members) < 2 or sd < 1e-9:
            continue
        for row, score in zip(members, scores, strict=True):
            weighted[row.org_code] += row.participants * (score - mean) / sd
            weights[row.org_code] += row.participants
    return {code: _dec(weighted[code] / weights[code], INDEX_PLACES) for code in weighted}


def lands(tier: str, index: Decimal | None) -> bool:
    if index is None:
        return False
    low, high = BANDS[tier]
    return (low is None or index >= low) and (high is None or index <= high)


def generate_year(year: int, schools: Iterable[str], targets: dict[str, str],
                  strengths: dict[str, float] | None = None) -> list[ResultRow]:
    """Result rows of `year` for `schools`: those with a target tier land in its band, the rest are noise.

    `strengths` may fix some schools' latent strength (no band is then checked for them).
    """
    schools = sorted(set(schools))
    fixed = strengths or {}
    for attempt in range(ATTEMPTS):
        rng = random.Random(f"{SEED}:results:{year}:{attempt}")
        latent = {}
        for code in schools:
            if code in fixed:
                latent[code] = fixed[code]
            elif code in targets:
                spread = SYNC_SPREAD if targets[code] == Tier.SYNCHRONOUS else 0.1
                latent[code] = TIER_STRENGTH[targets[code]] + rng.gauss(0, spread)
            else:
                latent[code] = free_strength(code, year)
        rows = _rows(year, latent, rng)
        found = indices(rows)
        if all(lands(tier, found.get(code)) for code, tier in targets.items()):
            return rows
    raise RuntimeError(f"No seed among {ATTEMPTS} puts every {year} target into its band.")


# --- pairs and their joint work (seed 002: взаимопосещение, мастер-классы, консультации, взаимоапробация) ---

PAIR_STARTS = (2021, 9, 15)
PAIR_ENDS = (2022, 5, 31)
# Teachers of a ТОП organisation who can mentor in a result subject (registry subject areas).
TEACHER_AREAS = {"Математика": "математика", "Математика профильная": "математика",
                 "Русский язык": "русский язык и литература"}
GOALS = {
    "Математика": "Снизить долю не справившихся с ОГЭ и ВПР по математике, выстроить систему формирующего "
                  "оценивания на уроках математики в 5–9 классах.",
    "Математика профильная": "Повысить средний балл ЕГЭ по профильной математике: система повторения, "
                             "индивидуальные траектории подготовки выпускников.",
    "Русский язык": "Повысить результаты ОГЭ и ВПР по русскому языку: смысловое чтение и письменная речь, "
                    "общие подходы к оцениванию.",
}


@dataclass(frozen=True)
class ActivityPlan:
    form: str  # ActivityForm value
    topic: str  # «{subject}» is replaced by the pair's subject, lower-cased
    held_on: tuple[int, int, int]
    status: str  # ActivityStatus value
    result: str = ""


ACTIVITY_PLANS: tuple[ActivityPlan, ...] = (
    ActivityPlan("consultation", "Совместный анализ результатов ОГЭ и ВПР 2020 года по предмету «{subject}»",
                 (2021, 9, 28), "done",
                 "Выявлены дефицитные темы, по каждой намечены приёмы работы; составлен план на полугодие."),
    ActivityPlan("mutual_visit", "Взаимопосещение уроков: {subject}, 5–9 классы", (2021, 10, 19), "done",
                 "Посещено 6 уроков; обсуждены приёмы формирующего оценивания, заполнены протоколы наблюдения."),
    ActivityPlan("master_class", "Мастер-класс «Формирующее оценивание на уроке»", (2021, 11, 23), "done",
                 "Участвовали 14 педагогов отстающей ОУ; приёмы «светофор» и листы самооценки взяты в работу."),
    ActivityPlan("mutual_trial", "Взаимоапробация диагностической работы по предмету «{subject}»", (2022, 2, 8),
                 "planned"),
    ActivityPlan("seminar", "Совместный семинар «Смысловое чтение и функциональная грамотность»", (2022, 3, 16),
                 "planned"),
    ActivityPlan("joint_project", "Совместный проект: банк заданий по функциональной грамотности", (2022, 4, 20),
                 "planned"),
    ActivityPlan("mutual_visit", "Ответное посещение уроков ТОП-организацией", (2021, 12, 7), "cancelled"),
)


def activity_plans(number: int, *, finished: bool = False) -> list[ActivityPlan]:
    """2–4 activities for the `number`-th pair: one done at least, a mix of forms and statuses
    (all done for a pair whose work is finished)."""
    count = 2 + number % 3
    done = [p for p in ACTIVITY_PLANS if p.status == "done"]
    if finished:
        return done[:max(2, min(count, len(done)))]
    rest = [p for p in ACTIVITY_PLANS if p.status != "done"]
    chosen = done[: 1 + number % len(done)] + [rest[(number + i) % len(rest)] for i in range(len(rest))]
    return sorted(chosen[:count], key=lambda p: p.held_on)


# --- the practice base ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeSpec:
    title: str
    cluster: str  # a 2021 cluster's name; the practice's organisation is one of its ТОП schools
    top: int  # which of them (by code)
    subject: str
    form: str  # PracticeForm value
    year: int
    description: str
    tags: str
    verified: bool
    event: str = ""  # title of a demo event it was shown at
    by_school: bool = False  # added by the demo school's administrator (for the demo school)


PRACTICES: tuple[PracticeSpec, ...] = (
    PracticeSpec(
        "Формирующее оценивание на уроках математики: листы самооценки и «светофор»", CLUSTER_NAMES[VECTOR], 0,
        "Математика", "method", 2021,
        "Система приёмов формирующего оценивания для 5–9 классов: критерии к каждой работе, листы самооценки, "
        "«светофор» на этапе рефлексии. Доля не справившихся с ВПР по математике в 5 классах снизилась с 14 до 6 %.",
        "формирующее оценивание, математика, ВПР", True, by_school=True),
    PracticeSpec(
        "Банк заданий по функциональной грамотности для 5–9 классов", CLUSTER_NAMES[VECTOR], 1, "", "method", 2021,
        "Задания на читательскую, математическую и естественнонаучную грамотность в формате PISA, с критериями "
        "оценивания и ключами; используются на уроках и во внеурочной деятельности.",
        "функциональная грамотность, читательская грамотность, математическая грамотность", True,
        event="Видеоуроки для горизонтального обучения: функциональная грамотность на уроке"),
    PracticeSpec(
        "Смысловое чтение на уроках всех предметов: приёмы и карточки", CLUSTER_NAMES[VECTOR], 2, "Русский язык",
        "lesson", 2021,
        "Единые для педагогического коллектива приёмы работы с текстом (инсерт, кластер, вопросы к тексту) и "
        "карточки для учителей-предметников.",
        "смысловое чтение, функциональная грамотность, русский язык", True),
    PracticeSpec(
        "Индивидуальный образовательный маршрут педагога: конструктор и сопровождение",
        CLUSTER_NAMES[MANAGEMENT], 0, "", "management", 2021,
        "Конструктор ИОМ по результатам диагностики профессиональных дефицитов: цели, формы повышения "
        "квалификации, наставник, продукты и сроки; порядок сопровождения заместителем директора.",
        "ИОМ, наставничество, профессиональные дефициты", True),
    PracticeSpec(
        "Школа наставников: программа сопровождения молодых педагогов", CLUSTER_NAMES[MANAGEMENT], 0, "",
        "program", 2020,
        "Программа наставничества «педагог — педагог» на учебный год: диагностика, план, взаимопосещения, "
        "итоговая открытая демонстрация.",
        "наставничество, молодые педагоги", True),
    PracticeSpec(
        "Подготовка к ОГЭ по русскому языку: сочинение-рассуждение", CLUSTER_NAMES[FGOS], 0, "Русский язык",
        "master_class", 2021,
        "Алгоритм работы над сочинением-рассуждением, банк аргументов и критериальное взаимооценивание в парах.",
        "ОГЭ, подготовка к ГИА, русский язык", True),
    PracticeSpec(
        "Профильная математика ЕГЭ: система повторения в 10–11 классах", CLUSTER_NAMES[VECTOR], 3,
        "Математика профильная", "master_class", 2021,
        "Спиральная система повторения с еженедельными диагностическими работами и индивидуальными листами "
        "дефицитов выпускника.",
        "ЕГЭ, подготовка к ГИА, математика", False),
    PracticeSpec(
        "Взаимопосещение уроков в паре школ: протокол наблюдения и обратная связь", CLUSTER_NAMES[PARENTS], 0, "",
        "method", 2021,
        "Протокол наблюдения урока с фокусом на оценивании и обратной связи, порядок разбора урока в паре "
        "ТОП-организации и отстающей.",
        "взаимопосещение, горизонтальное обучение, сетевое взаимодействие", True),
    PracticeSpec(
        "Анализ результатов ВПР как основа коррекционной работы", CLUSTER_NAMES[DIGITAL], 0, "Математика",
        "management", 2021,
        "Поэлементный анализ ВПР по классам, карта дефицитов и план коррекционной работы с контролем через "
        "полгода.",
        "ВПР, анализ результатов, формирующее оценивание", False,
        event="Постоянно действующий семинар: взаимоапробация продуктов проектов"),
    PracticeSpec(
        "Цифровой тренажёр вычислительных навыков для 4–5 классов", CLUSTER_NAMES[DIGITAL], 0, "Математика",
        "project", 2021,
        "Набор упражнений в электронной среде с автоматической проверкой и отчётом учителю о типичных ошибках.",
        "ВПР, цифровая образовательная среда, математика", False),
    PracticeSpec(
        "Финансовая грамотность в задачах по математике для 5–6 классов", CLUSTER_NAMES[FINANCE], 0, "Математика",
        "lesson", 2021,
        "Сюжетные задачи о семейном бюджете, процентах и кредитах, встроенные в уроки математики.",
        "финансовая грамотность, функциональная грамотность, математика", True,
        event="Открытый урок «Семейный бюджет»"),
    PracticeSpec(
        "Видеоурок: естественнонаучная грамотность — исследование на уроке", CLUSTER_NAMES[VECTOR], 2, "",
        "video", 2021,
        "Запись урока-исследования в 6 классе с методическим комментарием: постановка вопроса, гипотеза, "
        "эксперимент, вывод.",
        "функциональная грамотность, естественнонаучная грамотность, видеоурок", False, by_school=True,
        event="Видеоуроки для горизонтального обучения: функциональная грамотность на уроке"),
)
