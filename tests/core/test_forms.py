"""core/forms.py: the date picker and forms of objects owned by the user's district."""
import datetime
from types import SimpleNamespace

import pytest
from django import forms

from core.forms import DateInput, DistrictOwnedForm
from monitoring.models import Programme


def test_date_input_is_the_browsers_picker_with_an_iso_value():
    html = DateInput().render("starts_on", datetime.date(2021, 12, 17))
    assert 'type="date"' in html
    assert 'value="2021-12-17"' in html


class ProgrammeForm(DistrictOwnedForm):
    class Meta:
        model = Programme
        fields = ["code", "name"]


@pytest.mark.django_db
def test_the_district_comes_from_the_user(district_a):
    form = ProgrammeForm({"code": "p", "name": "Программа"}, user=SimpleNamespace(district=district_a))
    assert form.is_valid(), form.errors
    assert form.save().district == district_a


@pytest.mark.django_db
def test_a_code_taken_in_the_district_is_refused_although_district_is_not_a_field(district_a, district_b):
    Programme.objects.create(district=district_a, code="p", name="Первая")
    same = ProgrammeForm({"code": "p", "name": "Вторая"}, user=SimpleNamespace(district=district_a))
    assert not same.is_valid()
    assert same.non_field_errors()
    other = ProgrammeForm({"code": "p", "name": "Чужая"}, user=SimpleNamespace(district=district_b))
    assert other.is_valid(), other.errors


def test_user_scoped_form_requires_the_user():
    with pytest.raises(TypeError):
        ProgrammeForm({})
    assert issubclass(ProgrammeForm, forms.ModelForm)
