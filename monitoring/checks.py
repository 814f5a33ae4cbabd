"""System checks of monitoring: stored data the code must still understand.

`monitoring.E001`: an indicator names a calculation that no module registers any more (renamed or
removed in code, or an app that registered it left INSTALLED_APPS); its recompute would fail.
Tagged `database` — Django runs it with `manage.py check --database default` and before `migrate`,
not on every command.
"""
from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def unregistered_calculations(app_configs=None, databases=None, **kwargs) -> list[Error]:
    from .computations import registered_calculations
    from .models import Indicator

    registered = set(registered_calculations())
    errors = []
    for alias in databases or []:
        stored = (
            Indicator.objects.using(alias).exclude(calculation="").exclude(calculation__in=registered)
            .values_list("calculation", "programme__code", "code").order_by("calculation", "programme__code", "code")
        )
        try:
            rows = list(stored)
        except DatabaseError:  # tables not created yet (a check before the first migrate): nothing stored
            continue
        by_code: dict[str, list[str]] = {}
        for calculation, programme_code, code in rows:
            by_code.setdefault(calculation, []).append(f"{programme_code}/{code}")
        errors += [
            Error(
                f"Indicators use the calculation {calculation!r}, which is not registered: {', '.join(indicators)}.",
                hint="Register it in monitoring/computations.py (or the app that provides it), or change these "
                     "indicators' calculation in the catalogue.",
                obj=f"database {alias!r}",
                id="monitoring.E001",
            )
            for calculation, indicators in by_code.items()
        ]
    return errors
