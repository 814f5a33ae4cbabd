"""Breadcrumbs on every page (issue 14.2): the generic trail of templates/base.html.

«Главная › Реестр › Педагоги › Абрамова Ирина Сергеевна»: the section and the list come from the main
menu's active group/item, the page from its title (core/templatetags/breadcrumbs.py). Before, the
registry and monitoring pages had none.
"""
import re

import pytest
from django.urls import reverse

from tests.factories import TeacherFactory
from tests.monitoring.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def trail(response) -> list[tuple[str, str | None]]:
    """(label, href or None) of each crumb of the page's trail."""
    assert response.status_code == 200
    html = response.content.decode()
    nav = re.search(r'<nav aria-label="Путь" class="small" data-testid="breadcrumbs">(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumbs on the page"
    crumbs = []
    for item in re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', nav.group(1), re.S):
        link = re.match(r'<a href="([^"]+)">(.*)</a>', item)
        crumbs.append((link.group(2), link.group(1)) if link else (item.strip(), None))
    return crumbs


def test_registry_list_shows_section_and_list(methodist_client):
    assert trail(methodist_client.get(reverse("clusters:teacher_list"))) == [
        ("Главная", "/"), ("Реестр", None), ("Педагоги", None)]


def test_registry_object_links_back_to_its_list(school_admin_client, school_a):
    teacher = TeacherFactory(organisation=school_a, full_name="Абрамова Ирина Сергеевна")
    assert trail(school_admin_client.get(reverse("clusters:teacher_detail", args=[teacher.pk]))) == [
        ("Главная", "/"), ("Реестр", None), ("Педагоги", reverse("clusters:teacher_list")),
        ("Абрамова Ирина Сергеевна", None)]


def test_registry_form_names_the_form(methodist_client):
    assert trail(methodist_client.get(reverse("clusters:mentorship_create")))[-2:] == [
        ("Наставничество", reverse("clusters:mentorship_list")), ("Новая наставническая пара", None)]


def test_monitoring_pages(director_client, district_a):
    assert trail(director_client.get(reverse("monitoring:programme_list"))) == [
        ("Главная", "/"), ("Мониторинг", None)]
    programme = ProgrammeFactory(district=district_a, name="Эффективность сетевого взаимодействия")
    assert trail(director_client.get(reverse("monitoring:programme_detail", args=[programme.pk]))) == [
        ("Главная", "/"), ("Мониторинг", reverse("monitoring:programme_list")),
        ("Эффективность сетевого взаимодействия", None)]


def test_no_trail_on_the_home_page(methodist_client):
    assert 'data-testid="breadcrumbs"' not in methodist_client.get(reverse("home")).content.decode()
