"""The library of ready monitoring programmes a new district starts from (the setup wizard, step 3).

Each entry is a programme without values: its indicators (code, name, unit, method, a registered
calculation for the computed ones) and how its periods are made from the years chosen. Only data and
pure functions here; `setup.services.programme_from_library` writes them.

The texts follow the seeds (../shared/seeds/000, 001, 003, 004) and the demo's definitions. The
demo (demo/monitoring_data.py, the top layer) keeps its own copy with the seeds' plans and facts —
a known duplication of the indicator names: the demo reproduces documents verbatim, the library is a
starting point a district edits in the catalogue afterwards.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from monitoring.models import PeriodKind
from monitoring.units import Direction, Unit

MAX_YEARS = 10  # one programme is not created for more years at once


@dataclass(frozen=True)
class LibraryIndicator:
    code: str
    name: str
    unit: str
    decimals: int = 1
    section: str = ""
    method: str = ""
    calculation: str = ""  # set → computed by that registered calculation
    direction: str = Direction.HIGHER


PeriodRow = tuple[str, dt.date, dt.date]


def calendar_years(first: int, last: int) -> list[PeriodRow]:
    return [(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in range(first, last + 1)]


def academic_years(first: int, last: int) -> list[PeriodRow]:
    """«2024/25»: 1 September of `year` to 31 August of the next, for each first year of the range."""
    return [(f"{year}/{(year + 1) % 100:02d}", dt.date(year, 9, 1), dt.date(year + 1, 8, 31))
            for year in range(first, last + 1)]


def december_checkpoints(first: int, last: int) -> list[PeriodRow]:
    """A self-assessment checkpoint at the end of each year (seed 003 assesses in December)."""
    return [(f"Декабрь {year}", dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in range(first, last + 1)]


@dataclass(frozen=True)
class LibraryProgramme:
    key: str  # also the programme's code in the district
    name: str
    source: str  # where it comes from, shown in the library
    description: str
    period_kind: str
    periods: Callable[[int, int], list[PeriodRow]]
    years_hint: str
    indicators: tuple[LibraryIndicator, ...]


_NET_MEMBERS = "знаменатель — педагоги, состоявшие в сетевых сообществах в отчётном году; доля в процентах."

FRUNZENSKY = LibraryProgramme(
    key="network-effectiveness",
    name="Эффективность сетевого взаимодействия педагогов в профессиональных сетевых сообществах",
    source="Фрунзенский район (аналитическая справка от 17.12.2021 № 1-854)",
    description=("Четыре показателя эффективности сетевого взаимодействия педагогов; факты вычисляются по "
                 "реестру: кластеры, сообщества, повышение квалификации, ИОМ, инновационные проекты."),
    period_kind=PeriodKind.YEAR, periods=calendar_years, years_hint="календарные годы",
    indicators=(
        LibraryIndicator("net_schools_share",
                         "Доля ОУ района, включенных в работу профессиональных сетевых сообществ",
                         Unit.PERCENT, calculation="net_schools_share",
                         method="Числитель — ОУ района, включённые в кластеры отчётного года; знаменатель — "
                                "действующие ОУ района; доля в процентах."),
        LibraryIndicator("net_teachers_cpd_share",
                         "Доля педагогов ОУ, участников профессиональных сетевых сообществ, включённых в процесс "
                         "непрерывного повышения квалификации", Unit.PERCENT, calculation="net_teachers_cpd_share",
                         method="Числитель — педагоги сетевых сообществ отчётного года, прошедшие повышение "
                                "квалификации в этом году или в два предыдущих; " + _NET_MEMBERS),
        LibraryIndicator("net_teachers_iom_share",
                         "Доля педагогов ОУ, участников сетевых профессиональных сообществ, повышающих "
                         "квалификацию на основе ИОМ", Unit.PERCENT, calculation="net_teachers_iom_share",
                         method="Числитель — педагоги сетевых сообществ отчётного года с действующим или "
                                "завершённым в этом году ИОМ; " + _NET_MEMBERS),
        LibraryIndicator("net_teachers_innovation_share",
                         "Доля педагогов ОУ, участников профессиональных сетевых сообществ, включённых в процесс "
                         "инновационного проектирования", Unit.PERCENT,
                         calculation="net_teachers_innovation_share",
                         method="Числитель — педагоги сетевых сообществ отчётного года, участвовавшие в "
                                "инновационных проектах этого года; " + _NET_MEMBERS),
    ),
)

_SUPPORT = ("Научно-методическое сопровождение педагогических работников по повышению их профессионального "
            "мастерства")
_YOUNG = "Научно-методическая поддержка молодых педагогов, программы наставничества"
_YES_NO = "Да/нет"
_PRESENCE = "Наличие – 1 балл, отсутствие – 0 баллов"


def _kirovsky(code: str, section: str, name: str, unit: str, method: str) -> LibraryIndicator:
    return LibraryIndicator(code, name, unit, decimals=1 if unit == Unit.PERCENT else 0, section=section,
                            method=method)


KIROVSKY = LibraryProgramme(
    key="support-criteria",
    name="Критерии научно-методического сопровождения педагогических работников",
    source="Кировский район (Концепция развития системы научно-методического сопровождения, 2020)",
    description=("Критерии и показатели Концепции: да/нет, доли, баллы («наличие – 1 балл, отсутствие – 0 "
                 "баллов»); мониторинг раз в год, сравнение не менее чем за пять лет."),
    period_kind=PeriodKind.YEAR, periods=calendar_years, years_hint="календарные годы (Концепция сравнивает "
                                                                     "не менее пяти лет)",
    indicators=(
        _kirovsky("support_1", _SUPPORT, "Система мероприятий (мониторинги), направленных на выявление "
                  "профессиональных дефицитов педагогов", Unit.YES_NO, _YES_NO),
        _kirovsky("support_2", _SUPPORT, "Адресные методические рекомендации, обеспечивающие методическую "
                  "поддержку педагогических работников с учетом выявленных дефицитов", Unit.YES_NO, _YES_NO),
        _kirovsky("support_3", _SUPPORT, "Организация участия педагогов в профессиональных конкурсах",
                  Unit.PERCENT, "Доля участников конкурсов к общему количеству педагогов"),
        _kirovsky("support_4", _SUPPORT, "Наличие разработанных методических продуктов для педагогов",
                  Unit.PERCENT, "Доля размещенных продуктов в РМО относительно общего количества РМО"),
        _kirovsky("support_7", _SUPPORT, "Адресные программы повышения квалификации педагогов и коллективов "
                  "образовательных организаций", Unit.PERCENT,
                  "Доля адресных программ к общему числу программ повышения квалификации"),
        _kirovsky("young_1", _YOUNG, "Наличие плана работы с молодыми специалистами", Unit.YES_NO, _YES_NO),
        _kirovsky("young_2", _YOUNG, "Участие учреждений в реализации программ наставничества", Unit.YES_NO,
                  _YES_NO),
        _kirovsky("young_6", _YOUNG, "Участие молодых специалистов в профессиональных конкурсах", Unit.PERCENT,
                  "Доля молодых специалистов, участвовавших в конкурсах к общему числу молодых специалистов"),
        _kirovsky("growth_1", "Критерий 1. Научно-методическое сопровождение и поддержка педагогических работников",
                  "План работы районного методического объединения на год", Unit.POINTS,
                  "Наличие мероприятий по всем основным направлениям методической работы – 1 балл, "
                  "отсутствие – 0 баллов"),
        _kirovsky("growth_3_1", "Критерий 3. Наличие системы поддержки молодых педагогов и/или системы "
                  "наставничества", "Дорожная карта/план-график мероприятий по поддержке молодых педагогов "
                  "и/или реализации системы наставничества", Unit.POINTS, _PRESENCE),
        _kirovsky("growth_7", "Критерий 7. Наличие районного мониторинга системы методической работы",
                  "Отчет о методической работе за год в соответствии с показателями мониторинга", Unit.POINTS,
                  _PRESENCE),
        LibraryIndicator("diagnosed_share", "Доля педагогов, прошедших профессиональную диагностику от общего "
                         "количества педагогов района", Unit.PERCENT,
                         section="Выявление профессиональных дефицитов педагогических работников",
                         calculation="diagnostics_diagnosed_share",
                         method="Числитель — действующие педагоги района, прошедшие самодиагностику в году; "
                                "знаменатель — действующие педагоги района; доля в процентах."),
    ),
)

_PARTICIPATION = "Участие в профессиональных объединениях"
_COMPETENCIES = "Уровень сформированности компетенций"
_INDEX = "Уровень сформированности группы профессиональных компетенций педагогов (0–1) по результатам диагностики."

SAYANSK = LibraryProgramme(
    key="professional-associations",
    name="Профессиональные объединения педагогов",
    source="г. Саянск (отчёт о реализации проекта «Профессиональные объединения педагогов», 2019/20)",
    description=("Участие педагогов в ГППО, сетевых сообществах и ГМО-ассоциациях по учебным годам и уровень "
                 "сформированности профессиональных компетенций (индекс 0–1)."),
    period_kind=PeriodKind.ACADEMIC_YEAR, periods=academic_years,
    years_hint="учебные годы: укажите год начала первого и последнего (2024 → 2024/25)",
    indicators=(
        LibraryIndicator("participants", "Участники профессиональных объединений", Unit.COUNT, 0,
                         section=_PARTICIPATION,
                         method="Число педагогов, участвовавших в работе ГППО, сетевых сообществ и ГМО-ассоциаций "
                                "за учебный год."),
        LibraryIndicator("non_participants", "Не участвовали в профессиональных объединениях", Unit.COUNT, 0,
                         section=_PARTICIPATION, direction=Direction.LOWER,
                         method="Число педагогов, не участвовавших в работе профессиональных объединений."),
        LibraryIndicator("community_participation_share", "Доля педагогов — участников профессиональных "
                         "объединений", Unit.PERCENT, section=_PARTICIPATION,
                         calculation="community_participation_share",
                         method="Числитель — работающие педагоги, состоявшие в учебном году хотя бы в одном "
                                "профессиональном объединении; знаменатель — все работающие педагоги; доля в "
                                "процентах."),
        *(LibraryIndicator(f"competency_{code}", f"{label} компетенции", Unit.INDEX, 3, section=_COMPETENCIES,
                           method=_INDEX)
          for code, label in (("methodological", "Методологические"), ("methodical", "Методические"),
                              ("technological", "Технологические"), ("evaluative", "Оценочные"),
                              ("diagnostic", "Диагностические"), ("design", "Проектировочные"),
                              ("reflective", "Рефлексивные"), ("inclusive", "Инклюзивные"))),
    ),
)

_SELF = "Самооценка степени достижения планируемого результата по 10-балльной шкале."

DEVELOPMENT = LibraryProgramme(
    key="development-programme",
    name="Программа развития ИМЦ",
    source="шаблон по анализу программы развития ИМЦ Красносельского района (2023)",
    description=("Проекты программы развития и их ожидаемые результаты, самооценка по 10-балльной шкале на "
                 "контрольных точках. Замените результаты своими в каталоге показателей."),
    period_kind=PeriodKind.CHECKPOINT, periods=december_checkpoints,
    years_hint="контрольная точка — декабрь каждого года",
    indicators=tuple(
        LibraryIndicator(f"{project}_{n}", text, Unit.SCORE, 0, section=title, method=_SELF)
        for project, title, results in (
            ("digital", "Цифровая трансформация", (
                "В ИМЦ выстроена открытая цифровая образовательная среда дистанционной поддержки "
                "профессионального развития педагогических работников.",
                "Педагоги образовательных организаций повысили квалификацию по вопросам применения цифровых "
                "ресурсов и инструментов.")),
            ("personalization", "Персонализация образования", (
                "В ИМЦ созданы условия для конструирования и реализации индивидуальных маршрутов непрерывного "
                "профессионального роста.",)),
            ("quality_lab", "Лаборатория качества", (
                "Сформирована система мониторинга профессиональных затруднений педагогических работников.",)),
            ("mentor", "Наставник", (
                "Сформирована система наставничества молодых педагогов.",)),
            ("promotion", "Продвижение", (
                "Образовательные и методические услуги ИМЦ востребованы педагогическими работниками района.",)),
        )
        for n, text in enumerate(results, start=1)
    ),
)

LIBRARY: dict[str, LibraryProgramme] = {entry.key: entry for entry in (FRUNZENSKY, KIROVSKY, SAYANSK, DEVELOPMENT)}
