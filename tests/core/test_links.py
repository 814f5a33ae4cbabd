"""core/links.py (the portal's public address) and its system checks core.E001/E002 (core/checks.py)."""
import pytest
from django.test import RequestFactory, override_settings

from core.checks import portal_base_url_set
from core.links import DEVELOPMENT_BASE_URL, absolute_url, portal_base_url


@override_settings(PORTAL_BASE_URL="https://imc.example.ru/")
def test_absolute_url_joins_base_and_path_with_one_slash():
    assert absolute_url("/s/abc/") == "https://imc.example.ru/s/abc/"


@override_settings(PORTAL_BASE_URL="http://localhost:8000")
def test_absolute_url_without_trailing_slash_in_the_setting():
    assert absolute_url("/v/XYZ/") == "http://localhost:8000/v/XYZ/"


@override_settings(PORTAL_BASE_URL="https://imc.example.ru")
def test_absolute_url_on_a_stored_base():
    assert absolute_url("/v/XYZ/", base="http://127.0.0.1:8765/") == "http://127.0.0.1:8765/v/XYZ/"
    assert absolute_url("/v/XYZ/", base="") == "https://imc.example.ru/v/XYZ/"


@override_settings(PORTAL_BASE_URL="", ALLOWED_HOSTS=["127.0.0.1"])
def test_without_the_setting_the_request_gives_the_address():
    request = RequestFactory().post("/reports/1/approve/", HTTP_HOST="127.0.0.1:8765")
    assert portal_base_url(request) == "http://127.0.0.1:8765"


@override_settings(PORTAL_BASE_URL="https://imc.example.ru/", ALLOWED_HOSTS=["127.0.0.1"])
def test_the_setting_wins_over_the_request():
    request = RequestFactory().post("/reports/1/approve/", HTTP_HOST="127.0.0.1:8765")
    assert portal_base_url(request) == "https://imc.example.ru"


@override_settings(PORTAL_BASE_URL="")
def test_without_setting_and_request_the_development_address():
    assert portal_base_url() == DEVELOPMENT_BASE_URL == "http://127.0.0.1:8000"
    assert absolute_url("/s/abc/") == "http://127.0.0.1:8000/s/abc/"


# --- system checks ------------------------------------------------------------------------------------


def _ids(errors) -> list[str]:
    return [error.id for error in errors]


@override_settings(DEBUG=False, PORTAL_BASE_URL="")
def test_unset_with_debug_off_is_an_error_with_a_russian_and_english_hint():
    (error,) = portal_base_url_set()

    assert error.id == "core.E001" and error.is_serious()
    assert "печатается в подписанных справках" in error.hint
    assert "printed into signed documents" in error.hint


@override_settings(DEBUG=True, PORTAL_BASE_URL="")
def test_unset_in_the_embedded_default_is_fine():
    assert portal_base_url_set() == []


@override_settings(DEBUG=False, PORTAL_BASE_URL="https://imc.example.ru")
def test_set_with_debug_off_is_fine():
    assert portal_base_url_set() == []


@pytest.mark.parametrize("value", ["imc.example.ru", "ftp://imc.example.ru", "https://", "https://imc.example.ru/?a=1"])
def test_a_malformed_address_is_an_error(value):
    with override_settings(DEBUG=True, PORTAL_BASE_URL=value):
        assert _ids(portal_base_url_set()) == ["core.E002"]


@override_settings(DEBUG=False, PORTAL_BASE_URL="")
def test_checking_another_app_only_skips_it():
    from django.apps import apps

    assert portal_base_url_set(app_configs=[apps.get_app_config("reports")]) == []
    assert _ids(portal_base_url_set(app_configs=[apps.get_app_config("core")])) == ["core.E001"]
