"""Generated sections of a справка: texts other apps write from their data when a report is created.

reports sits below the apps whose data a справка may describe (events: «Формы взаимодействия в <год> году»),
so it cannot import them; they register a section for a report kind here at start-up instead:

    register("monitoring", "events_forms", label, build)

`label` is a string or `report → str` (a label may name the report's year); `build(report)` returns the section's
text or None when there is nothing to say (the section is then off for that report). When a report of the kind is
created (reports.services.workflow.report_create), every registered section whose build returns text writes it
into Report.section_texts[key]: from there it is edited before submission like the kind's own section texts
(the edit form labels it with `label(report, key)`), and the kind's print template shows each non-empty one
under its label (`printed(report)`).

This module imports nothing of the portal at run time, so anything may import it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.models import Report

logger = logging.getLogger(__name__)


class SectionError(ValueError):
    """A section that cannot work (a programming error, raised at start-up)."""


@dataclass(frozen=True)
class Section:
    kind: str
    key: str
    label: str | Callable[[Report], str]
    build: Callable[[Report], str | None]

    def label_for(self, report: Report) -> str:
        return self.label(report) if callable(self.label) else self.label


_SECTIONS: dict[str, dict[str, Section]] = {}


def register(kind_code: str, key: str, label: str | Callable[[Report], str],
             build: Callable[[Report], str | None]) -> Section:
    """Add a generated section to a kind; registering the same key again with another build is an error
    (importing a registering module twice is not)."""
    if not kind_code or not key or not str(key).strip():
        raise SectionError("A section needs a kind code and a key")
    if not callable(build) or not (callable(label) or (isinstance(label, str) and label.strip())):
        raise SectionError(f"Section {kind_code}/{key}: build must be callable and label a text or a callable")
    section = Section(kind=kind_code, key=key, label=label, build=build)
    existing = _SECTIONS.get(kind_code, {}).get(key)
    if existing is not None and existing.build is not build:
        raise SectionError(f"Section {kind_code}/{key} is registered twice")
    _SECTIONS.setdefault(kind_code, {})[key] = section
    return section


def unregister(kind_code: str, key: str) -> None:
    """Remove a section (tests register their own and take them away again)."""
    _SECTIONS.get(kind_code, {}).pop(key, None)


def for_kind(kind_code: str) -> list[Section]:
    """The kind's sections in the order they were registered."""
    return list(_SECTIONS.get(kind_code, {}).values())


def find(kind_code: str, key: str) -> Section | None:
    return _SECTIONS.get(kind_code, {}).get(key)


def label(report: Report, key: str) -> str | None:
    """The label of a generated section of the report's kind, or None for any other key."""
    section = find(report.kind, key)
    return section.label_for(report) if section is not None else None


def fill(report: Report) -> list[str]:
    """Write each registered section's text into report.section_texts (not saved); the keys written.

    Runs once, when the draft is created: later the text is the methodist's, never regenerated over an edit.
    A section whose build fails is left out (logged) — the справка is still created without it.
    """
    written = []
    for section in for_kind(report.kind):
        try:
            text = section.build(report)
        except Exception:
            logger.exception("Generated section %s/%s failed for report %s", section.kind, section.key, report.pk)
            continue
        if text and text.strip():
            report.section_texts = {**(report.section_texts or {}), section.key: text.strip()}
            written.append(section.key)
    return written


def printed(report: Report) -> list[tuple[str, str]]:
    """(label, text) of the report's non-empty generated sections, in registration order."""
    texts = report.section_texts or {}
    return [(section.label_for(report), texts[section.key].strip()) for section in for_kind(report.kind)
            if (texts.get(section.key) or "").strip()]
