"""Shared pieces of community and growth data: subject → community maps, dates, programmes."""
from __future__ import annotations

import datetime
import random

from clusters.models import Deficit

from .common import CommunityMemberSpec, CommunitySpec, ProgramSpec, TeacherKey, TeacherSpec

# Районные методические объединения by the subjects their members teach: (name, topic, subjects).
RMO_SUBJECTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("РМО учителей математики", "Формирование математической грамотности обучающихся", ("математика",)),
    ("РМО учителей русского языка и литературы",
     "Смысловое чтение и работа с информацией на уроках русского языка и литературы",
     ("русский язык и литература",)),
    ("РМО учителей начальных классов", "Формирование читательской грамотности младших школьников",
     ("начальные классы",)),
    ("РМО учителей истории и обществознания",
     "Историко-культурный стандарт и новые подходы к оценке предметных результатов",
     ("история и обществознание",)),
    ("РМО учителей иностранного языка",
     "Коммуникативная компетенция обучающихся и подготовка к ГИА по иностранному языку",
     ("английский язык", "немецкий язык")),
    ("РМО учителей информатики", "Цифровая грамотность и программирование в основной школе", ("информатика",)),
    ("РМО учителей физической культуры",
     "Комплекс ГТО и здоровьесберегающие технологии на уроках физической культуры", ("физическая культура",)),
    ("РМО учителей естественнонаучного цикла",
     "Естественнонаучная грамотность: учебный эксперимент и исследование на уроке",
     ("физика", "химия", "биология", "география")),
    ("РМО воспитателей ДОУ", "Реализация ФГОС ДО: поддержка детской инициативы и самостоятельности",
     ("дошкольное образование",)),
    ("РМО педагогов-психологов", "Психолого-педагогическое сопровождение участников образовательных отношений",
     ("психология",)),
    ("РМО учителей-логопедов и дефектологов", "Коррекционно-развивающая работа с детьми с ОВЗ",
     ("логопедия", "дефектология")),
)

TEACHER_DEFICITS = (Deficit.SUBJECT, Deficit.METHODICAL, Deficit.PSYCHO_PEDAGOGICAL, Deficit.COMMUNICATIVE)

ROUTE_GOALS = (
    "Курсы повышения квалификации по выявленным дефицитам; посещение уроков педагогов ТОП-организаций "
    "кластера; открытый урок в конце маршрута.",
    "Участие в постоянно действующем семинаре; стажировка в ТОП-организации; разработка методического "
    "продукта по теме ОУ.",
    "Самообразование по индивидуальному плану; консультации методиста ИМЦ; выступление на заседании РМО.",
    "Освоение технологий смешанного обучения; видеоурок для горизонтального обучения; взаимопосещение "
    "уроков в микрогруппе.",
)


def date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def subject_community(teacher: TeacherSpec, table=RMO_SUBJECTS) -> str | None:
    for name, _, subjects in table:
        if teacher.subject_area in subjects:
            return name
    return None


def pick_leader(community: CommunitySpec, preferred: set[TeacherKey], experience: dict[TeacherKey, int]) -> None:
    """Make the most experienced still-present member (from `preferred` if any) the leader.

    A temporary team whose members have all left still had a leader: then anyone may be picked.
    """
    present = [i for i, m in enumerate(community.members) if m.left_on is None] or list(
        range(len(community.members))
    )
    if not present:
        return
    candidates = [i for i in present if community.members[i].teacher in preferred] or present
    best = max(candidates, key=lambda i: (experience.get(community.members[i].teacher, 0), -i))
    member = community.members[best]
    community.members[best] = CommunityMemberSpec(member.teacher, member.joined_on, member.left_on, "leader")
    community.leader = member.teacher


def route_deficits(rng: random.Random) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(TEACHER_DEFICITS, rng.randint(1, 2))))


def certificate(prefix: str, year: int, number: int) -> str:
    return f"{prefix}{year % 100:02d}-{number:05d}"


FRN_IMC = "ГБУ ДППО ЦПКС «ИМЦ» Фрунзенского района Санкт-Петербурга"
KIR_IMC = "ГБУ ДППО ЦПКС «ИМЦ» Кировского района Санкт-Петербурга"
KRS_IMC = "ГБУ ИМЦ Красносельского района Санкт-Петербурга"
APPO = "СПб АППО"
COKO = "ГБУ ДПО «СПбЦОКОиИТ»"
SAYANSK_CRO = "МКУ «ЦРО» г. Саянска"
IRO = "ГАУ ДПО «Институт развития образования Иркутской области»"

PROGRAMS = {
    "fgos": ProgramSpec("Современные образовательные технологии в условиях реализации обновлённых ФГОС", 72,
                        FRN_IMC),
    "fg": ProgramSpec("Формирование функциональной грамотности обучающихся", 36, FRN_IMC),
    "digital": ProgramSpec("Цифровая образовательная среда: инструменты педагога", 36, FRN_IMC),
    "mentor": ProgramSpec("Наставничество в образовательной организации", 36, FRN_IMC),
    "iom": ProgramSpec("Проектирование индивидуального образовательного маршрута педагога", 36, FRN_IMC),
    "dou": ProgramSpec("Современные подходы к развитию детей дошкольного возраста в условиях ФГОС ДО", 72,
                       FRN_IMC),
    "finance": ProgramSpec("Финансовая грамотность в общеобразовательной школе", 72, APPO),
    "experts": ProgramSpec("Подготовка экспертов предметных комиссий ГИА", 36, COKO),
    "inclusive": ProgramSpec("Инклюзивное образование детей с ОВЗ", 72, APPO),
    "kir_method": ProgramSpec("Научно-методическое сопровождение педагогов: выявление и преодоление "
                              "профессиональных дефицитов", 36, KIR_IMC),
    "kir_young": ProgramSpec("Школа молодого педагога", 36, KIR_IMC),
    "krs_digital": ProgramSpec("Управление развитием цифровой среды образовательного учреждения", 36, KRS_IMC),
    "krs_method": ProgramSpec("Организация научно-методического сопровождения педагогов на школьном и "
                              "муниципальном уровнях", 72, KRS_IMC),
    "krs_theory": ProgramSpec("Теория и практика научно-методического сопровождения педагогов", 36, KRS_IMC),
    "say_lab": ProgramSpec("Педагогическая лаборатория успеха: сетевое профессиональное сообщество "
                           "(неформальное образование)", 18, SAYANSK_CRO),
    "say_mixed": ProgramSpec("Смешанное обучение в образовательной практике", 36, IRO),
    "say_ege": ProgramSpec("Подготовка обучающихся к ЕГЭ по математике: анализ заданий КИМ", 24, IRO),
}
