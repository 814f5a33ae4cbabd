from django import template

from monitoring.calculations import Achievement, format_value

register = template.Library()


@register.filter
def indicator_value(number, indicator):
    """{{ value.fact|indicator_value:indicator }} → «54,8 %», «да», «8»; a missing value → «—»."""
    if number in (None, ""):
        return "—"
    return format_value(number, indicator.unit, indicator.decimals)


@register.filter
def achievement_label(status):
    return Achievement.LABELS.get(status, "")


@register.filter
def achievement_class(status):
    return {Achievement.ACHIEVED: "achieved", Achievement.NOT_ACHIEVED: "not-achieved"}.get(status, "text-muted")


@register.simple_tag
def grid_field(form, kind, indicator_id, period_id):
    """The grid form's bound field for one cell: {% grid_field form "plan" ind.pk period.pk as f %}."""
    return form.field_for(kind, indicator_id, period_id)
