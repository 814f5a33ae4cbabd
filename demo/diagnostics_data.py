"""Data of the Sayansk diagnostics demo (seed 001): the index table it must reproduce and the campaigns.

The seed prints the competency index of the eight groups for 2016/17, 2018/19 and 2019/20 with two or three
decimals (binary floats: 0.57299999999999995 = 0,573) and the two components of digital competence for
2017/18–2019/20 with two. The demo draws individual answers whose per-teacher area indices (AreaScore) average
to exactly these numbers, rounded to three decimals — so they also round to the printed two.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

COMPETENCY_AREAS: tuple[str, ...] = (
    "comp-methodological", "comp-methodical", "comp-technological", "comp-evaluative",
    "comp-diagnostic", "comp-design", "comp-reflexive", "comp-inclusive",
)
DIGITAL_AREAS: tuple[str, ...] = ("digital-knowledge", "digital-activity")


def _targets(areas: tuple[str, ...], values: tuple[str, ...]) -> dict[str, Decimal]:
    assert len(areas) == len(values)
    return {area: Decimal(value) for area, value in zip(areas, values, strict=True)}


# year → area code → the seed's printed index. A campaign's year is the year its results belong to — for an academic
# year its end (2016/17 → 2017), as a monitoring period's year is its end: the programme's calculations find them.
COMPETENCY_INDEX: dict[int, dict[str, Decimal]] = {
    2017: _targets(COMPETENCY_AREAS, ("0.54", "0.573", "0.42", "0.766", "0.387", "0.661", "0.556", "0.273")),
    2019: _targets(COMPETENCY_AREAS, ("0.62", "0.667", "0.735", "0.77", "0.389", "0.692", "0.556", "0.277")),
    2020: _targets(COMPETENCY_AREAS, ("0.623", "0.668", "0.74", "0.773", "0.39", "0.712", "0.558", "0.28")),
}
DIGITAL_INDEX: dict[int, dict[str, Decimal]] = {
    2018: _targets(DIGITAL_AREAS, ("0.61", "0.39")),
    2019: _targets(DIGITAL_AREAS, ("0.22", "0.78")),
    2020: _targets(DIGITAL_AREAS, ("0.19", "0.81")),
}

# Codes of the shipped instruments (diagnostics/instruments_shipped.py).
COMPETENCY_CODE = "competencies"
DIGITAL_CODE = "digital"


@dataclass(frozen=True)
class CampaignSpec:
    instrument_code: str
    year: int
    label: str
    teachers: int  # how many of the city's 608 teachers took part
    opens: tuple[int, int, int]
    closes: tuple[int, int, int]

    @property
    def title(self) -> str:
        if self.instrument_code == COMPETENCY_CODE:
            return f"Самооценка профессиональных компетенций педагогов, {self.label}"
        return f"Диагностика цифровой компетентности педагогов, {self.label}"

    @property
    def targets(self) -> dict[str, Decimal]:
        source = COMPETENCY_INDEX if self.instrument_code == COMPETENCY_CODE else DIGITAL_INDEX
        return source[self.year]


# Participants follow the project's members (seed 001: 350 → 450 → 526 → 582 teachers).
CAMPAIGNS: tuple[CampaignSpec, ...] = (
    CampaignSpec(COMPETENCY_CODE, 2017, "2016/17", 350, (2017, 3, 1), (2017, 4, 28)),
    CampaignSpec(COMPETENCY_CODE, 2019, "2018/19", 526, (2019, 3, 1), (2019, 4, 26)),
    CampaignSpec(COMPETENCY_CODE, 2020, "2019/20", 582, (2020, 2, 10), (2020, 3, 20)),
    CampaignSpec(DIGITAL_CODE, 2018, "2017/18", 450, (2018, 3, 1), (2018, 4, 27)),
    CampaignSpec(DIGITAL_CODE, 2019, "2018/19", 526, (2019, 3, 1), (2019, 4, 26)),
    CampaignSpec(DIGITAL_CODE, 2020, "2019/20", 582, (2020, 2, 10), (2020, 3, 20)),
)
