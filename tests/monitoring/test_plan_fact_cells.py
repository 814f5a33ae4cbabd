"""The plan/fact table's cells built in Python (issue 15.3, monitoring_tags.plan_fact_cells) are the markup of the
former template loop (whitespace normalised), and the scope picker's options those of its loop."""
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from core.scope import Scope
from monitoring import selectors
from monitoring.services import CellInput, values_save

pytestmark = pytest.mark.django_db

CELLS_LOOP = """{% load monitoring_tags %}{% for cell in row.cells %}
        <td class="num">{{ cell.value.plan|indicator_value:row.indicator }}</td>
        {% with state=cell|cell_state %}<td class="num {{ state|achievement_class }}" title="{{ state|achievement_label }}">{% endwith %}
          {{ cell.value.fact|indicator_value:row.indicator }}
          {% if cell.provenance %}<div class="small text-muted">{{ cell.provenance }}</div>{% endif %}
          {% if cell.value %}<a class="small" href="{% url 'monitoring:value_history' cell.value.pk %}" title="История изменений"><i class="bi bi-clock-history"></i></a>{% endif %}
          {% if cell.value.comment %}<i class="bi bi-chat-left-text text-muted" title="{{ cell.value.comment }}"></i>{% endif %}
        </td>
      {% endfor %}"""


PICKER_LOOP = ("{% for key, label in scope_choices %}<option value=\"{{ key }}\"{% if key == scope.key %} selected"
               "{% endif %}>{{ label }}</option>{% endfor %}")


def normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def both(loop: str, tag: str, **context) -> tuple[str, str]:
    before = Template(loop).render(Context(context))
    after = Template("{% load monitoring_tags %}" + tag).render(Context(context))
    return normalised(before), normalised(after)


def test_plan_fact_cells_as_the_loop(network_programme, district_a, methodist):
    periods = {p.label: p for p in network_programme.periods.all()}
    entered = network_programme.indicators.get(code="entered")
    scope = Scope.of_district(district_a)
    values_save(scope=scope, user=methodist, cells=[
        CellInput(entered, periods["2020"], Decimal(30), None),
        CellInput(entered, periods["2021"], None, Decimal("54.8")),
    ])
    table = selectors.plan_fact_table(network_programme, scope)
    value = table.rows[-1].cells[1].value
    value.comment = 'Проверено "вручную" <b>'
    for row in table.rows:
        before, after = both(CELLS_LOOP, "{% plan_fact_cells row %}", row=row)
        assert before == after


def test_scope_picker_options_as_the_loop(network_programme, district_a, methodist_client, school_admin_client):
    choices = selectors.scope_choices(network_programme) + [("organisation:9", "ОУ: «Ромашка» <&>")]
    scope = Scope.of_district(district_a)
    before, after = both(PICKER_LOOP, "{% scope_options scope_choices scope.key %}", scope_choices=choices, scope=scope)
    assert before == after and ' selected>' in after
    url = reverse("monitoring:programme_detail", args=[network_programme.pk])
    assert 'data-testid="plan-fact-table"' in methodist_client.get(url).content.decode()
    assert school_admin_client.get(url).status_code == 403
