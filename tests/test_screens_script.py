"""scripts/screens.py (`make screens`): the parts that decide what is shot and when the demo database is rebuilt."""
from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from PIL import Image

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "screens.py"


@pytest.fixture(scope="module")
def screens():
    spec = importlib.util.spec_from_file_location("screens_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


ROLES = {"methodist": "metodist", "director": "direktor", "school_admin": "admin_ou", "observer": "nablyudatel",
         "portal_admin": "admin"}


def test_every_roles_home_at_both_widths_and_the_city_only_when_it_exists(screens):
    shots = screens.home_shots(ROLES)
    assert [shot.name for shot in shots] == ["home-methodist", "home-director", "home-school-admin", "home-observer",
                                             "home-portal-admin"]
    assert all(shot.widths == (1366, 390) and shot.path == "/" for shot in shots)
    assert shots[1].username == "direktor"

    with_city = screens.home_shots({**ROLES, "city": "gorod"})
    assert [shot.name for shot in with_city][-2:] == ["home-city", "home-portal-admin"]
    assert with_city[-2].username == "gorod"


def test_the_other_pages_need_a_programme_and_a_report(screens):
    paths = {shot.name: shot.path for shot in screens.page_shots()}
    assert paths["organisations-sorted"] == "/registry/organisations/?sort=name&per_page=25"
    assert paths["plan-fact-grid"].format(programme=7, report=3) == "/monitoring/7/grid/"
    assert paths["report-signed"].format(programme=7, report=3) == "/reports/3/"


def test_the_database_is_rebuilt_when_migrations_or_the_demo_change_only(screens, tmp_path):
    (tmp_path / "demo" / "registry").mkdir(parents=True)
    (tmp_path / "clusters" / "migrations").mkdir(parents=True)
    (tmp_path / "templates").mkdir()
    (tmp_path / "demo" / "registry" / "frunzensky.py").write_text("SCHOOLS = 126\n")
    (tmp_path / "clusters" / "migrations" / "0001_initial.py").write_text("operations = []\n")
    (tmp_path / "templates" / "home.html").write_text("<h1>Главная</h1>\n")
    first = screens.inputs_hash(tmp_path)

    (tmp_path / "templates" / "home.html").write_text("<h1>Главная страница</h1>\n")
    assert screens.inputs_hash(tmp_path) == first  # a template is read live by the server: no rebuild

    (tmp_path / "demo" / "registry" / "frunzensky.py").write_text("SCHOOLS = 127\n")
    second = screens.inputs_hash(tmp_path)
    assert second != first
    (tmp_path / "clusters" / "migrations" / "0002_more.py").write_text("operations = []\n")
    assert screens.inputs_hash(tmp_path) != second


def test_pictures_are_quantised(screens, tmp_path):
    image = Image.new("RGB", (300, 200))
    image.putdata([(x % 256, y % 256, (x * y) % 256) for y in range(200) for x in range(300)])  # ~60,000 colours
    raw = io.BytesIO()
    image.save(raw, format="PNG")

    size = screens.save_png(raw.getvalue(), tmp_path / "shot.png")

    with Image.open(tmp_path / "shot.png") as saved:
        assert saved.mode == "P" and saved.size == (300, 200)
        assert len(saved.getcolors(maxcolors=1 << 16)) <= 256
    assert size == (tmp_path / "shot.png").stat().st_size
