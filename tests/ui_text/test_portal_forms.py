"""Issue 14 item 6: no «---------» where there is exactly one choice — on every form of the portal.

Every form class of the project's apps derives from core.forms.PortalForm / PortalModelForm, which make a
required choice with one possible value once the form is built (after the most derived __init__ has scoped
its querysets). The Django admin's forms are the admin's business and are left out.
"""
import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.urls import reverse

from clusters.models import District
from core.forms import PortalForm, PortalFormMixin, PortalModelForm
from tests.factories import OrganisationFactory

APPS = ("clusters", "core", "monitoring", "network", "surveys", "diagnostics", "reports", "events", "imc_portal",
        "setup", "demo")


def _project_form_classes() -> list[type]:
    found = set()
    for app in APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            name = module_info.name
            if ".migrations" in name or name.endswith(".admin") or ".management" in name:
                continue
            module = importlib.import_module(name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (issubclass(cls, forms.BaseForm) and cls.__module__ == name
                        and cls not in (PortalForm, PortalModelForm)):
                    found.add(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_form_of_the_portal_derives_from_the_portal_base():
    classes = _project_form_classes()
    assert len(classes) > 30  # the walk found the apps' forms
    strays = [f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, PortalFormMixin)]
    assert strays == [], "derive these from core.forms.PortalForm / PortalModelForm"


def test_a_plain_choice_with_one_value_has_no_empty_option():
    class KindForm(PortalForm):
        kind = forms.ChoiceField(label="Вид", choices=[("", "---------"), ("seminar", "семинар")])
        optional = forms.ChoiceField(label="Уровень", required=False, choices=[("", "—"), ("district", "район")])
        two = forms.ChoiceField(label="Два", choices=[("", "---------"), ("a", "А"), ("b", "Б")])

    form = KindForm()
    assert form.fields["kind"].choices == [("seminar", "семинар")] and form["kind"].value() == "seminar"
    assert "---------" not in str(form["kind"])
    # Not required: the empty choice means «none»; two values: the user picks.
    assert form.fields["optional"].choices[0] == ("", "—") and form["optional"].value() is None
    assert form.fields["two"].choices[0] == ("", "---------")


@pytest.mark.django_db
def test_the_rule_sees_the_queryset_the_most_derived_form_scoped(district_a, district_b):
    """The base's __init__ lists every district; the subclass narrows to one after super().__init__()."""

    class DistrictForm(PortalForm):
        district = forms.ModelChoiceField(queryset=District.objects.all(), label="Район")

    class OwnDistrictForm(DistrictForm):
        def __init__(self, *args, district, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["district"].queryset = District.objects.filter(pk=district.pk)

    assert DistrictForm().fields["district"].empty_label == "---------"
    form = OwnDistrictForm(district=district_a)
    assert form.fields["district"].empty_label is None and form["district"].value() == district_a.pk
    # A value the user already has is kept.
    assert OwnDistrictForm(district=district_a, initial={"district": district_b.pk})["district"].value() == district_b.pk


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return match.group(0)


def test_mentor_form_preselects_the_only_organisation(methodist_client, district_a):
    school = OrganisationFactory(district=district_a, short_name="ГБОУ СОШ № 7")
    select = _select(methodist_client.get(reverse("network:mentor_create")).content.decode(), "organisation")
    assert "---------" not in select
    assert re.search(rf'<option value="{school.pk}" selected>ГБОУ СОШ № 7</option>', select)


def test_mentor_form_keeps_the_empty_option_for_two_organisations(methodist_client, school_a, school_b):
    select = _select(methodist_client.get(reverse("network:mentor_create")).content.decode(), "organisation")
    assert "---------" in select


def test_mentor_form_refused_to_an_observer(observer_client):
    assert observer_client.get(reverse("network:mentor_create")).status_code == 403


@pytest.mark.django_db
def test_report_parameters_preselect_the_only_programme(methodist, district_a):
    from monitoring.models import Programme
    from reports import kinds
    from reports.forms import ReportParametersForm

    programme = Programme.objects.create(district=district_a, code="network", name="Сетевое взаимодействие")
    form = ReportParametersForm(user=methodist, kind=kinds.find("monitoring"))
    assert form.fields["programme"].empty_label is None and form["programme"].value() == programme.pk
    Programme.objects.create(district=district_a, code="other", name="Другая")
    assert ReportParametersForm(user=methodist, kind=kinds.find("monitoring")).fields["programme"].empty_label


def test_school_admin_sees_their_own_organisation_without_an_empty_option(school_admin_client, school_a, school_b):
    """The organisation is fixed (disabled) for a school administrator: one choice, shown as chosen."""
    select = _select(school_admin_client.get(reverse("clusters:teacher_create")).content.decode(), "organisation")
    assert "---------" not in select
    assert re.search(rf'<option value="{school_a.pk}" selected>', select)


def test_teacher_form_refused_to_an_observer(observer_client):
    assert observer_client.get(reverse("clusters:teacher_create")).status_code == 403
