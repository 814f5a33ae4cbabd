"""The application error: a refused action with a Russian message and, where it helps, field errors.

Services raise an AppError subclass; views show `str(error)` and, on a form, put the structured
`field_errors` onto their fields with `apply_to_form` — nobody parses a Russian message back into
a field name. The subclasses exist because users must be able to tell why something was refused:
locked (an approved period), closed (a campaign that no longer takes answers), forbidden (the
role or district may not), invalid (what was typed does not fit), conflict (someone else changed
it meanwhile) are different messages and different decisions in a view.

Apps keep their own exception names (MonitoringError, SurveyError, ReportError …) as subclasses,
so existing `except` clauses keep working.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS


class AppError(Exception):
    """A refused action; `str(error)` is the Russian sentence to show.

    `field_errors` maps a field name (a form field, or a column/attribute the caller names) to its
    messages; NON_FIELD_ERRORS ("__all__") holds those of the whole form.
    """

    code = "error"

    def __init__(self, message: str = "", *, field_errors: Mapping[str, Iterable[str]] | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors: dict[str, list[str]] = {
            name: [str(m) for m in messages] for name, messages in (field_errors or {}).items()
        }
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class ForbiddenError(AppError):
    """The user's role, district or organisation may not do this."""

    code = "forbidden"


class LockedError(AppError):
    """The object is locked by an approval (e.g. a period approved by the director)."""

    code = "locked"


class ClosedError(AppError):
    """The object is not open for this now (a campaign not yet started or already finished)."""

    code = "closed"


class InvalidError(AppError):
    """What was entered does not fit; `field_errors` says where."""

    code = "invalid"


class ConflictError(AppError):
    """Someone else changed the same thing after the user opened it."""

    code = "conflict"


def apply_to_form(form, error: AppError, *, message_if_no_fields: bool = True) -> None:
    """Put the error's field errors onto `form`; a name the form has no field for goes to the
    form's non-field errors. An error without field errors adds its message as a non-field error
    (unless `message_if_no_fields` is False, when the caller shows it some other way)."""
    for name, messages in error.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
    if not error.field_errors and message_if_no_fields and error.message:
        form.add_error(None, error.message)


__all__ = [
    "NON_FIELD_ERRORS",
    "AppError",
    "ClosedError",
    "ConflictError",
    "ForbiddenError",
    "InvalidError",
    "LockedError",
    "apply_to_form",
]
