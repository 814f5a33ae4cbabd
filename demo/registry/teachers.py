"""Teaching staff of one demo organisation: positions, subjects, ages, experience, categories.

Staff lists follow the shape of a real school or kindergarten: one psychologist and one speech
therapist rather than ten, most of a kindergarten's staff are воспитатели, ages spread so that
about a fifth are under 35 and about a quarter are of pension age.
"""
from __future__ import annotations

import random

from clusters.models import Education, OrganisationKind, QualificationCategory

from .common import OrganisationSpec, TeacherSpec
from .names import full_name

TEACHER = "учитель"

# Subject of a school teacher and its weight on a typical staff list.
SCHOOL_SUBJECTS = (
    ("начальные классы", 22), ("русский язык и литература", 13), ("математика", 12),
    ("английский язык", 9), ("история и обществознание", 6), ("физическая культура", 5),
    ("информатика", 3), ("физика", 3), ("химия", 2), ("биология", 3), ("география", 2),
    ("технология", 3), ("музыка", 2), ("изобразительное искусство", 2), ("ОБЖ", 1),
    ("немецкий язык", 1),
)
MALE_SHARE_BY_SUBJECT = {
    "физическая культура": 0.5, "ОБЖ": 0.7, "информатика": 0.35, "физика": 0.3, "технология": 0.45,
    "история и обществознание": 0.25, "начальные классы": 0.02,
}
SUPPLEMENTARY_DIRECTIONS = (
    "художественная направленность", "техническая направленность", "естественнонаучная направленность",
    "физкультурно-спортивная направленность", "туристско-краеведческая направленность",
    "социально-гуманитарная направленность",
)

# A school's and a kindergarten's specialists: (position, subject area, probability of having one).
SCHOOL_SPECIALISTS = (
    ("заместитель директора по УВР", None, 1.0),
    ("педагог-психолог", "психология", 1.0),
    ("социальный педагог", "социальная педагогика", 0.8),
    ("учитель-логопед", "логопедия", 0.5),
    ("педагог-организатор", "воспитательная работа", 0.6),
    ("педагог дополнительного образования", None, 0.6),
    ("педагог-библиотекарь", "библиотечное дело", 0.3),
    ("тьютор", "тьюторское сопровождение", 0.2),
)
KINDERGARTEN_SPECIALISTS = (
    ("старший воспитатель", "дошкольное образование", 1.0),
    ("музыкальный руководитель", "музыка", 1.0),
    ("инструктор по физической культуре", "физическая культура", 0.9),
    ("учитель-логопед", "логопедия", 0.7),
    ("педагог-психолог", "психология", 0.6),
    ("учитель-дефектолог", "дефектология", 0.2),
)
SUPPLEMENTARY_SPECIALISTS = (
    ("методист", "методическая работа", 1.0),
    ("педагог-организатор", "воспитательная работа", 1.0),
    ("концертмейстер", "музыка", 0.5),
)
OTHER_POSITIONS = (
    ("педагог-психолог", "психология"), ("учитель-логопед", "логопедия"),
    ("учитель-дефектолог", "дефектология"), ("социальный педагог", "социальная педагогика"),
    ("методист", "методическая работа"), ("тьютор", "тьюторское сопровождение"),
)


# Posts given to experienced staff only: nobody heads a kindergarten's methodical work at 24.
SENIOR_POSITIONS = frozenset({"заместитель директора по УВР", "старший воспитатель", "методист"})


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _age(rng: random.Random, young_share: float, senior_share: float) -> int:
    roll = rng.random()
    if roll < young_share:
        return rng.randint(22, 34)
    if roll < young_share + senior_share:
        return rng.randint(55, 70)
    return rng.randint(35, 54)


def _experience(rng: random.Random, age: int) -> int:
    longest = max(0, age - 22)
    roll = rng.random()
    if roll < 0.6:
        gap = rng.randint(0, 2)
    elif roll < 0.85:
        gap = rng.randint(3, 8)
    else:
        gap = rng.randint(9, 20)  # came to school from another profession
    return max(0, longest - gap)


def _category(rng: random.Random, experience: int) -> str:
    if experience < 2:
        return QualificationCategory.NONE
    if experience < 5:
        weights = (0, 40, 60)
    elif experience < 15:
        weights = (20, 50, 30)
    else:
        weights = (55, 30, 15)
    return rng.choices(
        (QualificationCategory.HIGHEST, QualificationCategory.FIRST, QualificationCategory.NONE), weights=weights
    )[0]


