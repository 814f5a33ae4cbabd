"""`{% load registry_rows %}`: the rows of the registry's busiest lists, built in Python (issue 15.3).

A template loop over a page of 50 rows resolves ~450 variables and filters — most of a list page's time
once the filter bar and the column heads are cheap. These tags write the same markup as the loops they
replace (tests/clusters/test_registry_rows.py compares both): every value escaped as format_html would (`_e`),
numbers through Django's `localize` as a template prints them, links by core.reversing.
"""
from __future__ import annotations

from html import escape as _html_escape

from django import template
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

NOTHING_FOUND = '<tr><td colspan="{}" class="text-muted">Ничего не найдено.</td></tr>'


def _number(value) -> str:
    return "—" if value is None else localize(value)


def _e(value) -> str:
    """django.utils.html.conditional_escape without its SafeString per value (a page of 50 rows escapes ~500
    values): the same text — html.escape, which Django's escape() is — and safe values kept as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html_escape(str(value))


CLOSED = '<span class="text-muted">закрыта</span>'
LEFT = ' class="text-muted"'
YOUNG = ' <span class="badge text-bg-info" title="моложе 35 лет">молодой</span>'


@register.simple_tag
def organisation_rows(organisations):
    """The organisation list's rows: code, name (a link), type, address, e-mail, status."""
    rows = "".join(
        f'<tr><td>{_e(o.code)}</td><td><a href="{_e(o.get_absolute_url())}">{_e(o.short_name)}</a></td>'
        f'<td>{_e(o.get_kind_display())}</td><td>{_e(o.address)}</td><td>{_e(o.email)}</td>'
        f'<td>{"действующая" if o.is_active else CLOSED}</td></tr>'
        for o in organisations)
    return mark_safe(rows) if rows else format_html(NOTHING_FOUND, 6)  # noqa: S308 - every value escaped by _e


@register.simple_tag
def teacher_rows(teachers):
    """The teacher list's rows: name (a link, «молодой» under 35), organisation, position, subject,
    experience, year of birth, category; a teacher who left is greyed."""
    rows = "".join(
        f'<tr{"" if t.is_active else LEFT}><td><a href="{_e(t.get_absolute_url())}">'
        f'{_e(t.full_name)}</a>{YOUNG if t.is_young else ""}</td><td>{_e(t.organisation.short_name)}</td>'
        f'<td>{_e(t.position)}</td><td>{_e(t.subject_area)}</td><td class="num">{_e(_number(t.experience_years))}</td>'
        f'<td class="num">{_e(_number(t.birth_year))}</td><td>{_e(t.get_category_display())}</td></tr>'
        for t in teachers)
    return mark_safe(rows) if rows else format_html(NOTHING_FOUND, 7)  # noqa: S308 - every value escaped by _e
