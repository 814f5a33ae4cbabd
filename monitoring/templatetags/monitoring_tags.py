from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.reversing import reverse_ids
from monitoring.calculations import Achievement, format_value
from monitoring.dashboards import NO_PLAN, NO_PLAN_LABEL, bar_status

register = template.Library()


@register.filter
def indicator_value(number, indicator):
    """{{ value.fact|indicator_value:indicator }} → «54,8 %», «да», «8»; a missing value → «—»."""
    if number in (None, ""):
        return "—"
    return format_value(number, indicator.unit, indicator.decimals)


@register.filter
def cell_state(cell):
    """A plan/fact cell's state as the dashboard draws it: NO_PLAN for a fact without a plan, else its achievement."""
    value = cell.value
    plan, fact = (value.plan, value.fact) if value else (None, None)
    return bar_status(cell.status, plan, fact)


@register.filter
def achievement_label(status):
    if status == NO_PLAN:
        return NO_PLAN_LABEL
    return Achievement.LABELS.get(status, "")


@register.filter
def achievement_class(status):
    return {Achievement.ACHIEVED: "achieved", Achievement.NOT_ACHIEVED: "not-achieved",
            NO_PLAN: "text-primary"}.get(status, "text-muted")


@register.simple_tag
def grid_field(form, kind, indicator_id, period_id):
    """The grid form's bound field for one cell: {% grid_field form "plan" ind.pk period.pk as f %}."""
    return form.field_for(kind, indicator_id, period_id)


@register.simple_tag
def plan_fact_cells(row):
    """The plan and fact cells of one indicator's row, one pair per period (the plan/fact table).

    Built in Python rather than by a template loop (the same markup): the demo's biggest programme holds
    364 values, each a pair of cells with five filters and a reversed URL — most of the table's time.
    """
    indicator = row.indicator
    cells = []
    for cell in row.cells:
        value = cell.value
        state = cell_state(cell)
        provenance = cell.provenance
        cells.append(format_html(
            '<td class="num">{}</td><td class="num {}" title="{}"> {} {} {} {} </td>',
            indicator_value(value.plan if value else None, indicator),
            achievement_class(state), achievement_label(state),
            indicator_value(value.fact if value else None, indicator),
            format_html('<div class="small text-muted">{}</div>', provenance) if provenance else "",
            format_html('<a class="small" href="{}" title="История изменений"><i class="bi bi-clock-history"></i></a>',
                        reverse_ids("monitoring:value_history", value.pk)) if value else "",
            format_html('<i class="bi bi-chat-left-text text-muted" title="{}"></i>', value.comment)
            if value and value.comment else "",
        ))
    return mark_safe("".join(cells))  # every cell comes from format_html


@register.simple_tag
def scope_options(choices, current_key):
    """The scope picker's <option>s: (key, label) pairs, the current scope selected."""
    # escape() per value, as format_html_join would do, without its per-option format_html (a district's
    # picker has a few hundred options on every monitoring page).
    return mark_safe("".join(  # noqa: S308 - every value escaped
        f'<option value="{escape(key)}"{" selected" if key == current_key else ""}>{escape(label)}</option>'
        for key, label in choices))
