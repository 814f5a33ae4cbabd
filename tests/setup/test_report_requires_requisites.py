"""A справка cannot be created in a district whose ИМЦ requisites are missing (issue 14, «Why»: the requisites
were optional until the справка failed at approval with «реквизиты ИМЦ не заполнены…»)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from reports import services
from reports.errors import ReportError
from reports.models import Report
from tests.reports.workflow_support import make_programme


@pytest.fixture
def no_requisites(district_a):
    district_a.method_centre.delete()
    district_a.refresh_from_db()
    return district_a


def test_service_refuses_to_create_without_requisites(methodist, no_requisites):
    programme, periods = make_programme(no_requisites)
    with pytest.raises(ReportError, match="реквизиты ИМЦ"):
        services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
    assert Report.objects.count() == 0


def test_service_refuses_when_a_required_requisite_is_blank(methodist, district_a):
    centre = district_a.method_centre
    centre.director_name = ""
    centre.save()
    programme, periods = make_programme(district_a)
    with pytest.raises(ReportError, match="ФИО директора"):
        services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
    assert Report.objects.count() == 0


def test_service_creates_with_requisites(methodist, district_a):
    programme, periods = make_programme(district_a)
    report = services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
    assert report.district_id == district_a.pk


def test_create_page_explains_and_offers_no_form(methodist_client, no_requisites):
    response = methodist_client.get(reverse("reports:report_create"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "не заполнены реквизиты ИМЦ" in text
    assert 'data-testid="report-kind-form"' not in text
    # The methodist cannot open the wizard: they are told who fills the requisites and where.
    assert "администратор портала" in text
    assert reverse("setup:district", args=[no_requisites.pk]) in text


def test_create_post_changes_nothing(methodist_client, no_requisites):
    programme, periods = make_programme(no_requisites)
    response = methodist_client.post(reverse("reports:report_create"), {
        "kind": "monitoring", "programme": programme.pk, "periods": [p.pk for p in periods], "scope_key": "district",
    })
    assert response.status_code == 200
    assert "не заполнены реквизиты ИМЦ" in response.content.decode()
    assert Report.objects.count() == 0


def test_create_page_with_requisites_offers_the_kinds(methodist_client, district_a):
    response = methodist_client.get(reverse("reports:report_create"))
    assert 'data-testid="report-kind-form"' in response.content.decode()
    assert "не заполнены реквизиты ИМЦ" not in response.content.decode()
