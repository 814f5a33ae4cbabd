"""Issue 14 item 6: people are chosen by name, and a required choice with one option is already made."""
import re

import pytest
from django.urls import reverse

from tests.factories import ClusterFactory, OrganisationFactory, UserFactory


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.S)


@pytest.mark.django_db
def test_cluster_curator_picker_shows_short_names_not_logins(methodist_client, methodist):
    methodist.last_name, methodist.first_name, methodist.patronymic = "Смирнова", "Мария", "Викторовна"
    methodist.save()
    html = methodist_client.get(reverse("clusters:cluster_create")).content.decode()
    options = _options(html, "curator")
    assert "Смирнова М.В." in options
    assert "methodist" not in options


def test_cluster_create_refused_to_an_observer(observer_client):
    assert observer_client.get(reverse("clusters:cluster_create")).status_code == 403


def test_single_organisation_is_preselected_without_empty_option(methodist_client, district_a):
    # district_a has no organisations but this one: the teacher's organisation has a single choice.
    school = OrganisationFactory(district=district_a, short_name="ГБОУ СОШ № 7")
    html = methodist_client.get(reverse("clusters:teacher_create")).content.decode()
    assert _options(html, "organisation") == ["ГБОУ СОШ № 7"]
    assert "---------" not in html.split('name="organisation"')[1].split("</select>")[0]
    assert re.search(rf'<option value="{school.pk}" selected>', html)


def test_two_organisations_keep_the_empty_option(methodist_client, school_a, school_b):
    html = methodist_client.get(reverse("clusters:teacher_create")).content.decode()
    assert _options(html, "organisation")[0] == "---------"


def test_single_cluster_preselected_in_membership_form(methodist_client, district_a, school_a):
    cluster = ClusterFactory(district=district_a, name="Кластер «Читаем вместе»")
    html = methodist_client.get(reverse("clusters:membership_create")).content.decode()
    assert _options(html, "cluster") == [str(cluster)]
    assert _options(html, "organisation") == [str(school_a)]


def test_membership_form_refused_to_an_observer(observer_client):
    assert observer_client.get(reverse("clusters:membership_create")).status_code == 403


def test_person_choice_field_falls_back_to_login(db, district_a):
    from core.forms import PersonChoiceField
    from imc_portal.models import User

    nameless = UserFactory(username="m2", district=district_a, last_name="", first_name="")
    field = PersonChoiceField(queryset=User.objects.filter(pk=nameless.pk))
    assert field.label_from_instance(nameless) == "m2"
