"""Demo data of the ИМЦ portal: the districts of the seeds, built deterministically.

`build_plans()` returns plain data (no database); `demo.registry.loader.load()` writes what is
missing. The management command `load_demo` ties the two together.
"""
from __future__ import annotations

from .common import DistrictPlan


def build_plans() -> list[DistrictPlan]:
    from . import frunzensky, sayansk, spb_others

    return [frunzensky.build_plan(), spb_others.build_kirovsky(), spb_others.build_krasnoselsky(),
            sayansk.build_plan()]
