"""The capability table is the one place that says who may do what.

Static checks over the source keep it honest in both directions: every capability named in code
exists in the table (a typo would otherwise raise LookupError only on the page that uses it), and
every capability in the table is used somewhere (a dead entry misleads whoever reads the table).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.permissions import CAPABILITIES, can, require, role_can
from core.roles import Role

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_DIRS = ["core", "clusters", "monitoring", "network", "surveys", "diagnostics", "reports", "events", "setup",
                "imc_portal", "templates"]
# "registry.edit", "reports.approve" … as a quoted literal anywhere in product code or templates.
CAPABILITY_LITERAL = re.compile(r"""["']((?:account|registry|monitoring|network|surveys|diagnostics|events|reports|setup)\.[a-z_]+)["']""")


def _capability_literals() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for folder in PRODUCT_DIRS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html"} or "migrations" in path.parts:
                continue
            if path == ROOT / "core" / "permissions.py":
                continue
            for name in CAPABILITY_LITERAL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_capability_named_in_code_is_in_the_table():
    unknown = {name: sorted(paths) for name, paths in _capability_literals().items() if name not in CAPABILITIES}
    # Module paths such as "reports.models" match the pattern too; they are not capabilities.
    unknown = {name: paths for name, paths in unknown.items() if not (ROOT / name.replace(".", "/")).exists()
               and not (ROOT / (name.replace(".", "/") + ".py")).exists()}
    assert unknown == {}


def test_every_capability_in_the_table_is_used():
    used = set(_capability_literals())
    assert sorted(set(CAPABILITIES) - used) == []


def test_every_role_holds_something_and_every_capability_has_a_role():
    assert all(CAPABILITIES.values())
    held = set().union(*CAPABILITIES.values())
    assert held == set(Role.values)


def test_methodist_edits_the_registry_and_the_director_does_not():
    assert role_can(Role.METHODIST, "registry.edit")
    assert not role_can(Role.DIRECTOR, "registry.edit")
    assert role_can(Role.DIRECTOR, "reports.approve")
    assert not role_can(Role.METHODIST, "reports.approve")


def test_anonymous_holds_nothing_and_is_refused():
    anonymous = AnonymousUser()
    assert not any(can(anonymous, name) for name in CAPABILITIES)
    with pytest.raises(PermissionDenied):
        require(anonymous, "reports.view")


def test_an_unknown_capability_is_a_programming_error():
    with pytest.raises(LookupError):
        role_can(Role.METHODIST, "reports.aprove")
