"""`{% load permissions %}` then `{% if user|can:"registry.edit" %}`: templates ask the capability table.

A template never compares roles (`user.is_school_admin`) to decide what to show; it asks the same
table the view guards ask (core.permissions), so a button and the page behind it cannot disagree
about a role. An unknown capability name raises LookupError instead of quietly hiding the button.
"""
from django import template

from core import permissions

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    return permissions.can(user, capability)
