"""Report kinds: one module per kind, each registering a `ReportKindSpec` (see registry.py).

`autodiscover()` (called by `ReportsConfig.ready()`) imports every module of this package except
the registry's own (`registry`, `parameters`) and private ones (`_name`), so adding a kind never
means editing a list here.
"""
from __future__ import annotations

import importlib
import pkgutil

from .registry import (
    KindSpecError,
    ReportKindSpec,
    UnknownKind,
    all_kinds,
    choices,
    find,
    get,
    register,
    unregister,
)

NOT_KINDS = frozenset({"registry", "parameters"})

__all__ = [
    "KindSpecError", "ReportKindSpec", "UnknownKind", "all_kinds", "autodiscover", "choices", "find", "get",
    "register", "unregister",
]


def autodiscover() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in NOT_KINDS and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
