"""The surveys part of the demo: Kirovsky campaigns of the shipped questionnaires, with answers.

`load_surveys_demo()` runs after the registry and monitoring demos (`manage.py load_demo`); it
installs the shipped questionnaires if a database lacks them and looks up the district and the
methodist by their stable keys. In the Kirovsky district (seed 004 is its Concept) it runs:

1. Приложение 1 — the listener questionnaire over the academic year 2023/24: closed, 280 answers;
2. Приложение 2 — methodical support, May–June 2024: closed, 340 answers;
3. Приложение 3 — young teachers, May–June 2024: closed, 230 answers;
4. Приложение 3 again, open from a week before loading to a month after: 18 answers so far;
5. the criteria sheet, filled by the 50 schools in June 2024: closed, 46 submitted, 1 draft and
   3 schools that never answered.

Anonymous answers come through per-organisation links of 20 organisations (three of them with
fewer than 5 answers, so the results page's k-anonymity rule shows) and the general link. Answers
are drawn with a seeded random.Random from skewed distributions (each organisation has its own
mood, which tilts its satisfaction answers), and stored in the shapes the submission service
writes (surveys.responses): an anonymous response keeps only the campaign, the link's
organisation, the date and status «submitted»; an organisation response is one per organisation.

The methodist starts each campaign with `campaign_create`, the service of the «Новая кампания»
page (addressees and links as she would choose them). The answers are bulk-written: the
submission services accept an answer only while a campaign is open and date it today, and these
are answers given in 2023–2024 to campaigns closed since (the open one gets its 18 the same way
so that their dates spread over its first week).

Campaigns are matched on (district, questionnaire, title) and filled only when this run creates
them: an existing campaign — with its addressees, dates and answers as users left them — is
never touched, so a second run adds nothing. The open campaign's dates are set when it is created.
"""
from __future__ import annotations

import datetime
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from clusters.models import District, Organisation, OrganisationKind
from imc_portal.models import User
from monitoring.models import Indicator, Programme, Source, Value
from monitoring.services import recompute_programme
from surveys.aggregates import campaign_rebuilt
from surveys.models import (
    Answer,
    Campaign,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
)
from surveys.responses import questionnaire_structure
from surveys.services import campaign_create
from surveys.shipped import (
    DPO_LISTENER,
    METHODICAL_SUPPORT,
    SUPPORT_CRITERIA,
    YOUNG_TEACHERS,
    install_shipped_questionnaires,
)

DISTRICT_CODE = "kirovsky"
METHODIST = "metodist_kirov"
SEED = "imc-surveys-demo"
BATCH = 2000


class SurveysDemoError(RuntimeError):
    """The registry demo this loader builds on is missing."""


# --- how respondents answer ----------------------------------------------------------------------

@dataclass(frozen=True)
class Pick:
    """How respondents answer one question.

    single: `weights` per option, `other` the weight of «Другое»; multiple: `chance` per option,
    `other` the chance of adding «Другое»; grid: `rows`, weights per row; text: `texts`, given with
    probability `answered` when optional. `tilt`: options run from positive to negative, and the
    respondent's mood shifts the weights. `after`: texts depend on the option chosen in another
    question, {option text: texts}.
    """

    weights: Sequence[float] = ()
    chance: Sequence[float] = ()
    rows: Sequence[Sequence[float]] = ()
    other: float = 0
    texts: Sequence[str] = ()
    answered: float = 1.0
    tilt: bool = False
    after: tuple[str, dict[str, Sequence[str]]] | None = None
    explain_last: float = 0  # multiple: chance that choosing the last option adds «Другое» text


