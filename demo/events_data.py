"""Data of the events demo (demo/events.py): what the seeds say, and the plausible rest marked INVENTED.

Seed 000 (Frunzensky, 2021): «освоены новые эффективные формы взаимодействия … 1. Взаимоапробация результатов и
продуктов, полученных в ходе реализации проектов внутри каждого кластера; 2. Мастер-классы и видео уроки для
горизонтального обучения педагогов по проблематике кластера; 3. Ежегодный педагогический фестиваль.» The festival and
the clusters' master-classes are already in the registry demo (demo/registry/frunzensky_growth.py); the mutual
testing sessions and the video lessons are added here.
Seed 001 (Sayansk): the regional seminar on preparing pupils for the ЕГЭ in mathematics — 30 teachers and 180
pupils; the associations worked with teachers from Тулун; certificates «в форме неформального образования».
Seed 004 (Kirovsky): «годовой план мероприятий», individual and thematic consultations, competitions, publications.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clusters.models import ActivityLevel, EventForm


@dataclass(frozen=True)
class PlanEvent:
    title: str
    form: str
    held_on: dt.date | None  # None: an upcoming event, dated `days_ahead` after the day the demo is loaded
    attendees: int = 0  # registry teachers marked present
    level: str = ActivityLevel.DISTRICT
    place: str = ""
    audience: str = ""
    capacity: int | None = None
    registration_open: bool = False
    public_registration: bool = False
    days_ahead: int = 0
    cluster: str = ""  # a cluster of the event's year, by name
    description: str = ""


# --- Frunzensky 2021 ----------------------------------------------------------------------------------------

# Registry events of 2021 (by title prefix) whose participants are marked as attendances of registry teachers:
# the seed's forms. Their typed participants_count is the number marked (capped by the district's teachers).
FRUNZENSKY_ATTENDED_PREFIXES = ("Ежегодный педагогический фестиваль", "Мастер-класс кластера")

# INVENTED: titles, dates and head counts; the forms are the seed's.
FRUNZENSKY_MUTUAL_TESTING_CLUSTERS = (0, 2, 3, 5, 8)  # indexes into demo.registry.frunzensky.CLUSTER_NAMES
FRUNZENSKY_MUTUAL_TESTING_DATES = (dt.date(2021, 3, 24), dt.date(2021, 4, 21), dt.date(2021, 10, 27),
                                   dt.date(2021, 11, 17), dt.date(2021, 12, 8))
FRUNZENSKY_VIDEO_LESSONS = (
    PlanEvent("Видеоурок «Смысловое чтение на уроках истории»", EventForm.VIDEO_LESSON, dt.date(2021, 2, 24), 28,
              description="Видеоурок для горизонтального обучения педагогов кластера «Реализация ФГОС основного и "
                          "среднего общего образования»."),
    PlanEvent("Видеоурок «Цифровые инструменты на уроке математики»", EventForm.VIDEO_LESSON, dt.date(2021, 4, 7), 34),
    PlanEvent("Видеоурок «Финансовая грамотность в начальной школе»", EventForm.VIDEO_LESSON, dt.date(2021, 10, 13),
              22),
    PlanEvent("Видеоурок «Театрализованная деятельность в ДОУ»", EventForm.VIDEO_LESSON, dt.date(2021, 11, 24), 26),
)
MUTUAL_TESTING_ATTENDEES = 18  # INVENTED: a cluster's project teams, about two teachers per organisation

# --- Sayansk ------------------------------------------------------------------------------------------------

SAYANSK_SEMINAR = "Региональный семинар по подготовке учащихся к ЕГЭ по математике"
SAYANSK_SEMINAR_TEACHERS = 30  # seed 001: «30 педагогов и 180 школьников»
SAYANSK_SEMINAR_PUPILS = 180
SAYANSK_SEMINAR_HOURS = 6  # INVENTED: a one-day seminar, short-term professional development
# INVENTED: teachers from Тулун and the Тулунский район (seed 001 names the towns, not the people).
TULUN_TEACHERS = (
    ("Кравченко Галина Михайловна", "МБОУ «СОШ № 1» г. Тулуна"),
    ("Зуева Марина Анатольевна", "МБОУ «СОШ № 2» г. Тулуна"),
    ("Ширяева Людмила Петровна", "МБОУ «Гимназия» г. Тулуна"),
    ("Белоусов Андрей Викторович", "МОУ «Алгатуйская СОШ» Тулунского района"),
    ("Никитина Светлана Юрьевна", "МОУ «Гадалейская СОШ» Тулунского района"),
    ("Рудакова Елена Ивановна", "МОУ «Икейская СОШ» Тулунского района"),
)

# --- Kirovsky 2024 ------------------------------------------------------------------------------------------

# INVENTED: the district's annual plan of 2024 (seed 004 asks for one; it lists no events).
KIROVSKY_2024 = (
    PlanEvent("Районный конкурс педагогического мастерства «Учитель года — 2024»", EventForm.COMPETITION,
              dt.date(2024, 1, 25), 30, place="ГБОУ СОШ № 601", audience="педагоги ОУ района"),
    PlanEvent("Районный семинар «Функциональная грамотность: от диагностики к ИОМ»", EventForm.SEMINAR,
              dt.date(2024, 2, 14), 40, place="ИМЦ Кировского района", audience="заместители директоров, методисты"),
    PlanEvent("Круглый стол «Наставничество: первый год молодого педагога»", EventForm.ROUND_TABLE,
              dt.date(2024, 3, 20), 25, audience="наставники и молодые педагоги"),
    PlanEvent("Диалоговый стол «Профессиональные дефициты: что показала самодиагностика»", EventForm.DIALOGUE_TABLE,
              dt.date(2024, 4, 17), 20, audience="руководители ШМО"),
    PlanEvent("Августовская конференция педагогов Кировского района", EventForm.CONFERENCE, dt.date(2024, 8, 28), 80,
              place="ДК им. Газа", audience="педагоги и руководители ОУ"),
    PlanEvent("Методический день «Современный урок»", EventForm.METHODICAL_DAY, dt.date(2024, 10, 16), 35,
              place="ГБОУ гимназия № 397"),
    PlanEvent("Форум молодых педагогов Кировского района", EventForm.FORUM, dt.date(2024, 11, 20), 50,
              audience="педагоги со стажем до 3 лет"),
    PlanEvent("Взаимопосещение уроков учителей математики", EventForm.MUTUAL_VISIT, dt.date(2024, 12, 11), 15,
              audience="учителя математики"),
)
KIROVSKY_COMPETITION = KIROVSKY_2024[0].title
# INVENTED: the plan's next events, open for registration (dated after the load day: registration refuses the past).
KIROVSKY_UPCOMING = (
    PlanEvent("Семинар «Рабочие программы: что изменилось в новом учебном году»", EventForm.SEMINAR, None,
              place="ИМЦ Кировского района", audience="заместители директоров по УВР", capacity=40,
              registration_open=True, days_ahead=21),
    PlanEvent("Мастер-класс «Цифровые инструменты формирующего оценивания»", EventForm.MASTER_CLASS, None,
              place="ГБОУ СОШ № 601, кабинет 214", audience="учителя основной школы; приглашаются педагоги других "
              "районов", capacity=30, registration_open=True, public_registration=True, days_ahead=28),
    PlanEvent("Круглый стол «Консультационная поддержка педагогов: итоги года»", EventForm.ROUND_TABLE, None,
              audience="методисты, руководители ШМО", days_ahead=42),
)
# INVENTED: people outside the registry who register on the public page of the open master-class.
KIROVSKY_EXTERNAL = (
    ("Соколова Анна Дмитриевна", "ГБОУ СОШ № 242 Красносельского района", "sokolova.ad@school-demo.example"),
    ("Лебедев Игорь Олегович", "ГБОУ лицей № 369 Красносельского района", "lebedev.io@school-demo.example"),
)

# INVENTED: consultation topics (seed 004: «индивидуальные и тематические консультации»).
THEMATIC_TOPICS = (
    "Аттестация педагогических работников: порядок и портфолио",
    "Рабочая программа по обновлённым ФГОС",
    "Индивидуальный образовательный маршрут по результатам самодиагностики",
    "Подготовка к конкурсу педагогического мастерства",
    "Функциональная грамотность: задания и оценивание",
    "Наставничество в образовательной организации",
    "Подготовка обучающихся к ОГЭ: анализ типичных ошибок",
    "Публикация педагогического опыта: требования изданий",
    "Проектная деятельность обучающихся",
    "Цифровая образовательная среда: ФГИС «Моя школа»",
)
INDIVIDUAL_TOPICS = (
    "Подготовка к аттестации на первую категорию",
    "Подготовка к аттестации на высшую категорию",
    "Составление ИОМ",
    "Подготовка конкурсных материалов",
    "Построение урока по обновлённому ФГОС",
    "Подготовка публикации",
)
THEMATIC_COUNT, THEMATIC_SIZE = 10, (18, 32)  # INVENTED: ten thematic consultations of 18–32 teachers
INDIVIDUAL_COUNT = 60  # INVENTED

PUBLICATION_VENUES = (
    "Сборник материалов районной научно-практической конференции",
    "Журнал «Педагогика сегодня»",
    "Сайт ИМЦ Кировского района, раздел «Педагогический опыт»",
    "Всероссийский образовательный портал «Продлёнка»",
)
PUBLICATION_TITLES = (
    "Формирующее оценивание на уроках {subject}",
    "Функциональная грамотность: задания по предмету «{subject}»",
    "Проектная деятельность на уроках {subject}: из опыта работы",
    "Цифровые инструменты учителя: {subject}",
)
PUBLICATIONS = 40  # INVENTED
CITY_COMPETITIONS = (  # INVENTED: competitions beyond the district's own one (title, venue, level)
    ("Городской конкурс педагогических достижений", "Комитет по образованию Санкт-Петербурга", ActivityLevel.CITY),
    ("Конкурс методических разработок «Современный урок»", "СПб АППО", ActivityLevel.CITY),
    ("Всероссийский конкурс «Учитель будущего»", "Минпросвещения России", ActivityLevel.FEDERAL),
)
CITY_COMPETITION_ENTRIES = 24
