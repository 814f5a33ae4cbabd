"""System checks of the report kinds (run by `manage.py check`, CI and every test session).

reports.E001  a registered kind's print template does not exist
reports.E002  a stored report names a kind that no module registers (with --database)
"""
from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import DatabaseError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template


@register()
def kind_templates_exist(app_configs=None, **kwargs) -> list[Error]:
    from . import kinds

    errors = []
    for spec in kinds.all_kinds():
        try:
            get_template(spec.template)
        except TemplateDoesNotExist:
            errors.append(Error(
                f"Report kind {spec.code!r} names the print template {spec.template!r}, which does not exist.",
                hint="Add the template under templates/reports/pdf/ or fix ReportKindSpec.template.",
                obj=f"reports.kinds.{spec.code}", id="reports.E001",
            ))
    return errors


@register(Tags.database)
def stored_kinds_registered(app_configs=None, databases=None, **kwargs) -> list[Error]:
    if not databases:  # database checks run only when asked for (migrate, check --database)
        return []
    from . import kinds
    from .models import Report

    errors = []
    for database in databases:
        try:
            stored = set(Report.objects.using(database).values_list("kind", flat=True).distinct())
        except DatabaseError:  # not migrated yet
            continue
        for code in sorted(code for code in stored if kinds.find(code) is None):
            errors.append(Error(
                f"Reports of kind {code!r} are stored in {database!r}, but no module of reports/kinds/ registers it.",
                hint="Restore the kind's module, or move those reports to a registered kind with a data migration.",
                obj="reports.Report.kind", id="reports.E002",
            ))
    return errors
