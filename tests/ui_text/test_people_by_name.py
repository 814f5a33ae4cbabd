"""Issue 14 item 6: people are shown by name («Смирнова М.В.»), never by their login — on every page.

The user model's __str__ is the display name, so a template printing a user ({{ report.created_by }}) or a
choice of users without its own label cannot show the login; the pages below are checked as rendered.
"""
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from imc_portal.models import Role
from monitoring.models import Indicator, Period, Programme, ScopeKind, Value, ValueChange
from tests.factories import ClusterFactory, UserFactory

LOGIN = "metodist"
NAME = "Смирнова М.В."


@pytest.fixture
def smirnova(district_a):
    return UserFactory(username=LOGIN, role=Role.METHODIST, district=district_a, last_name="Смирнова",
                       first_name="Мария", patronymic="Викторовна")


@pytest.fixture
def smirnova_client(smirnova):
    client = Client()
    client.force_login(smirnova)
    return client


def test_a_user_prints_as_their_name(smirnova, district_a):
    assert str(smirnova) == NAME
    nameless = UserFactory(username="m2", district=district_a, last_name="", first_name="")
    assert str(nameless) == "m2"  # nothing else to show


def _value_history_url(district_a, smirnova) -> str:
    programme = Programme.objects.create(district=district_a, code="net", name="Сеть")
    period = Period.objects.create(programme=programme, label="2021", starts_on=dt.date(2021, 1, 1),
                                   ends_on=dt.date(2021, 12, 31))
    indicator = Indicator.objects.create(programme=programme, code="x", name="Доля", unit="percent")
    value = Value.objects.create(district=district_a, scope_kind=ScopeKind.DISTRICT, indicator=indicator,
                                 period=period, plan=40, updated_by=smirnova)
    ValueChange.objects.create(value=value, field="plan", old=None, new="40", changed_by=smirnova)
    return reverse("monitoring:value_history", kwargs={"value_pk": value.pk})


def test_pages_show_the_methodist_by_name_not_login(smirnova_client, smirnova, district_a):
    cluster = ClusterFactory(district=district_a, name="Кластер «Читаем вместе»", curator=smirnova)
    pages = {
        "главная": reverse("home"),
        "новый кластер (куратор)": reverse("clusters:cluster_create"),
        "кластер": reverse("clusters:cluster_detail", args=[cluster.pk]),
        "кластеры": reverse("clusters:cluster_list"),
        "новая консультация (методист)": reverse("events:consultation_create"),
        "история значения": _value_history_url(district_a, smirnova),
    }
    for title, url in pages.items():
        response = smirnova_client.get(url)
        assert response.status_code == 200, title
        html = response.content.decode()
        assert LOGIN not in html, f"{title}: the login shows"
        assert NAME in html, f"{title}: the name is missing"


def test_consultation_form_refused_to_an_observer(observer_client):
    assert observer_client.get(reverse("events:consultation_create")).status_code == 403