LISTENER_SUGGESTIONS = (
    "Больше практических заданий и разбора реальных уроков.",
    "Хотелось бы получать материалы курса в электронном виде заранее.",
    "Увеличить количество часов на работу в группах.",
    "Проводить занятия в вечернее время или дистанционно.",
    "Спасибо преподавателям, всё очень понравилось!",
    "Хотелось бы продолжения курса для тех, кто уже прошёл первую часть.",
    "Больше примеров заданий по функциональной грамотности для начальной школы.",
    "Улучшить работу проектора и звука в аудитории.",
    "Нужен доступ к записям вебинаров после окончания обучения.",
    "Предлагаю организовать стажировку на базе школ района.",
    "Сократить теоретическую часть, больше времени на практику.",
    "Курс полезный, рекомендую коллегам.",
)

LISTENER = {
    "q1": Pick(weights=(86, 9, 5), tilt=True),
    "q2": Pick(weights=(80, 13, 7), tilt=True),
    "q3": Pick(weights=(66, 20, 14), tilt=True),
    "q4": Pick(weights=(83, 11, 6), tilt=True),
    "q5": Pick(weights=(90, 7, 3), tilt=True),
    "q6": Pick(weights=(78, 15, 7), tilt=True),
    "q7": Pick(texts=LISTENER_SUGGESTIONS, answered=0.2),
}

SUPPORT = {
    "q1": Pick(chance=(0.55, 0.3, 0.35, 0.45, 0.5, 0.4, 0.3, 0.35, 0.3, 0.5, 0.45), other=0.04, texts=(
        "Работа с одарёнными детьми", "Подготовка учащихся к олимпиадам",
        "Работа с детьми-мигрантами, для которых русский язык не родной", "Профилактика профессионального выгорания",
        "Составление рабочих программ по обновлённым ФГОС",
    )),
    "q2": Pick(rows=((15, 25, 25, 20, 15), (40, 35, 12, 8, 5), (30, 35, 20, 10, 5), (28, 36, 22, 9, 5),
                     (35, 38, 17, 7, 3))),
    "q3": Pick(chance=(0.45, 0.55, 0.4, 0.35, 0.6, 0.2), other=0.03, texts=(
        "Наставничество опытного коллеги в своей школе", "Взаимопосещение уроков", "Вебинары в записи",
    )),
    "q4": Pick(weights=(40, 12, 28, 6, 8, 3), other=3, texts=(
        "Спрашиваю у коллег в своей школе", "В профессиональных сообществах в социальных сетях",
        "У руководителя ШМО", "В методической литературе",
    )),
    "q5": Pick(rows=((35, 38, 15, 8, 4), (40, 35, 14, 7, 4), (25, 33, 22, 13, 7)), tilt=True),
    "q6": Pick(weights=(38, 37, 14, 7, 4), tilt=True),
    "q7": Pick(weights=(62, 10, 28)),
    "q8": Pick(rows=((80, 20), (35, 65), (12, 88))),
    "q9": Pick(weights=(27, 73)),
    "q10": Pick(weights=(58, 42)),
    "q11": Pick(answered=0.3, texts=(
        "Нехватка времени: большая учебная нагрузка не оставляет времени на методическую работу.",
        "Мероприятия проходят в рабочее время, трудно найти замену на уроки.",
        "Много формальных отчётов, мало практической помощи.",
        "Недостаточно информации о том, к кому обращаться за помощью.",
        "Большой объём документации.",
        "Отсутствие адресного подхода, рекомендации слишком общие.",
        "Нет времени",
        "Не хватает методистов по предметам в районе.",
        "Неудобное время семинаров.",
        "Проблем не вижу.",
        "Сложно применить полученные знания без посткурсового сопровождения.",
    )),
    # Mostly one position (a second for 8 %), one subject area (a second for 10 %): see _multiple.
    "q12": Pick(weights=(6, 62, 6, 5, 8, 4, 0.3, 5, 1, 1, 2), chance=(0.08,)),
    "q13": Pick(weights=(22, 14, 17, 14, 6, 5, 2, 15), chance=(0.1,), other=5, texts=(
        "Технология", "Музыка", "Логопедия", "Дошкольное образование", "Дополнительное образование",
    )),
    "q14": Pick(weights=(12, 14, 16, 15, 14, 13, 16)),
    "q15": Pick(weights=(8, 86, 1, 0.2, 5)),
    "q16": Pick(weights=(4, 10, 0.5, 0.1, 85.4)),
    "q17": Pick(weights=(38, 33, 29)),
}

