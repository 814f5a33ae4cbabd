"""Reading back what the builder made, for the builder tests (the data is built in factories.py)."""
from __future__ import annotations

from surveys.models import Questionnaire


def order(q: Questionnaire) -> list[tuple[str | None, str]]:
    """(section title, question text) in the respondent's order."""
    return [(x.section.title if x.section else None, x.text)
            for x in q.questions.select_related("section").order_by("position", "pk")]


def structure(q: Questionnaire) -> list[tuple]:
    """Everything a copy must repeat, without primary keys."""
    return [
        (x.section.title if x.section else None, x.section.position if x.section else None, x.code, x.position,
         x.text, x.help_text, x.kind, x.required, x.allow_other, x.other_label, x.min_value, x.max_value,
         x.max_length,
         [(o.text, o.position, o.points) for o in x.options.order_by("position")],
         [(r.text, r.position) for r in x.rows.order_by("position")])
        for x in q.questions.select_related("section").order_by("position")
    ]
