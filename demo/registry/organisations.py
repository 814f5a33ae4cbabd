"""Organisations of a Saint Petersburg district: schools, kindergartens, УДО and others.

Numbers, names and addresses are generated from a district profile with a fixed-seed Random, so
every run yields the same list and the same codes. Names and numbers follow the city's real
conventions («ГБОУ СОШ № 215», «ГБДОУ детский сад № 12», «ГБУ ДО ДДТ …»), but which numbers
exist in which district is invented, as are the streets' house numbers and all e-mails. E-mails
use the reserved .example domain so demo mail never reaches a real school.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from clusters.models import OrganisationKind

from .common import OrganisationSpec, rng_for

GBOU = "Государственное бюджетное общеобразовательное учреждение"
GBDOU = "Государственное бюджетное дошкольное образовательное учреждение"

KINDERGARTEN_VARIANTS = (
    ("комбинированного вида", 4),
    ("общеразвивающего вида с приоритетным осуществлением деятельности по физическому развитию детей", 2),
    ("общеразвивающего вида с приоритетным осуществлением деятельности по познавательно-речевому "
     "развитию детей", 2),
    ("общеразвивающего вида с приоритетным осуществлением деятельности по художественно-эстетическому "
     "развитию детей", 2),
    ("компенсирующего вида", 1),
    ("", 3),
)


@dataclass(frozen=True)
class SpbProfile:
    key: str
    prefix: str  # code prefix, e.g. FRN → FRN-S215, FRN-D012
    genitive: str  # «Фрунзенского района Санкт-Петербурга»
    email_domain: str
    postcodes: tuple[str, ...]
    streets: tuple[str, ...]
    # ("gymnasium" | "lyceum" | "<subject in genitive>" for a school with in-depth study, number)
    special_schools: tuple[tuple[str, int], ...]
    school_pool: tuple[int, ...]
    schools: int  # active schools, the special ones included
    kindergarten_pool: tuple[int, ...]
    kindergartens: int  # active kindergartens
    fixed_kindergartens: tuple[int, ...] = ()
    fixed_schools: tuple[int, ...] = ()  # ordinary СОШ numbers a seed names
    supplementary: tuple[tuple[str, str, str], ...] = ()  # (code suffix, short name, full name)
    other: tuple[tuple[str, str, str], ...] = ()
    closed_schools: tuple[int, ...] = ()
    closed_kindergartens: tuple[int, ...] = ()
    closed_supplementary: tuple[tuple[str, str, str], ...] = ()


def _address(rng: random.Random, profile: SpbProfile) -> str:
    parts = [rng.choice(profile.postcodes), "Санкт-Петербург", rng.choice(profile.streets), f"д. {rng.randint(1, 78)}"]
    if rng.random() < 0.35:
        parts.append(f"корп. {rng.randint(1, 4)}")
    if rng.random() < 0.6:
        parts.append("лит. А")
    return ", ".join(parts)


def _school(profile: SpbProfile, rng: random.Random, variant: str, number: int, active: bool) -> OrganisationSpec:
    if variant == "gymnasium":
        short, full = f"ГБОУ гимназия № {number}", f"{GBOU} гимназия № {number} {profile.genitive}"
    elif variant == "lyceum":
        short, full = f"ГБОУ лицей № {number}", f"{GBOU} лицей № {number} {profile.genitive}"
    elif variant == "sosh":
        short = f"ГБОУ СОШ № {number}"
        full = f"{GBOU} средняя общеобразовательная школа № {number} {profile.genitive}"
    else:
        short = f"ГБОУ школа № {number}"
        full = (f"{GBOU} средняя общеобразовательная школа № {number} с углублённым изучением {variant} "
                f"{profile.genitive}")
    return OrganisationSpec(
        code=f"{profile.prefix}-S{number:03d}",
        short_name=short,
        full_name=full,
        kind=OrganisationKind.SCHOOL,
        address=_address(rng, profile),
        email=f"school{number}@{profile.email_domain}",
        is_active=active,
    )


def _kindergarten(profile: SpbProfile, rng: random.Random, number: int, active: bool) -> OrganisationSpec:
    values, weights = zip(*KINDERGARTEN_VARIANTS, strict=True)
    variant = rng.choices(values, weights=weights)[0]
    full = " ".join(p for p in (GBDOU, f"детский сад № {number}", variant, profile.genitive) if p)
    return OrganisationSpec(
        code=f"{profile.prefix}-D{number:03d}",
        short_name=f"ГБДОУ детский сад № {number}",
        full_name=full,
        kind=OrganisationKind.KINDERGARTEN,
        address=_address(rng, profile),
        email=f"ds{number}@{profile.email_domain}",
        is_active=active,
    )


def _named(profile: SpbProfile, rng: random.Random, kind: str, letter: str, item, active: bool) -> OrganisationSpec:
    suffix, short, full = item
    return OrganisationSpec(
        code=f"{profile.prefix}-{letter}-{suffix}",
        short_name=short,
        full_name=full,
        kind=kind,
        address=_address(rng, profile),
        email=f"{suffix.lower()}@{profile.email_domain}",
        is_active=active,
    )


def build_spb_organisations(profile: SpbProfile) -> list[OrganisationSpec]:
    """Active organisations first by kind and number, closed ones among them; codes are stable."""
    rng = rng_for(profile.key, "organisations")
    special_numbers = {n for _, n in profile.special_schools}
    taken = special_numbers | set(profile.fixed_schools) | set(profile.closed_schools)
    pool = [n for n in profile.school_pool if n not in taken]
    ordinary = profile.schools - len(profile.special_schools) - len(profile.fixed_schools)
    school_numbers = [("sosh", n) for n in rng.sample(pool, ordinary)] + [("sosh", n) for n in profile.fixed_schools]
    schools = [(v, n, True) for v, n in [*profile.special_schools, *school_numbers]]
    schools += [("sosh", n, False) for n in profile.closed_schools]

    kg_taken = set(profile.fixed_kindergartens) | set(profile.closed_kindergartens)
    kg_pool = [n for n in profile.kindergarten_pool if n not in kg_taken]
    kg_numbers = rng.sample(kg_pool, profile.kindergartens - len(profile.fixed_kindergartens))
    kindergartens = [(n, True) for n in [*kg_numbers, *profile.fixed_kindergartens]]
    kindergartens += [(n, False) for n in profile.closed_kindergartens]

    organisations = [_school(profile, rng, v, n, active) for v, n, active in sorted(schools, key=lambda s: s[1])]
    organisations += [_kindergarten(profile, rng, n, active) for n, active in sorted(kindergartens)]
    organisations += [
        _named(profile, rng, OrganisationKind.SUPPLEMENTARY, "U", item, True) for item in profile.supplementary
    ]
    organisations += [
        _named(profile, rng, OrganisationKind.SUPPLEMENTARY, "U", item, False) for item in profile.closed_supplementary
    ]
    organisations += [_named(profile, rng, OrganisationKind.OTHER, "O", item, True) for item in profile.other]
    return organisations


def number_ranges(*ranges: tuple[int, int]) -> tuple[int, ...]:
    return tuple(n for lo, hi in ranges for n in range(lo, hi + 1))
