"""The skeleton every district plan starts from: the district, its ИМЦ, organisations and staff."""
from __future__ import annotations

from collections.abc import Iterable

from .common import DistrictPlan, OrganisationSpec, TeacherSpec, rng_for
from .districts import CENTRES, DISTRICTS
from .teachers import build_staff, staff_size


def district_plan(code: str) -> DistrictPlan:
    region, name = DISTRICTS[code]
    return DistrictPlan(region=region, name=name, code=code, centre=CENTRES[code])


def add_staff(
    plan: DistrictPlan,
    organisations: Iterable[OrganisationSpec],
    *,
    reference_year: int,
    young_share: float = 0.22,
    senior_share: float = 0.25,
) -> None:
    """Staff every organisation; one Random per organisation so lists never shift each other."""
    for org in organisations:
        rng = rng_for(plan.code, "staff", org.code)
        plan.teachers += build_staff(
            rng, org, staff_size(rng, org), reference_year=reference_year,
            young_share=young_share, senior_share=senior_share,
        )


def active_teachers(plan: DistrictPlan) -> list[TeacherSpec]:
    active_orgs = {o.code for o in plan.organisations if o.is_active}
    return [t for t in plan.teachers if t.is_active and t.org_code in active_orgs]