NOT_TAKEN_PART = ("Не принимал(а) участия", "Не участвовала", "Нет", "Не принимал", "-",
                  "Пока не участвовала, планирую в следующем году")

YOUNG = {
    "q1": Pick(weights=(18, 82)),
    "q2": Pick(weights=(52, 33, 15)),
    "q3": Pick(weights=(35, 33, 32)),
    "q4": Pick(weights=(14, 22, 30, 28, 1, 1), other=4, texts=(
        "Неоконченное высшее (студент 4 курса)", "Среднее профессиональное, обучаюсь в вузе заочно",
    )),
    "q5": Pick(weights=(78,), other=22, texts=(
        "Педагог-психолог", "Филолог", "Историк", "Преподаватель музыки", "Педагог дополнительного образования",
        "Воспитатель детей дошкольного возраста", "Учитель-логопед", "Инженер", "Экономист", "Психолог",
        "Тренер-преподаватель по виду спорта", "Художник-педагог", "Биолог", "Лингвист, переводчик",
    )),
    "q6": Pick(texts=(
        "РГПУ им. А. И. Герцена", "Российский государственный педагогический университет им. А. И. Герцена",
        "Герценовский университет", "СПбГУ", "Санкт-Петербургский государственный университет",
        "ЛГУ им. А. С. Пушкина", "Ленинградский государственный университет имени А. С. Пушкина",
        "Педагогический колледж № 1 им. Н. А. Некрасова", "Педагогический колледж № 4 Санкт-Петербурга",
        "Педагогический колледж № 8", "НГУ им. П. Ф. Лесгафта", "СПбПУ Петра Великого",
        "Санкт-Петербургский государственный институт культуры", "Псковский государственный университет",
        "Новгородский государственный университет им. Ярослава Мудрого",
    )),
    "q7": Pick(texts=("2023",) * 9 + ("2022",) * 8 + ("2021",) * 6 + ("2020",) * 3 + ("2019", "2018", "2016")),
    "q8": Pick(weights=(8, 62, 14, 10), other=6, texts=(
        "По совету родителей-педагогов", "Продолжаю семейную традицию",
        "Пришла в профессию после работы вожатой", "Сначала временно, теперь осознанно",
    )),
    "q9": Pick(weights=(12, 14, 4, 6, 64)),
    "q10": Pick(weights=(52, 40, 8)),
    "q11": Pick(weights=(4, 22, 60, 10), other=4, texts=(
        "Пока не решила", "Посмотрю по ситуации", "Хочу попробовать себя в методической работе",
    )),
    "q12": Pick(chance=(0.42, 0.48, 0.2, 0.12, 0.55, 0.22), other=0.05, texts=(
        "Большой объём документации", "Работа с родителями", "Нехватка оборудования в кабинете",
    )),
    "q13": Pick(chance=(0.3, 0.38, 0.45, 0.15, 0.25), other=0.03, texts=(
        "Работа с детьми с ОВЗ", "Знание нормативной базы", "Работа с родителями",
    )),
    # «В повышении квалификации (поясните в строке "другое" по каким вопросам)»: explained in «Другое».
    "q14": Pick(chance=(0.3, 0.42, 0.4, 0.28, 0.3), other=0.04, explain_last=0.6, texts=(
        "по оцениванию и подготовке к ОГЭ", "по работе с детьми с ОВЗ", "по составлению рабочей программы",
        "по использованию цифровых инструментов на уроке", "по формированию функциональной грамотности",
        "по классному руководству",
    )),
    "q15": Pick(weights=(38, 50), other=12, texts=(
        "Раз в неделю", "Несколько раз в неделю", "По мере необходимости", "Наставник не назначен",
        "Общаемся в мессенджере",
    )),
    "q16": Pick(texts=(
        "Помогает с составлением рабочей программы и планированием уроков", "Посещает мои уроки и даёт рекомендации",
        "Консультирует по оформлению документации", "Помогает в работе с родителями",
        "Поддерживает морально, отвечает на любые вопросы", "Подсказывает, как выстроить дисциплину на уроке",
        "Помощь в подготовке к открытому уроку", "Делится материалами и разработками", "Практически не оказывает",
        "Наставника нет", "Вместе разбираем трудные ситуации с учениками", "Методическую помощь",
        "Консультации по предмету",
    )),
    "q17": Pick(weights=(22, 34, 16, 10, 18), other=2, texts=("Взаимопосещение уроков", "Онлайн-встречи")),
    "q18": Pick(weights=(30, 38, 28), other=4, texts=("И то и другое", "Пока не знаю")),
    "q19": Pick(weights=(46, 54)),
    "q20": Pick(texts=(
        "Дисциплина на уроке и классное руководство", "Формирующее оценивание", "Подготовка к аттестации",
        "Работа с родителями", "Составление рабочей программы", "Подготовка учащихся к ОГЭ",
        "Функциональная грамотность", "Работа с детьми с ОВЗ", "Цифровые инструменты на уроке",
        "Профилактика выгорания, тайм-менеджмент", "Организация проектной деятельности",
        "Подготовка к конкурсам профессионального мастерства", "Мотивация учащихся", "Затрудняюсь ответить",
    )),
    "q21": Pick(chance=(0.45, 0.55, 0.15, 0.5, 0.2, 0.25), other=0.02, texts=(
        "Психологические тренинги", "Встречи с опытными педагогами",
    )),
    "q22": Pick(weights=(18, 82)),
    "q23": Pick(after=("q22", {
        "Да": ("Конкурс педагогических достижений, номинация «Педагогический дебют»", "Педагогический дебют",
               "Конкурс педагогических достижений Кировского района",
               "Конкурс педагогических достижений; конкурс методических разработок"),
        "Нет": NOT_TAKEN_PART * 6 + ("Конкурс методических разработок", "Районный конкурс «Педагогические надежды»"),
    })),
    "q24": Pick(texts=(
        "Конференция \"Созвездие молодых\"", "Герценовская олимпиада", "Не принимал(а)", "Нет", "Нет",
        "Не участвовала", "Городской форум молодых педагогов", "Городской семинар для молодых педагогов",
        "Герценовская олимпиада, конференция \"Созвездие молодых\"",
    )),
    "q25": Pick(weights=(82, 18)),
    "q26": Pick(weights=(47, 53)),
    "q27": Pick(texts=(
        "Мастер-классы опытных учителей — можно сразу применить на уроке",
        "Выездные семинары: общение с коллегами из других школ", "Тренинги по работе с классом",
        "Встречи с победителями конкурсов педагогического мастерства", "Открытые уроки — видно, как работают другие",
        "Пока не участвовал(а) в мероприятиях Клуба", "Все интересны", "Затрудняюсь ответить",
        "Психологические тренинги, потому что помогают справиться со стрессом",
        "Форум молодых педагогов — много общения и новых идей",
    )),
    "q28": Pick(texts=(
        "Форум молодых педагогов", "Мастер-классы победителей конкурсов", "Педагогический квест",
        "Встречу с методистами ИМЦ по подготовке к аттестации", "Выездной семинар в другой район",
        "Открытые уроки наставников", "Тренинг по профилактике выгорания", "Затрудняюсь ответить",
    )),
}

