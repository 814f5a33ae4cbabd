from django.test import override_settings

from core.links import absolute_url


@override_settings(PORTAL_BASE_URL="https://imc.example.ru/")
def test_absolute_url_joins_base_and_path_with_one_slash():
    assert absolute_url("/s/abc/") == "https://imc.example.ru/s/abc/"


@override_settings(PORTAL_BASE_URL="http://localhost:8000")
def test_absolute_url_without_trailing_slash_in_the_setting():
    assert absolute_url("/v/XYZ/") == "http://localhost:8000/v/XYZ/"
