"""Apps above the registry add sections to its pages through clusters/panels.py."""
import pytest

from clusters import panels

pytestmark = pytest.mark.django_db


def test_a_registered_panel_is_rendered_on_the_organisation_page(methodist_client, school_a, tmp_path, settings):
    (tmp_path / "panel.html").write_text("<section>Панель: {{ panel.word }}</section>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    def shown(request, organisation):
        return panels.Panel("panel.html", {"word": organisation.code})

    def hidden(request, organisation):
        return None

    panels.register("organisation")(shown)
    panels.register("organisation")(hidden)
    try:
        page = methodist_client.get(school_a.get_absolute_url()).content.decode()
    finally:
        panels._PANELS["organisation"].remove(shown)
        panels._PANELS["organisation"].remove(hidden)
    assert f"Панель: {school_a.code}" in page


def test_an_unknown_page_is_refused():
    with pytest.raises(LookupError):
        panels.register("community")
