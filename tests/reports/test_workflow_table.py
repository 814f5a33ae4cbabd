"""The workflow table (reports/workflow.py) is what both the report page's buttons and the services
obey: a button is shown exactly when the service accepts the click.

The expected buttons per status and persona are written out by hand from the rules (methodists
write, submit, render their drafts, withdraw their own submitted ones and correct signed reports; the director
approves, returns,
registers a paper number, renders the final PDF, signs, publishes; observers only read).
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from reports import services, workflow
from reports.models import FileRole, Report, ReportStatus
from tests.reports.signing_helpers import detached_signature_for

D, S, R, A, SG = "draft", "submitted", "returned", "approved", "signed"
EXPECTED = {
    #            methodist                                    director
    D: ({"edit", "submit", "render_draft"}, {"download_log"}),
    R: ({"edit", "submit", "render_draft"}, {"download_log"}),
    S: ({"render_draft", "withdraw"}, {"approve", "register_paper_number", "return", "render_draft", "download_log"}),
    A: ({"render_final"}, {"sign", "render_final", "download_log"}),
    SG: ({"correct"}, {"publish", "attach_signature", "download_log"}),
}


def _in_status(report: Report, status: str) -> Report:
    fields = {"status": status}
    if status in (A, SG):
        fields.update(outgoing_year=2021, outgoing_number=854, outgoing_label="1-854", dated=dt.date(2021, 12, 17))
    Report.objects.filter(pk=report.pk).update(**fields)
    return Report.objects.get(pk=report.pk)


@pytest.mark.parametrize("status", [D, R, S, A, SG])
def test_buttons_per_status_and_role(draft, methodist, director, observer, status):
    report = _in_status(draft, status)
    expected_methodist, expected_director = EXPECTED[status]
    assert workflow.available_actions(methodist, report) == expected_methodist
    assert workflow.available_actions(director, report) == expected_director
    assert workflow.available_actions(observer, report) == frozenset()


def test_other_district_gets_no_buttons(draft, other_methodist):
    assert workflow.available_actions(other_methodist, draft) == frozenset()


def test_a_pending_correction_hides_the_correct_button(draft, methodist):
    signed = _in_status(draft, SG)
    assert "correct" in workflow.available_actions(methodist, signed)
    services.report_correct(report=signed, user=methodist)
    assert "correct" not in workflow.available_actions(methodist, signed)


ATTEMPTS = {
    "edit": lambda report, user: services.report_update(report=report, user=user, conclusion="Новый вывод."),
    "submit": lambda report, user: services.report_submit(report=report, user=user),
    "withdraw": lambda report, user: services.report_withdraw(report=report, user=user),
    "return": lambda report, user: services.report_return(report=report, user=user, comment="Исправить таблицу."),
    "approve": lambda report, user: services.report_approve(report=report, user=user),
    "register_paper_number": lambda report, user: services.report_register_paper_number(
        report=report, user=user, number=900, dated=dt.date(2021, 12, 20)),
    "render_draft": lambda report, user: services.render_job_request(
        report=report, user=user, target=FileRole.DRAFT_PDF),
    "render_final": lambda report, user: services.render_job_request(
        report=report, user=user, target=FileRole.FINAL_PDF),
    "correct": lambda report, user: services.report_correct(report=report, user=user),
    "publish": lambda report, user: services.report_publish(report=report, user=user, published=True),
    "attach_signature": lambda report, user: services.report_signature_attach(
        report=report, user=user, name="podpis.sig", content=detached_signature_for(report, user)),
}


class _Undo(Exception):
    pass


def _accepted(attempt, report: Report, user) -> bool:
    """Whether the service accepts the action; whatever it wrote is rolled back."""
    try:
        with transaction.atomic():
            attempt(report, user)
            raise _Undo
    except _Undo:
        return True
    except services.ReportError:
        return False


@pytest.mark.parametrize("status", [D, R, S, A, SG])
def test_the_services_accept_exactly_the_buttons(draft, methodist, director, observer, fake_pipeline, status):
    report = _in_status(draft, status)
    for user in (methodist, director, observer):
        buttons = workflow.available_actions(user, report)
        for action, attempt in ATTEMPTS.items():
            assert _accepted(attempt, report, user) == (action in buttons), (user.username, status, action)
        assert Report.objects.get(pk=report.pk).status == status


def test_unknown_actions_are_a_programming_error():
    with pytest.raises(LookupError, match="TRANSITIONS"):
        workflow.capabilities("archive")


def test_every_row_names_a_known_capability_and_states():
    from core.permissions import CAPABILITIES

    for row in workflow.TRANSITIONS:
        assert row.capability in CAPABILITIES, row
        assert row.from_states <= set(ReportStatus.values), row
        assert row.to_state is None or row.to_state in ReportStatus.values, row
        assert row.refusal, row