# The criteria sheet: how often a school has each scored thing (a school's strength scales it).
CRITERIA_PRESENCE = {
    "q1": 0.9, "q2": 0.75, "q3": 0.7, "q4": 0.5, "q5": 0.6, "q6": 0.75, "q7": 0.8, "q8": 0.55, "q9": 0.6,
    "q10": 0.3, "q11": 0.9, "q12": 0.7, "q13": 0.55, "q14": 0.6, "q15": 0.55, "q16": 0.7,
}

# --- the campaigns -------------------------------------------------------------------------------


def _moment(year: int, month: int, day: int, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _open_window() -> tuple[datetime.datetime, datetime.datetime]:
    today = timezone.localdate()
    opens = today - datetime.timedelta(days=7)
    closes = today + datetime.timedelta(days=30)
    return _moment(opens.year, opens.month, opens.day, 9), _moment(closes.year, closes.month, closes.day, 23)


@dataclass(frozen=True)
class CampaignSpec:
    questionnaire: str
    title: str
    window: Callable[[], tuple[datetime.datetime, datetime.datetime]]
    responses: int  # anonymous: answers in all; organisation: submitted ones
    kinds: tuple[str, ...] = (OrganisationKind.SCHOOL, OrganisationKind.KINDERGARTEN)
    picks: dict[str, Pick] = field(default_factory=dict)
    linked: int = 20  # organisations with their own link
    small: tuple[int, ...] = (2, 3, 4)  # organisations under the k-anonymity threshold
    general_share: float = 0.05  # answers through the general link (no organisation)
    drafts: int = 0


CAMPAIGNS = (
    CampaignSpec(
        DPO_LISTENER, "Анкета слушателя по итогам обучения по ДПП ИМЦ, 2023/2024 учебный год",
        lambda: (_moment(2023, 9, 1, 9), _moment(2024, 6, 30, 23)), 280, picks=LISTENER,
    ),
    CampaignSpec(
        METHODICAL_SUPPORT, "Методическое сопровождение педагогов: опрос, май–июнь 2024",
        lambda: (_moment(2024, 5, 13, 9), _moment(2024, 6, 14, 23)), 340, kinds=(OrganisationKind.SCHOOL,),
        picks=SUPPORT,
    ),
    CampaignSpec(
        YOUNG_TEACHERS, "Анкета для молодых педагогов, 2023/2024 учебный год",
        lambda: (_moment(2024, 5, 15, 9), _moment(2024, 6, 10, 23)), 230, picks=YOUNG,
    ),
    CampaignSpec(
        YOUNG_TEACHERS, "Анкета для молодых педагогов, текущий опрос", _open_window, 18, picks=YOUNG,
        small=(), general_share=0.1,
    ),
    CampaignSpec(
        SUPPORT_CRITERIA, "Критерии методической поддержки педагогов: самообследование школ, 2023/2024",
        lambda: (_moment(2024, 6, 1, 9), _moment(2024, 6, 28, 23)), 46, kinds=(OrganisationKind.SCHOOL,),
        linked=0, small=(), general_share=0, drafts=1,
    ),
)


def load_surveys_demo(*, stdout: TextIO | None = None) -> None:
    """Create the Kirovsky demo campaigns with their answers where missing; print a line of counts."""
    with transaction.atomic():
        questionnaires = install_shipped_questionnaires()
        district = _district()
        methodist = _methodist()
        created = answers = 0
        for spec in CAMPAIGNS:
            new_responses, new_answers = _campaign(spec, questionnaires[spec.questionnaire], district, methodist)
            created += new_responses
            answers += new_answers
        indicators = _survey_indicators(district)
    if stdout is not None:
        stdout.write(_summary(district, created, answers) + "\n")
        if indicators:
            stdout.write(f"Показатели из анкет в программе Кировского района: {indicators}\n")


# The docs/domain.md example: «Доля получателей услуг ДПО, удовлетворённых качеством» = the share of
# «Да, вполне или скорее да» in Приложение 1's quality question; and the criteria sheet's average.
SURVEY_INDICATORS = (
    ("dpo_quality_satisfied", "Доля получателей услуг ДПО, удовлетворённых качеством", "percent", 1,
     "survey_option_share",
     {"questionnaire_code": DPO_LISTENER, "question_code": "q4", "options": ["Да, вполне или скорее да"]},
     "Ответившие «Да, вполне или скорее да» на вопрос о качестве образовательной услуги (анкета слушателя, "
     "Приложение 1) / все ответившие на этот вопрос."),
    ("support_criteria_average", "Средний балл ОУ по критериям методической поддержки педагогов", "points", 1,
     "survey_criteria_average", {"questionnaire_code": SUPPORT_CRITERIA},
     "Сумма баллов ОУ по листу критериев (наличие – 1 балл, отсутствие – 0 баллов) / число ОУ, заполнивших лист."),
)


def _survey_indicators(district: District) -> int:
    """Add the survey-based indicators to the Kirovsky programme where missing and compute them once.

    A period is computed only while these indicators have no computed fact in it; after that the
    nightly recompute (or the methodist's «Пересчитать») keeps them current, not a rerun.
    """

    programme = Programme.objects.filter(district=district, code="support-criteria").first()
    if programme is None:  # the monitoring demo was not loaded
        return 0
    last_position = programme.indicators.order_by("-position").values_list("position", flat=True).first() or 0
    for offset, (code, name, unit, decimals, calculation, parameters, method) in enumerate(SURVEY_INDICATORS, 1):
        Indicator.objects.get_or_create(
            programme=programme, code=code,
            defaults={"name": name, "unit": unit, "decimals": decimals, "source": Source.COMPUTED,
                      "calculation": calculation, "parameters": parameters, "method": method,
                      "section": "Показатели из анкетирования", "position": last_position + offset},
        )
    closed = [c.closes_at for c in Campaign.objects.filter(district=district)]
    periods = [p for p in programme.periods.all()
               if any(p.starts_on <= timezone.localdate(moment) <= p.ends_on for moment in closed)]
    codes = [code for code, *_ in SURVEY_INDICATORS]
    todo = [p for p in periods if not Value.objects.filter(period=p, indicator__code__in=codes,
                                                             computed_at__isnull=False).exists()]
    if todo:
        recompute_programme(programme, periods=todo)
    return len(SURVEY_INDICATORS)


def reset_surveys_demo() -> int:
    """Delete the demo campaigns with their links, responses and answers; returns the rows deleted.

    Call it before the registry reset: responses protect the organisations, campaigns the district.
    The shipped questionnaires stay (they are not demo data), and so do campaigns users created.
    """
    deleted, _ = Campaign.objects.filter(
        district__code=DISTRICT_CODE, title__in=[spec.title for spec in CAMPAIGNS]
    ).delete()
    return deleted


def demo_campaigns() -> list[Campaign]:
    """The demo's campaigns that exist, in loading order."""
    found = {c.title: c for c in Campaign.objects.filter(district__code=DISTRICT_CODE,
                                                         title__in=[spec.title for spec in CAMPAIGNS])}
    return [found[spec.title] for spec in CAMPAIGNS if spec.title in found]


def _district() -> District:
    try:
        return District.objects.get(code=DISTRICT_CODE)
    except District.DoesNotExist:
        raise SurveysDemoError(
            f"District with code «{DISTRICT_CODE}» not found: load the registry demo first (manage.py load_demo)."
        ) from None


def _methodist() -> User:
    try:
        return User.objects.get(username=METHODIST)
    except User.DoesNotExist:
        raise SurveysDemoError(
            f"User «{METHODIST}» not found: load the registry demo first (manage.py load_demo)."
        ) from None


def _summary(district: District, created: int, answers: int) -> str:
    campaigns = demo_campaigns()
    states = [c.state() for c in campaigns]
    total = Response.objects.filter(campaign__in=campaigns).count()
    return (
        f"Анкетирование: {district.name} — кампаний {len(campaigns)} (закрытых {states.count('closed')}, "
        f"открытых {states.count('open')}), ответов {total}, новых ответов {created}, новых строк ответов {answers}."
    )


# --- writing a campaign --------------------------------------------------------------------------

def _campaign(spec: CampaignSpec, questionnaire: Questionnaire, district: District, methodist: User) -> tuple[int, int]:
    if Campaign.objects.filter(district=district, questionnaire=questionnaire, title=spec.title).exists():
        return 0, 0  # created by an earlier run: whatever users did to it since stays
    rng = random.Random(f"{SEED}:{spec.title}")
    organisations = list(
        Organisation.objects.filter(district=district, is_active=True, kind__in=spec.kinds).order_by("code")
    )
    if questionnaire.is_anonymous:
        organisations = sorted(rng.sample(organisations, min(spec.linked, len(organisations))), key=lambda o: o.code)
    opens_at, closes_at = spec.window()
    # The service sets the addressees and, for teachers' questionnaires, the general link and one per organisation.
    campaign = campaign_create(user=methodist, questionnaire=questionnaire, title=spec.title, opens_at=opens_at,
                               closes_at=closes_at, organisations=organisations)
    # Demo campaigns count as announced back then: the hourly notifier must not e-mail schools about them now.
    Campaign.objects.filter(pk=campaign.pk).update(opening_notified_at=opens_at, reminder_sent_at=closes_at)
    if questionnaire.is_anonymous:
        written = _anonymous_responses(spec, campaign, organisations, rng)
    else:
        written = _organisation_responses(spec, campaign, organisations, rng)
    campaign_rebuilt(campaign)  # answers went in by bulk_create, past the services that keep the counts
    return written


def _spread(spec: CampaignSpec, organisations: list[Organisation], rng: random.Random) -> list[Organisation | None]:
    """Who answered, one entry per response: organisations (some under 5) and None for the general link."""
    general = round(spec.responses * spec.general_share)
    order = organisations[:]
    rng.shuffle(order)
    small = dict(zip(order, spec.small, strict=False))
    rest = [o for o in order if o not in small]
    remaining = spec.responses - general - sum(small.values())
    base = min(5, remaining // max(len(rest), 1))
    counts = dict.fromkeys(rest, base)
    weights = [rng.lognormvariate(0, 0.6) for _ in rest]
    for organisation in rng.choices(rest, weights, k=remaining - base * len(rest)) if rest else ():
        counts[organisation] += 1
    counts.update(small)
    who: list[Organisation | None] = [o for o, n in counts.items() for _ in range(n)] + [None] * general
    rng.shuffle(who)
    return who


def _dates(rng: random.Random, campaign: Campaign, n: int) -> list[datetime.date]:
    """Submission dates inside the campaign, never after today.

    A campaign of a few weeks gets most answers in its first days; a year-round one (listeners
    answer when their course ends) spreads them evenly.
    """
    first = timezone.localdate(campaign.opens_at)
    last = min(timezone.localdate(campaign.closes_at), timezone.localdate())
    span = max((last - first).days, 0)
    if span > 60:
        offsets = [rng.randint(0, span) for _ in range(n)]
    else:
        offsets = [min(span, int(rng.expovariate(4 / max(span, 1)))) for _ in range(n)]
    return sorted(first + datetime.timedelta(days=offset) for offset in offsets)


def _anonymous_responses(spec, campaign, organisations, rng) -> tuple[int, int]:
    who = _spread(spec, organisations, rng)
    moods = {o: rng.gauss(0, 0.3) for o in organisations}
    responses = [
        Response(campaign=campaign, organisation=organisation, status=ResponseStatus.SUBMITTED, submitted_on=day)
        for organisation, day in zip(who, _dates(rng, campaign, len(who)), strict=True)
    ]
    Response.objects.bulk_create(responses, batch_size=BATCH)
    questions = questionnaire_structure(campaign.questionnaire)
    answers = []
    for response in responses:
        mood = moods.get(response.organisation, 0) + rng.gauss(0, 0.3)
        answers += _sheet(rng, response, questions, spec.picks, mood)
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    return len(responses), len(answers)


def _organisation_responses(spec, campaign, organisations, rng) -> tuple[int, int]:
    order = organisations[:]
    rng.shuffle(order)
    submitting, drafting = order[:spec.responses], order[spec.responses:spec.responses + spec.drafts]
    days = _dates(rng, campaign, len(submitting))
    responses = [
        Response(campaign=campaign, organisation=organisation, for_organisation=True,
                 status=ResponseStatus.SUBMITTED, submitted_on=day,
                 updated_at=_moment(day.year, day.month, day.day, rng.randint(10, 17)))
        for organisation, day in zip(submitting, days, strict=True)
    ]
    responses += [
        Response(campaign=campaign, organisation=organisation, for_organisation=True, status=ResponseStatus.DRAFT,
                 updated_at=campaign.opens_at + datetime.timedelta(days=3))
        for organisation in drafting
    ]
    Response.objects.bulk_create(responses, batch_size=BATCH)
    questions = questionnaire_structure(campaign.questionnaire)
    answers = []
    for response in responses:
        strength = rng.betavariate(4, 2) / 0.67  # 1 on average
        draft = response.status == ResponseStatus.DRAFT
        for question in questions[: len(questions) // 2] if draft else questions:
            present = rng.random() < min(1.0, CRITERIA_PRESENCE[question.code] * strength)
            option = next(o for o in question.options.all() if o.points == (Decimal(1) if present else Decimal(0)))
            answers.append(_row(response, question, option=option))
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    return len(responses), len(answers)


# --- one respondent's answers, in the service's shapes -------------------------------------------

def _row(response: Response, question: Question, **values) -> Answer:
    return Answer(response=response, campaign_id=response.campaign_id, question=question, **values)


def _tilted(weights: Sequence[float], mood: float) -> list[float]:
    """Shift weights of options ordered positive → negative towards the positive end for a good mood."""
    centre = (len(weights) - 1) / 2
    return [w * math.exp(mood * (centre - i)) for i, w in enumerate(weights)]


def _sheet(rng, response, questions, picks, mood) -> list[Answer]:
    answers: list[Answer] = []
    chosen: dict[str, str] = {}  # question code → text of the single option chosen
    for question in questions:
        pick = picks[question.code]
        options = list(question.options.all())
        if question.kind == QuestionKind.SINGLE:
            weights = _tilted(pick.weights, mood) if pick.tilt else list(pick.weights)
            population = [*options, None] if question.allow_other and pick.other else options
            option = rng.choices(population, [*weights, pick.other][: len(population)])[0]
            if option is None:
                answers.append(_row(response, question, text=rng.choice(pick.texts)))
            else:
                chosen[question.code] = option.text
                answers.append(_row(response, question, option=option))
        elif question.kind == QuestionKind.MULTIPLE:
            answers += _multiple(rng, response, question, options, pick)
        elif question.kind in (QuestionKind.GRID, QuestionKind.YES_NO_GRID):
            for row, weights in zip(question.rows.all(), pick.rows, strict=True):
                weights = _tilted(weights, mood) if pick.tilt else weights
                answers.append(_row(response, question, row=row, option=rng.choices(options, weights)[0]))
        elif question.kind == QuestionKind.TEXT:
            if not question.required and rng.random() >= pick.answered:
                continue
            texts = pick.after[1][chosen[pick.after[0]]] if pick.after else pick.texts
            answers.append(_row(response, question, text=rng.choice(texts)))
    return answers


def _multiple(rng, response, question, options, pick) -> list[Answer]:
    if pick.weights:
        # One option by weight (plus «Другое» by its weight), sometimes a second one.
        population = [*options, None] if question.allow_other and pick.other else options
        weights = [*pick.weights, pick.other][: len(population)]
        picked = {rng.choices(population, weights)[0]}
        if rng.random() < pick.chance[0]:
            picked.add(rng.choices(population, weights)[0])
        other = None in picked
        picked = [o for o in options if o in picked]
    else:
        picked = [o for o, chance in zip(options, pick.chance, strict=True) if rng.random() < chance]
        other = question.allow_other and rng.random() < pick.other
        if options[-1] in picked and rng.random() < pick.explain_last:
            other = True
        if not picked and not other:
            picked = [rng.choices(options, pick.chance)[0]]
    answers = [_row(response, question, option=o) for o in picked]
    if other:
        answers.append(_row(response, question, text=rng.choice(pick.texts)))
    return answers
