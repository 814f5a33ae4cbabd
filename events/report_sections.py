"""The monitoring справка's section «Формы взаимодействия в <год> году» (issue 13, item 7), generated from the
registry's events — seed 000's paragraph «В 2021 году освоены новые эффективные формы взаимодействия …».

Registered in reports' section registry (reports/sections.py) when this module is imported — EventsConfig.ready()
imports it; reports never imports events. When a monitoring справка of the whole district is created, the text is
written into Report.section_texts["events_forms"] if the district held events in the year of the report's last
period (no events — no section); the methodist edits it before submission like any section text.

Text: one sentence with the counts by form (one aggregate query, events.indicators.events_by_form), then one
paragraph per form with its events' titles and dates (one more query).
"""
from __future__ import annotations

from collections import defaultdict

from clusters.models import Event, EventForm, EventStatus, year_bounds
from core.formatting import count_phrase
from core.formatting import date as date_text
from reports import sections
from reports.models import Report

from .indicators import FormRow, events_by_form

KIND = "monitoring"  # reports.kinds.monitoring.CODE (not imported: kinds are registered by reports' ready())
KEY = "events_forms"
DISTRICT_SCOPE = "district"

# The forms in the plural, as a list «мастер-классы — 4» reads; a district's own form prints as it was named.
PLURAL = {
    EventForm.SEMINAR.label: "семинары",
    EventForm.MASTER_CLASS.label: "мастер-классы",
    EventForm.CONFERENCE.label: "конференции",
    EventForm.FESTIVAL.label: "фестивали",
    EventForm.COMPETITION.label: "конкурсы",
    EventForm.OPEN_LESSON.label: "открытые уроки",
    EventForm.WEBINAR.label: "вебинары",
    EventForm.EXPEDITION.label: "экспедиции",
    EventForm.METHODICAL_LANDING.label: "методические десанты",
    EventForm.ROUND_TABLE.label: "круглые столы",
    EventForm.DIALOGUE_TABLE.label: "диалоговые столы",
    EventForm.FORUM.label: "форумы",
    EventForm.CONSULTATION_INDIVIDUAL.label: "индивидуальные консультации",
    EventForm.CONSULTATION_THEMATIC.label: "тематические консультации",
    EventForm.MUTUAL_VISIT.label: "взаимопосещения",
    EventForm.MUTUAL_TESTING.label: "взаимоапробация",
    EventForm.VIDEO_LESSON.label: "видеоуроки",
    EventForm.METHODICAL_DAY.label: "методические дни",
    EventForm.OTHER.label: "другие мероприятия",
}


def report_year(report: Report) -> int | None:
    """The year of the report's last period (the справка's «в 2021 году»)."""
    last = report.periods.order_by("ends_on").last() if report.pk else None
    return last.year if last is not None else None


def label(report: Report) -> str:
    year = report_year(report)
    return f"Формы взаимодействия в {year} году" if year else "Формы взаимодействия"


def _plural(form: str) -> str:
    return PLURAL.get(form, form)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]  # not str.capitalize(): «Школа ИМЦ» keeps its capitals


def _count_item(row: FormRow) -> str:
    item = f"{_plural(row.form)} — {row.events}"
    if row.participants:
        pupils = f", из них обучающихся {row.pupils}" if row.pupils else ""
        item += f" (участников {row.participants}{pupils})"
    return item


def forms_text(district_id: int, year: int) -> str | None:
    """The section's text for the district's held events of the year, or None when it held none."""
    starts_on, ends_on = year_bounds(year)
    rows = events_by_form(district_id, starts_on, ends_on)
    if not rows:
        return None
    total = sum(row.events for row in rows)
    lead = (f"В {year} году ИМЦ провёл {count_phrase(total, 'мероприятие', 'мероприятия', 'мероприятий')}: "
            + ", ".join(_count_item(row) for row in rows) + ".")
    titles = defaultdict(list)
    events = (Event.objects.filter(district_id=district_id, status=EventStatus.HELD, held_on__gte=starts_on,
                                   held_on__lte=ends_on)
              .select_related("custom_form").only("title", "held_on", "form", "custom_form__name")
              .order_by("held_on", "title"))
    for event in events:
        titles[event.form_label].append(f"{event.title} ({date_text(event.held_on)})")
    paragraphs = [f"{_capitalised(_plural(row.form))}: " + "; ".join(titles[row.form]) + "."
                  for row in rows if titles[row.form]]
    return "\n\n".join([lead, *paragraphs])


def build(report: Report) -> str | None:
    """The section of a справка of the whole district; off for a cluster's or an organisation's."""
    if report.scope_key != DISTRICT_SCOPE:
        return None
    year = report_year(report)
    return forms_text(report.district_id, year) if year else None


sections.register(KIND, KEY, label, build)
