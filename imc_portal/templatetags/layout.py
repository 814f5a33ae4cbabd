"""`{% load layout %}{% layout_part "stylesheets" %}`: base.html's fixed parts, built once per process.

The <link>/<script> tags of every page and the navbar's fixed URLs (imc_portal/menu.py `fixed_parts`): what nine
`{% static %}` and six `{% url %}` would work out again on every page. A tag, not a context variable, so that a
page rendered without the context processors still gets its stylesheets.
"""
from django import template

from imc_portal.menu import fixed_parts

register = template.Library()


@register.simple_tag
def layout_part(name: str):
    return fixed_parts()[name]
