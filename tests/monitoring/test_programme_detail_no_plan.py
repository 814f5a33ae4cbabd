"""The programme's plan/fact table (issue 14.7): a fact without a plan is titled «план не установлен» in the
dashboard's colour, not the grey «нет данных» of a cell without a fact."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.scope import Scope
from monitoring.services import CellInput, values_save

pytestmark = pytest.mark.django_db


def test_table_titles_a_fact_without_plan_as_plan_not_set(network_programme, district_a, methodist,
                                                          methodist_client, school_admin_client):
    periods = {p.label: p for p in network_programme.periods.all()}
    entered = network_programme.indicators.get(code="entered")
    values_save(scope=Scope.of_district(district_a), user=methodist, cells=[
        CellInput(entered, periods["2020"], Decimal(30), None),        # plan, no fact → нет данных
        CellInput(entered, periods["2021"], None, Decimal("54.8")),   # fact, no plan → план не установлен
    ])
    url = reverse("monitoring:programme_detail", args=[network_programme.pk])
    body = methodist_client.get(url).content.decode()
    row = body[body.index(entered.name):]
    row = row[: row.index("</tr>")]
    titles = re.findall(r'<td class="num ([^"]*)" title="([^"]*)">\s*([^<\n]*)', row)
    by_fact = {fact.replace("\xa0", " ").strip(): (css, title) for css, title, fact in titles}
    assert by_fact["54,8 %"] == ("text-primary", "план не установлен")
    assert by_fact["—"][1] == "нет данных"  # 2020: a plan without a fact
    assert '<span class="text-primary">■</span> план не установлен' in body
    assert school_admin_client.get(url).status_code == 403
