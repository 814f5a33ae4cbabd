"""System checks of the report kinds (run by `manage.py check`, CI and every test session).

reports.E001  a registered kind's print template does not exist
reports.E002  a stored report names a kind that no module registers (with --database)
reports.E003  SIGNING_CREDENTIALS_KEY is unset while DEBUG is off (signers' certificates would be
              sealed with a key derived from SECRET_KEY) — a deployment check (`check --deploy`, run by
              docker-compose's `migrate` before migrating), so a developer's commands without DEBUG run
reports.E004  SIGNING_CREDENTIALS_KEY holds something that is not a Fernet key
"""
from __future__ import annotations

from django.conf import settings
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


def signing_credentials_key(app_configs=None, **kwargs) -> list[Error]:
    from .certificates import configured_keys, key_problem

    value = getattr(settings, "SIGNING_CREDENTIALS_KEY", "")
    if not configured_keys(value):
        if settings.DEBUG:
            return []  # the embedded default: a key derived from SECRET_KEY, so `make run` needs no setup
        return [Error(
            "SIGNING_CREDENTIALS_KEY is not set, but DEBUG is off.",
            hint=(
                "Задайте ключ шифрования сертификатов подписи: SIGNING_CREDENTIALS_KEY=<вывод команды "
                "python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\">. "
                "Без него файлы PKCS#12 и их пароли шифровались бы ключом, выведенным из SECRET_KEY. / Set "
                "SIGNING_CREDENTIALS_KEY to a Fernet key (Fernet.generate_key()); it seals the signers' "
                "PKCS#12 files and passwords in the database."
            ),
            obj="settings.SIGNING_CREDENTIALS_KEY", id="reports.E003",
        )]
    problem = key_problem(value)
    if problem:
        return [Error(
            f"SIGNING_CREDENTIALS_KEY: {problem}.",
            hint="Ключ — 32 байта в base64 (url-safe), как выдаёт Fernet.generate_key(); несколько ключей — через запятую.",
            obj="settings.SIGNING_CREDENTIALS_KEY", id="reports.E004",
        )]
    return []


@register(deploy=True)
def signing_credentials_key_required(app_configs=None, **kwargs) -> list[Error]:
    return [e for e in signing_credentials_key() if e.id == "reports.E003"]


@register()
def signing_credentials_key_valid(app_configs=None, **kwargs) -> list[Error]:
    return [e for e in signing_credentials_key() if e.id != "reports.E003"]
