from django import template

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
