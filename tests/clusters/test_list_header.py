"""The list-page header (templates/includes/list_header.html, clusters/views/common.py) and the
`|can` template filter: buttons come from the capability table, URLs are reversed in Python."""
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from clusters.views.common import HeaderButton, ListHeaderMixin
from tests.factories import ClusterFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def header_links(html: str) -> list[tuple[str, str]]:
    """(label, href) of the header's buttons, in the order shown."""
    header = re.search(r'data-testid="list-header">(.*?)</div>\s*</div>', html, re.S).group(1)
    return [(label.strip(), href) for href, label in re.findall(r'href="([^"]*)"><i [^>]*></i>([^<]*)</a>', header)]


def test_methodist_gets_create_export_and_import_with_the_page_filter(methodist_client, school_a, school_b):
    OrganisationFactory(district=school_a.district, code="OU-C", short_name="ГБОУ гимназия № 3", is_active=False)

    response = methodist_client.get(reverse("clusters:organisation_list") + "?is_active=true")

    html = response.content.decode()
    assert header_links(html) == [
        ("Добавить", reverse("clusters:organisation_create")),
        ("Выгрузить в XLSX", reverse("clusters:organisation_export") + "?is_active=true"),
        ("Загрузить из XLSX", reverse("clusters:import") + "?kind=organisations"),
    ]
    # Schools A and B are active, the gymnasium is closed: the count is the filtered page's.
    assert re.search(r'data-testid="list-count">(\d+)<', html).group(1) == "2"
    assert "<h1 class=\"h3 mb-0\">Организации" in html


def test_director_gets_only_the_export(director_client, school_a):
    html = director_client.get(reverse("clusters:organisation_list")).content.decode()

    assert header_links(html) == [("Выгрузить в XLSX", reverse("clusters:organisation_export") + "?")]


def test_school_admin_adds_teachers_but_does_not_import_them(school_admin_client, school_a):
    html = school_admin_client.get(reverse("clusters:teacher_list")).content.decode()

    assert [label for label, _ in header_links(html)] == ["Добавить", "Выгрузить в XLSX"]


def test_membership_export_takes_only_the_year_of_the_cluster_filter(methodist_client, district_a):
    ClusterFactory(district=district_a, year=2021)

    html = methodist_client.get(reverse("clusters:cluster_list") + "?year=2021&q=%D0%B0").content.decode()

    assert ("Участие в кластерах (XLSX)", reverse("clusters:membership_export") + "?year=2021") in header_links(html)


def test_a_button_with_a_wrong_url_name_fails_loudly(methodist):
    class Page(ListHeaderMixin):
        header_buttons = (HeaderButton("Сломанная", "clusters:no_such_page", "x"),)

        def __init__(self, request):
            self.request = request

    class Base:
        def get_context_data(self, **kwargs):
            return {"filter_query": ""}

    view = type("View", (Page, Base), {})(RequestFactory().get("/"))
    view.request.user = methodist

    with pytest.raises(NoReverseMatch):
        view.get_context_data()


@pytest.mark.parametrize(("persona", "shown"), [("methodist", "да"), ("director", "нет"), ("school_admin", "нет")])
def test_can_filter_asks_the_capability_table(request, persona, shown):
    template = Template('{% load permissions %}{% if user|can:"registry.edit" %}да{% else %}нет{% endif %}')

    assert template.render(Context({"user": request.getfixturevalue(persona)})) == shown


def test_can_filter_refuses_an_unknown_capability(methodist):
    template = Template('{% load permissions %}{% if user|can:"registry.edti" %}да{% endif %}')

    with pytest.raises(LookupError):
        template.render(Context({"user": methodist}))