def _education(rng: random.Random, kind: str, position: str) -> str:
    if kind == OrganisationKind.KINDERGARTEN and position == "воспитатель":
        weights = (60, 38, 2)
    elif kind == OrganisationKind.SUPPLEMENTARY:
        weights = (80, 18, 2)
    else:
        weights = (95, 4, 1)
    return rng.choices((Education.HIGHER, Education.VOCATIONAL, Education.OTHER), weights=weights)[0]


def staff_positions(rng: random.Random, org: OrganisationSpec, size: int) -> list[tuple[str, str]]:
    """(position, subject area) for `size` posts of an organisation of this kind."""
    posts: list[tuple[str, str]] = []
    kind = org.kind
    if kind == OrganisationKind.SCHOOL:
        for position, subject, chance in SCHOOL_SPECIALISTS:
            if rng.random() < chance:
                if subject is None:
                    pairs = SCHOOL_SUBJECTS if position.startswith("заместитель") else [
                        (s, 1) for s in SUPPLEMENTARY_DIRECTIONS
                    ]
                    subject = _weighted(rng, pairs)
                posts.append((position, subject))
        while len(posts) < size:
            posts.append((TEACHER, _weighted(rng, SCHOOL_SUBJECTS)))
    elif kind == OrganisationKind.KINDERGARTEN:
        for position, subject, chance in KINDERGARTEN_SPECIALISTS:
            if rng.random() < chance:
                posts.append((position, subject))
        while len(posts) < size:
            posts.append(("воспитатель", "дошкольное образование"))
    elif kind == OrganisationKind.SUPPLEMENTARY:
        sports = "спорт" in org.full_name.lower()
        for position, subject, chance in SUPPLEMENTARY_SPECIALISTS:
            if rng.random() < chance and not (sports and position == "концертмейстер"):
                posts.append((position, subject))
        while len(posts) < size:
            if sports:
                posts.append(("тренер-преподаватель", "физкультурно-спортивная направленность"))
            else:
                posts.append(("педагог дополнительного образования", rng.choice(SUPPLEMENTARY_DIRECTIONS)))
    else:
        while len(posts) < size:
            posts.append(rng.choice(OTHER_POSITIONS))
    return posts[:size]


def _female_chance(kind: str, position: str, subject: str) -> float:
    if kind == OrganisationKind.KINDERGARTEN:
        return 0.985
    if position == "тренер-преподаватель":
        return 0.45
    if kind == OrganisationKind.SUPPLEMENTARY:
        return 0.7
    return 1 - MALE_SHARE_BY_SUBJECT.get(subject, 0.08)


def make_teacher(
    rng: random.Random,
    org: OrganisationSpec,
    personnel_number: str,
    position: str,
    subject: str,
    *,
    reference_year: int,
    young_share: float = 0.22,
    senior_share: float = 0.25,
) -> TeacherSpec:
    age = _age(rng, young_share, senior_share)
    if position in SENIOR_POSITIONS and age < 35:
        age = rng.randint(35, 60)
    birth_year = reference_year - age
    experience = _experience(rng, age)
    female = rng.random() < _female_chance(org.kind, position, subject)
    return TeacherSpec(
        org_code=org.code,
        personnel_number=personnel_number,
        full_name=full_name(rng, female=female, birth_year=birth_year),
        position=position,
        subject_area=subject,
        experience_years=experience,
        birth_year=birth_year,
        category=_category(rng, experience),
        education=_education(rng, org.kind, position),
        is_active=org.is_active,
    )


STAFF_SIZES = {
    OrganisationKind.SCHOOL: (25, 35),
    OrganisationKind.KINDERGARTEN: (10, 20),
    OrganisationKind.SUPPLEMENTARY: (20, 40),
    OrganisationKind.OTHER: (8, 15),
}


def staff_size(rng: random.Random, org: OrganisationSpec) -> int:
    """A few thousand teachers per district: 25–35 per school, 10–20 per kindergarten."""
    if not org.is_active:
        return rng.randint(3, 6)  # a closed organisation keeps its former staff on record
    return rng.randint(*STAFF_SIZES[org.kind])


def personnel_number(index: int) -> str:
    return f"{index:04d}"


def build_staff(
    rng: random.Random,
    org: OrganisationSpec,
    size: int,
    *,
    reference_year: int,
    young_share: float = 0.22,
    senior_share: float = 0.25,
    first_index: int = 1,
) -> list[TeacherSpec]:
    staff = []
    for offset, (position, subject) in enumerate(staff_positions(rng, org, size)):
        staff.append(make_teacher(
            rng, org, personnel_number(first_index + offset), position, subject,
            reference_year=reference_year, young_share=young_share, senior_share=senior_share,
        ))
    return staff
