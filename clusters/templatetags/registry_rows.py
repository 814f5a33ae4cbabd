"""`{% load registry_rows %}`: the rows of the registry's busiest lists, built in Python (issue 15.3).

A template loop over a page of 50 rows resolves ~450 variables and filters — most of a list page's time
once the filter bar and the column heads are cheap. These tags write the same markup as the loops they
replace (tests/clusters/test_registry_rows.py compares both): every value escaped by format_html,
numbers through Django's `localize` as a template prints them, links by core.reversing.
"""
from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

NOTHING_FOUND = '<tr><td colspan="{}" class="text-muted">Ничего не найдено.</td></tr>'


def _number(value) -> str:
    return "—" if value is None else localize(value)


@register.simple_tag
def organisation_rows(organisations):
    """The organisation list's rows: code, name (a link), type, address, e-mail, status."""
    rows = format_html_join("", (
        '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>'
    ), ((o.code, o.get_absolute_url(), o.short_name, o.get_kind_display(), o.address, o.email,
         "действующая" if o.is_active else mark_safe('<span class="text-muted">закрыта</span>'))
        for o in organisations))
    return rows or format_html(NOTHING_FOUND, 6)


@register.simple_tag
def teacher_rows(teachers):
    """The teacher list's rows: name (a link, «молодой» under 35), organisation, position, subject,
    experience, year of birth, category; a teacher who left is greyed."""
    young = mark_safe(' <span class="badge text-bg-info" title="моложе 35 лет">молодой</span>')
    rows = format_html_join("", (
        '<tr{}><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td>{}</td></tr>'
    ), (("" if t.is_active else mark_safe(' class="text-muted"'), t.get_absolute_url(), t.full_name,
         young if t.is_young else "", t.organisation.short_name, t.position, t.subject_area,
         _number(t.experience_years), _number(t.birth_year), t.get_category_display())
        for t in teachers))
    return rows or format_html(NOTHING_FOUND, 7)
