"""The shipped areas (deficit and competency groups) of the diagnostics, written by the project from the seeds:
seed 004 (deficits of teachers and of heads of organisations) and seed 001 (the eight competency groups of the
Sayansk index, the two components of digital competence).

Created by migration 0002 and again after every `migrate` and `flush` (post_migrate), so a flushed database
does not lose the vocabulary that instruments, training programmes and route steps refer to. The codes of the
teacher-deficit areas equal clusters.Deficit's values, so the ИОМ typed before diagnostics map onto them.
"""
from __future__ import annotations

# (code, name, family, position, recommendation when it is a deficit)
AREAS: list[tuple[str, str, str, int, str]] = [
    ("subject", "предметные", "teacher_deficits", 1,
     "Курсы повышения квалификации по предмету, участие в предметном РМО, взаимопосещение уроков ТОП-педагогов."),
    ("methodical", "методические", "teacher_deficits", 2,
     "Методическое сопровождение наставника, мастер-классы по современным образовательным технологиям, "
     "разработка и апробация методических продуктов в сообществе."),
    ("psycho_pedagogical", "психолого-педагогические", "teacher_deficits", 3,
     "Консультации педагога-психолога, курсы по работе с детьми с особыми образовательными потребностями, "
     "семинары по возрастной психологии."),
    ("communicative", "коммуникативные", "teacher_deficits", 4,
     "Тренинги коммуникации и работы с родителями, участие в диалоговых и круглых столах, работа в творческих группах."),
    ("managerial", "управленческие", "head_deficits", 5,
     "Программы ПК для руководителей, стажировка в ТОП-организации, управленческий проект в кластере."),
    ("informational", "информационные", "head_deficits", 6,
     "Курсы по цифровой образовательной среде и работе с данными, консультации ИМЦ по мониторингу."),
    ("comp-methodological", "методологические", "competencies", 11,
     "Семинары по методологии педагогического исследования, участие в ГМО-ассоциации."),
    ("comp-methodical", "методические", "competencies", 12,
     "Мастер-классы и взаимоапробация методических продуктов, работа с наставником."),
    ("comp-technological", "технологические", "competencies", 13,
     "Курсы по современным образовательным технологиям, открытые уроки ТОП-педагогов."),
    ("comp-evaluative", "оценочные", "competencies", 14,
     "Семинары по контрольно-оценочной деятельности и формирующему оцениванию."),
    ("comp-diagnostic", "диагностические", "competencies", 15,
     "Курсы по педагогической диагностике, работа в творческой группе по мониторингу результатов."),
    ("comp-design", "проектировочные", "competencies", 16,
     "Проектные сессии, разработка рабочих программ и ИОМ с наставником."),
    ("comp-reflexive", "рефлексивные", "competencies", 17,
     "Супервизия и самоанализ уроков, участие в клубе молодых педагогов и педагогических мастерских."),
    ("comp-inclusive", "инклюзивные", "competencies", 18,
     "Курсы по инклюзивному образованию, консультации специалистов ППМС-центра."),
    ("digital-knowledge", "знаниевый компонент цифровой компетентности", "digital", 21,
     "Курсы по цифровым инструментам педагога, методические дни по цифровой образовательной среде."),
    ("digital-activity", "деятельностный компонент цифровой компетентности", "digital", 22,
     "Практикумы и видеоуроки с цифровыми инструментами, взаимоапробация цифровых продуктов."),
]


def create_shipped_areas(sender=None, *, using="default", apps=None, **kwargs) -> None:
    """post_migrate receiver (and migration 0002's body): the shipped areas that are missing."""
    if apps is None:
        from django.apps import apps
    try:
        area = apps.get_model("diagnostics", "Area")
    except LookupError:  # migrating backwards past the model
        return
    existing = set(area.objects.using(using).values_list("code", flat=True))
    area.objects.using(using).bulk_create([
        area(code=code, name=name, family=family, position=position, recommendation=recommendation)
        for code, name, family, position, recommendation in AREAS if code not in existing
    ])
