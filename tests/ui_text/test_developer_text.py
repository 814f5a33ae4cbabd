"""Issue 14 item 6: no developer text reaches users — no «JSON», no calculation or parameter codes, no
English words read out to them.

The visible text of a page is its text outside tags (attribute values such as option values are data,
not text), plus the attributes people read: title, placeholder, alt, aria-label.
"""
import html as html_lib
import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from monitoring.computations import parameter_schemas, registered_calculations
from monitoring.models import Indicator, Programme, Source

CYRILLIC = re.compile("[А-Яа-яЁё]")
READ_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|alt|aria-label)="([^"]*)"')


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    read = " ".join(READ_ATTRIBUTES.findall(page))
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page) + " " + read)


@pytest.fixture
def programme(district_a):
    programme = Programme.objects.create(district=district_a, code="network", name="Сетевое взаимодействие")
    Indicator.objects.create(programme=programme, code="dpo", name="Удовлетворённость ДПО", unit="percent",
                             source=Source.COMPUTED, calculation="survey_option_share", position=1,
                             parameters={"questionnaire_code": "dpo-listener", "question_code": "q4",
                                         "options": ["Да, вполне или скорее да"]})
    return programme


def test_indicator_form_speaks_russian_not_json(methodist_client, programme):
    text = visible_text(methodist_client.get(
        reverse("monitoring:indicator_create", kwargs={"pk": programme.pk})).content.decode())
    assert "JSON" not in text
    for code in ("survey_option_share", "questionnaire_code", "question_code", "diagnostics_area_mean"):
        assert code not in text, code
    assert "Анкета" in text and "Вопрос" in text and "Группа компетенций" in text


def test_indicator_edit_shows_the_stored_choices_picked(methodist_client, programme):
    indicator = programme.indicators.get(code="dpo")
    page = methodist_client.get(reverse("monitoring:indicator_update",
                                        kwargs={"pk": programme.pk, "indicator_pk": indicator.pk})).content.decode()
    assert re.search(r'<option value="dpo-listener"[^>]* selected[^>]*>', page)
    boxes = re.findall(r'<input[^>]*value="Да, вполне или скорее да"[^>]*>', page)
    assert any(" checked" in box and 'data-parent="dpo-listener/q4"' in box for box in boxes)
    assert "JSON" not in visible_text(page)


def test_indicator_form_refused_to_the_director(director_client, programme):
    assert director_client.get(reverse("monitoring:indicator_create", kwargs={"pk": programme.pk})).status_code == 403


def test_catalogue_names_the_calculation_not_its_code(observer_client, programme):
    text = visible_text(observer_client.get(reverse("monitoring:catalogue", kwargs={"pk": programme.pk}))
                        .content.decode())
    assert registered_calculations()["survey_option_share"] in text
    assert "survey_option_share" not in text


def test_every_calculation_parameter_has_a_russian_label():
    unlabelled = [f"{code}.{p.name}" for code, schema in parameter_schemas().items() for p in schema.fields
                  if not CYRILLIC.search(p.label)]
    assert unlabelled == []


def test_templates_read_out_no_english():
    """title / placeholder / alt / aria-label literals in templates are Russian (a screen reader reads them)."""
    allowed = {"SHA-256"}
    english = []
    for path in sorted(pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for value in READ_ATTRIBUTES.findall(path.read_text()):
            literal = re.sub(r"{[{%].*?[%}]}", "", value).strip()
            if re.search("[A-Za-z]{3,}", literal) and not CYRILLIC.search(literal) and literal not in allowed:
                english.append(f"{path.name}: {value}")
    assert english == []
