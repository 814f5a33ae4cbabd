"""The one-way import rule of docs/architecture.md, checked on the source itself.

Layers from the bottom: core → clusters → monitoring → network → surveys → diagnostics → reports → events → setup
(onboarding a district) → imc_portal (start pages, URLs) → demo. A module may import its own app and the apps below it, never above. The one
exception is the user model, `imc_portal.models`, which Django resolves for every app through
AUTH_USER_MODEL (it stays in imc_portal because moving a swappable user model breaks existing
databases); `core` may not import even that.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "clusters", "monitoring", "network", "surveys", "diagnostics", "reports", "events", "setup",
          "imc_portal", "demo"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}
USER_MODEL_MODULE = "imc_portal.models"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def layer_violations(app: str) -> list[str]:
    violations = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # migrations name other apps' models by string, and historic ones stay as they landed
        for lineno, module in _imported_modules(path):
            target = module.split(".")[0]
            if target not in RANK or target == app:
                continue
            if app != "core" and (module == USER_MODEL_MODULE or module.startswith(USER_MODEL_MODULE + ".")):
                continue
            if RANK[target] > RANK[app]:
                violations.append(f"{path.relative_to(ROOT)}:{lineno} imports {module} (a layer above {app})")
    return violations


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_the_layers_below_it(app):
    assert layer_violations(app) == []


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule can fail: a clusters module importing reports is reported."""
    fake_root = tmp_path
    (fake_root / "clusters").mkdir()
    (fake_root / "clusters" / "bad.py").write_text("from reports.models import Report\nimport core.xlsx\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    assert layer_violations("clusters") == ["clusters/bad.py:1 imports reports.models (a layer above clusters)"]
