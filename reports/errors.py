"""The refusals of the reports app, in a leaf module: services, forms, kinds and builders raise them.

`str(error)` is the Russian sentence the page shows; nothing is changed when one is raised.
"""
from __future__ import annotations

from core.errors import AppError, ForbiddenError


class ReportError(AppError):
    """A refused action; str(error) is the Russian sentence for the page."""


class ReportForbiddenError(ReportError, ForbiddenError):
    """The user's role or district may not do this (the view answers 403 before it gets here)."""


class ReportDataError(ValueError):
    """The report cannot be built from its data; the message is Russian and says what is missing."""
