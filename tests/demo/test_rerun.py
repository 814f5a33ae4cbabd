"""A second `load_demo` keeps what users changed (issue 8: «a second `make run` silently reverts a
methodist's edit … and resets every demo user's password»).

The demo is loaded once for tests/demo (conftest.py); each test edits it through the product's own
paths (the grid's service, the password page), runs the command again and looks at the rows.
"""
from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from core.scope import Scope
from imc_portal.models import User
from monitoring.models import PeriodApproval, Value, ValueChange
from monitoring.services import CellInput, period_unlock, values_save
from reports.models import Report
from surveys.models import Campaign
from tests.demo.conftest import FAST_HASHERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]

PRODUCT_APPS = ("clusters", "network", "monitoring", "surveys", "diagnostics", "reports", "events", "imc_portal")


def rerun() -> str:
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def frunzensky_value(code: str, label: str) -> Value:
    return Value.objects.select_related("indicator", "period", "district").get(
        indicator__programme__district__code="frunzensky", indicator__code=code, period__label=label,
        scope_key="district",
    )


def snapshot() -> dict:
    """Row counts of every product model, and the columns a rerun used to rewrite."""
    counts = {
        model._meta.label: model.objects.count()
        for app in PRODUCT_APPS for model in apps.get_app_config(app).get_models()
    }
    return {
        "counts": counts,
        "values": sorted(Value.objects.values_list("pk", "plan", "fact", "version", "updated_at")),
        "passwords": sorted(User.objects.values_list("pk", "password")),
        "approvals": sorted(PeriodApproval.objects.values_list("pk", "revoked_at")),
        "campaigns": sorted(Campaign.objects.values_list("pk", "title", "opens_at", "closes_at", "opening_notified_at",
                                                         "reminder_sent_at")),
        "reports": sorted(Report.objects.values_list("pk", "status", "updated_at")),
    }


def test_a_plan_the_methodist_changed_survives_a_rerun():
    """The issue's reproduction: the 2021 plan of «Доля ОУ…» from 40 to 45,5 in the grid, then `make run` again."""
    methodist = User.objects.get(username="metodist")
    value = frunzensky_value("net_schools_share", "2021")
    assert value.plan == 40
    cell = CellInput(indicator=value.indicator, period=value.period, plan=Decimal("45.5"), fact=None,
                     seen_version=value.version)
    assert values_save(scope=Scope.of_district(value.district), cells=[cell], user=methodist,
                       reason="План уточнён") == 1
    history = list(ValueChange.objects.filter(value=value).order_by("pk").values_list("pk", flat=True))

    rerun()

    value.refresh_from_db()
    assert value.plan == Decimal("45.5")
    assert list(ValueChange.objects.filter(value=value).order_by("pk").values_list("pk", flat=True)) == history
    last = ValueChange.objects.filter(value=value).latest("pk")
    assert (last.field, last.old, last.new, last.changed_by.username, last.reason) == (
        "plan", Decimal("40"), Decimal("45.5"), "metodist", "План уточнён")


def test_a_value_cleared_by_the_methodist_is_not_typed_in_again():
    value = frunzensky_value("net_teachers_cpd_share", "2021")
    assert value.plan == 20
    cell = CellInput(indicator=value.indicator, period=value.period, plan=None, fact=None, seen_version=value.version)
    values_save(scope=Scope.of_district(value.district), cells=[cell],
                user=User.objects.get(username="metodist"))

    rerun()

    value.refresh_from_db()
    assert value.plan is None


def test_a_period_the_director_unlocked_stays_unlocked():
    schools_2020 = frunzensky_value("net_schools_share", "2020")
    period_unlock(period=schools_2020.period, scope=Scope.of_district(schools_2020.district),
                  user=User.objects.get(username="direktor"))

    rerun()

    assert not PeriodApproval.objects.filter(period=schools_2020.period, revoked_at__isnull=True).exists()


def test_a_password_the_user_changed_survives_a_rerun():
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        client = Client()
        assert client.login(username="metodist", password="demo12345")
        response = client.post(reverse("password_change"), {
            "old_password": "demo12345", "new_password1": "Весна-2024-план", "new_password2": "Весна-2024-план",
        })
        assert response.status_code == 302, response.content.decode()[:500]

    output = rerun()

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        assert Client().login(username="metodist", password="Весна-2024-план")
        assert not Client().login(username="metodist", password="demo12345")
    assert "Пароли уже существовавших пользователей не менялись" in output


def test_a_second_run_changes_nothing_at_all():
    before = snapshot()

    output = rerun()

    assert snapshot() == before
    assert "ничего не создано" in output
    assert "пересчёт" not in output


def test_the_help_documents_reset_and_that_reruns_keep_changes():
    from demo.management.commands.load_demo import Command

    parser = Command().create_parser("manage.py", "load_demo")
    text = parser.format_help()
    assert "--reset" in text
    assert "ничего не меняет в том, что уже есть" in " ".join(text.split())
