"""The questionnaires every deployment ships with: seed 004's Приложения 1–3 and its criteria sheet.

They are shared (district NULL, version 1) and installed by the data migration
`surveys/migrations/0002_shipped_questionnaires.py`, which holds the one frozen copy of their
texts. `install_shipped_questionnaires()` runs the same installer on the real models — for the
demo, and for databases emptied after migrating (a flushed test database). It creates what is
missing and never changes a questionnaire that exists.

Stable handles for the code that builds on them (results, survey-based indicators):

- codes: DPO_LISTENER (Приложение 1), METHODICAL_SUPPORT (Приложение 2), YOUNG_TEACHERS
  (Приложение 3), SUPPORT_CRITERIA (the criteria sheet, filled per organisation);
- questions by code q1, q2, … in the printed order;
- «Да, вполне или скорее да» of Приложение 1 by its text, DPO_SATISFIED_TEXT: the option of
  questions q1–q4 that «Доля получателей услуг ДПО, удовлетворённых …» counts. DPO_QUALITY_QUESTION
  (q4, «…качеством предоставляемой образовательной услуги?») and DPO_EQUIPMENT_QUESTION (q3,
  «…материально-техническим обеспечением организации?») are the two shares of section 7's table.
"""
from __future__ import annotations

import importlib

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import QuerySet

from .models import Option, Questionnaire

_frozen = importlib.import_module("surveys.migrations.0002_shipped_questionnaires")

DPO_LISTENER = "dpo-listener"
METHODICAL_SUPPORT = "methodical-support"
YOUNG_TEACHERS = "young-teachers"
SUPPORT_CRITERIA = "support-criteria"
SHIPPED_CODES = (DPO_LISTENER, METHODICAL_SUPPORT, YOUNG_TEACHERS, SUPPORT_CRITERIA)
SHIPPED_VERSION = _frozen.VERSION

DPO_SATISFIED_TEXT = _frozen.SATISFIED  # «Да, вполне или скорее да»
DPO_QUALITY_QUESTION = "q4"
DPO_EQUIPMENT_QUESTION = "q3"

SHIPPED_SPECS = {spec["code"]: spec for spec in _frozen.QUESTIONNAIRES}
assert tuple(SHIPPED_SPECS) == SHIPPED_CODES


def install_shipped_questionnaires() -> dict[str, Questionnaire]:
    """Create the shipped questionnaires that are missing; return all four by code. Idempotent."""
    with transaction.atomic():
        installed = _frozen.install(global_apps)
    return {code: installed[code] for code in SHIPPED_CODES}


def shipped_questionnaire(code: str) -> Questionnaire:
    """The shared version-1 questionnaire of a shipped code (Questionnaire.DoesNotExist if missing)."""
    return Questionnaire.objects.get(district__isnull=True, code=code, version=SHIPPED_VERSION)


def dpo_satisfied_options(questionnaire: Questionnaire) -> QuerySet[Option]:
    """«Да, вполне или скорее да» of every question that has it (Приложение 1: q1–q4), found by text.

    By text, so a district's copy of the questionnaire (new pks, same texts) answers too.
    """
    return Option.objects.filter(question__questionnaire=questionnaire, text=DPO_SATISFIED_TEXT)


def dpo_satisfied_option(questionnaire: Questionnaire, question_code: str = DPO_QUALITY_QUESTION) -> Option:
    """«Да, вполне или скорее да» of one question (by default the quality one, q4)."""
    return dpo_satisfied_options(questionnaire).select_related("question").get(question__code=question_code)
