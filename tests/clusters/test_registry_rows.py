"""Rows built in Python (issue 15.3) are the markup the template loops gave: the organisation and teacher lists'
rows (clusters/templatetags/registry_rows.py), compared with the former loops after whitespace is normalised; plus
the pages themselves for an allowed and a refused persona."""
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from clusters.models import Organisation, OrganisationKind, Teacher
from tests.factories import OrganisationFactory, TeacherFactory

pytestmark = pytest.mark.django_db

ORGANISATION_LOOP = """{% for organisation in object_list %}
    <tr>
      <td>{{ organisation.code }}</td>
      <td><a href="{{ organisation.get_absolute_url }}">{{ organisation.short_name }}</a></td>
      <td>{{ organisation.get_kind_display }}</td>
      <td>{{ organisation.address }}</td>
      <td>{{ organisation.email }}</td>
      <td>{% if organisation.is_active %}действующая{% else %}<span class="text-muted">закрыта</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6" class="text-muted">Ничего не найдено.</td></tr>
  {% endfor %}"""

TEACHER_LOOP = """{% for teacher in object_list %}
    <tr{% if not teacher.is_active %} class="text-muted"{% endif %}>
      <td><a href="{{ teacher.get_absolute_url }}">{{ teacher.full_name }}</a>{% if teacher.is_young %} <span class="badge text-bg-info" title="моложе 35 лет">молодой</span>{% endif %}</td>
      <td>{{ teacher.organisation.short_name }}</td>
      <td>{{ teacher.position }}</td>
      <td>{{ teacher.subject_area }}</td>
      <td class="num">{{ teacher.experience_years|default_if_none:"—" }}</td>
      <td class="num">{{ teacher.birth_year|default_if_none:"—" }}</td>
      <td>{{ teacher.get_category_display }}</td>
    </tr>
  {% empty %}<tr><td colspan="7" class="text-muted">Ничего не найдено.</td></tr>{% endfor %}"""


def normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def both(loop: str, tag: str, **context) -> tuple[str, str]:
    before = Template(loop).render(Context(context))
    after = Template("{% load registry_rows %}" + tag).render(Context(context))
    return normalised(before), normalised(after)


def test_organisation_rows_as_the_loop(district_a):
    OrganisationFactory(district=district_a, code="<b>1</b>", short_name="Школа «Ромашка» & Co", address="",
                        email="", kind=OrganisationKind.KINDERGARTEN, is_active=False)
    OrganisationFactory(district=district_a, code="S2", short_name="ГБОУ СОШ № 2")
    rows = list(Organisation.objects.filter(district=district_a).order_by("pk"))
    before, after = both(ORGANISATION_LOOP, "{% organisation_rows object_list %}", object_list=rows)
    assert before == after and "&lt;b&gt;1&lt;/b&gt;" in after and "закрыта" in after
    assert both(ORGANISATION_LOOP, "{% organisation_rows object_list %}", object_list=[])[1] == \
        '<tr><td colspan="6" class="text-muted">Ничего не найдено.</td></tr>'


def test_teacher_rows_as_the_loop(school_a):
    year = timezone.localdate().year
    TeacherFactory(organisation=school_a, full_name="Иванова <Анна>", birth_year=year - 25, experience_years=None)
    TeacherFactory(organisation=school_a, full_name="Петров Пётр", birth_year=None, experience_years=12,
                   is_active=False, subject_area="")
    TeacherFactory(organisation=school_a, full_name="Сидорова Ольга", birth_year=year - 35, experience_years=0)
    rows = list(Teacher.objects.select_related("organisation").order_by("pk"))
    before, after = both(TEACHER_LOOP, "{% teacher_rows object_list %}", object_list=rows)
    assert before == after
    assert after.count("молодой</span>") == 1 and 'class="text-muted"' in after and "&lt;Анна&gt;" in after
    assert both(TEACHER_LOOP, "{% teacher_rows object_list %}", object_list=[])[1] == \
        '<tr><td colspan="7" class="text-muted">Ничего не найдено.</td></tr>'


def test_list_pages_show_the_rows(methodist_client, school_admin_client, school_a, teacher_a, district_a):
    body = methodist_client.get(reverse("clusters:teacher_list") + "?q=петрова").content.decode()
    assert teacher_a.full_name in body and reverse("clusters:teacher_detail", args=[teacher_a.pk]) in body
    body = methodist_client.get(reverse("clusters:organisation_list")).content.decode()
    assert school_a.short_name in body and reverse("clusters:organisation_detail", args=[school_a.pk]) in body
    assert school_admin_client.get(reverse("clusters:organisation_list")).status_code == 403
    assert school_admin_client.get(reverse("clusters:teacher_list")).content.decode().count("<tr") >= 2
