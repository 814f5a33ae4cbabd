"""Cheaper list pages (issue 15.3) render what they rendered before.

- `{{ field|filter_field }}` (core/field_html.py) gives the markup of crispy's `as_crispy_field` for every
  field of every list filter — bound, unbound, with errors — compared after whitespace is normalised;
- `{% sort_th %}` built in Python gives the markup of the former includes/sort_header.html template;
- `reverse_ids` gives what `reverse()` gives, under a script prefix and another URLconf too.
"""
import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse, set_script_prefix

from clusters import filters as registry_filters
from core.field_html import field_html
from core.reversing import reverse_ids
from network import filters as network_filters

SORT_HEADER_BEFORE = (  # templates/includes/sort_header.html as it was (one line)
    '<th scope="col"{% if css_class %} class="{{ css_class }}"{% endif %}{% if active %} aria-sort="{% if descending %}'
    'descending{% else %}ascending{% endif %}"{% endif %}>{% if sortable %}<a class="sort-link link-body-emphasis '
    'text-decoration-none text-nowrap" href="{{ url }}" data-testid="sort-{{ label|slugify }}" title="Сортировать'
    '{% if active and not descending %} по убыванию{% else %} по возрастанию{% endif %}">{{ label }}{% if active %} '
    '<i class="bi bi-sort-{% if descending %}down{% else %}up{% endif %}" aria-hidden="true"></i>{% else %} <i class="'
    'bi bi-arrow-down-up text-body-tertiary small" aria-hidden="true"></i>{% endif %}</a>{% else %}{{ label }}'
    '{% endif %}</th>'
)


def normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def filtersets():
    """Every FilterSet class the list pages render through includes/filter_form.html."""
    found = []
    for module in (registry_filters, network_filters):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, registry_filters.PortalFilterSet) \
                    and getattr(value._meta, "model", None) is not None:
                found.append(value)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", filtersets(), ids=lambda c: c.__name__)
@pytest.mark.parametrize("query", ["", "q=иван&year=2024&kind=school&is_active=true&level=city",
                                   "year=abc&hours=x&kind=nonsense&organisation=999999&cluster=abc"])
def test_filter_fields_render_as_crispy_did(filterset_class, query, methodist):
    request = RequestFactory().get("/?" + query)
    request.user = methodist
    filterset = filterset_class(QueryDict(query), queryset=filterset_class._meta.model.objects.none(),
                                request=request)
    form = filterset.form
    form.is_valid()
    assert list(form), "a filter without fields"
    for field in form:
        ours = normalised(field_html(field))
        # crispy writes the classes into the widget's attrs: render it from a fresh form each time
        theirs = normalised(as_crispy_field(filterset_class(
            QueryDict(query), queryset=filterset_class._meta.model.objects.none(), request=request).form[field.name]))
        assert ours == theirs, field.name


def test_filter_field_errors_and_other_widgets_fall_back_to_crispy():
    class Sample(forms.Form):
        year = forms.IntegerField(label="Год", help_text="четыре цифры")
        agree = forms.BooleanField(label="Согласен", required=False)

    form = Sample({"year": "x"})
    form.is_valid()
    html = normalised(field_html(form["year"]))
    assert 'class="numberinput form-control is-invalid"' in html
    assert '<span class="asteriskField">*</span>' in html and 'id="id_year_helptext"' in html
    assert html == normalised(as_crispy_field(Sample({"year": "x"})["year"]))
    assert normalised(field_html(form["agree"])) == normalised(as_crispy_field(Sample({"year": "x"})["agree"]))


@pytest.mark.parametrize("current", ["", "name", "-name", "code"])
@pytest.mark.parametrize("field,label,css", [("name", "Краткое наименование", ""), ("experience", "Стаж", "num"),
                                             ("other", "Не сортируется", "")])
def test_sort_header_renders_as_the_template_did(current, field, label, css):
    request = RequestFactory().get("/registry/organisations/", {"q": "школа <1>", "page": "3", "sort": current})
    context = {"request": request, "list_sort": {"current": current, "fields": ("name", "code", "experience")}}
    ours = Template('{% load lists %}{% sort_th field label css %}').render(
        Context({**context, "field": field, "label": label, "css": css}))
    from core import lists
    state = context["list_sort"]
    active = state["current"].removeprefix("-") == field
    descending = active and state["current"].startswith("-")
    theirs = Template(SORT_HEADER_BEFORE).render(Context({
        "label": label, "css_class": css, "sortable": field in state["fields"], "active": active,
        "descending": descending, "url": lists.query_with(request.GET, sort=field if not active or descending
                                                          else f"-{field}", page=None)}))
    assert ours == theirs


@pytest.mark.django_db
def test_reverse_ids_equals_reverse():
    for name, ids in (("clusters:teacher_detail", (7,)), ("clusters:organisation_detail", (0,)),
                      ("monitoring:period_update", (3, 41)), ("clusters:cluster_detail", (12345678901,))):
        assert reverse_ids(name, *ids) == reverse(name, args=ids)
    assert reverse_ids("clusters:teacher_list") == reverse("clusters:teacher_list")  # no ids: reverse()
    assert reverse_ids("clusters:teacher_detail", "7") == reverse("clusters:teacher_detail", args=["7"])
    try:
        set_script_prefix("/imc/")
        assert reverse_ids("clusters:teacher_detail", 7) == "/imc/registry/teachers/7/" == \
            reverse("clusters:teacher_detail", args=[7])
    finally:
        set_script_prefix("/")
    assert reverse_ids("clusters:teacher_detail", 7) == "/registry/teachers/7/"
    with override_settings(ROOT_URLCONF="benchmarks.bench_urls"):
        assert reverse_ids("clusters:teacher_detail", 8) == reverse("clusters:teacher_detail", args=[8])


@pytest.mark.django_db
def test_natural_order_equals_the_portable_expressions(district_a):
    """natural_order's PostgreSQL form (two regular expressions) orders as the portable CASE/SUBSTR form does."""
    from django.db.models import Case, F, When
    from django.db.models.functions import Substr
    from django.db.models.lookups import GreaterThan

    from clusters.models import Organisation
    from core.lists import LeadingNumber, first_digit_position, natural_order
    from tests.factories import OrganisationFactory

    for name in ("ГБОУ СОШ № 101", "ГБОУ СОШ № 12", "гбоу СОШ № 2", "ГБОУ СОШ", "12 лицей", "Лицей 7а корпус 3",
                 "ИНН 7801234567890123 школа", "Ёлочка № 3", "№", "ГБОУ СОШ № 012", "Школа № 2-3", ""):
        OrganisationFactory(district=district_a, short_name=name)
    position = first_digit_position("short_name")
    portable = (Case(When(GreaterThan(position, 0), then=Substr("short_name", 1, position - 1)),
                     default=F("short_name")).asc(),
                LeadingNumber(Substr("short_name", position)).asc(nulls_first=True), F("short_name").asc())
    rows = Organisation.objects.filter(district=district_a)
    ours = list(rows.order_by(*natural_order("short_name"), "pk").values_list("short_name", flat=True))
    assert ours == list(rows.order_by(*portable, "pk").values_list("short_name", flat=True))
    assert ours.index("ГБОУ СОШ № 12") < ours.index("ГБОУ СОШ № 101")


@pytest.mark.django_db
def test_filter_bar_is_kept_only_when_made_of_what_its_key_holds(methodist, school_a):
    from core import field_html as bars
    from tests.factories import OrganisationFactory

    def bar(filterset_class, query):
        request = RequestFactory().get("/?" + query)
        request.user = methodist
        filterset = filterset_class(QueryDict(query), queryset=filterset_class._meta.model.objects.none(),
                                    request=request)
        filterset.form.is_valid()
        fresh = "".join(f'<div class="col-sm-6 col-md-3 col-xl-2">{field_html(f)}</div>' for f in filterset.form)
        return bars.filter_bar(filterset), fresh, bars._bar_key(filterset)

    bars._bars.clear()
    for query in ("", "q=иван&kind=school", "q=иван&kind=school", "cluster_year=abc"):
        kept, fresh, key = bar(registry_filters.OrganisationFilter, query)
        assert kept == fresh and key in bars._bars
    assert len(bars._bars) == 3  # the same search twice is one entry
    # A type-ahead with a chosen organisation shows its (current) name: never kept.
    kept, fresh, key = bar(registry_filters.TeacherFilter, f"organisation={school_a.pk}")
    assert key is None and school_a.short_name in kept
    school_a.short_name = "ГБОУ СОШ № 999"
    school_a.save()
    assert "ГБОУ СОШ № 999" in bar(registry_filters.TeacherFilter, f"organisation={school_a.pk}")[0]
    # A plain select of rows (the event filter's clusters) is never kept either.
    assert bar(registry_filters.EventFilter, "")[2] is None
    OrganisationFactory(district=school_a.district)
    assert bar(registry_filters.TeacherFilter, "q=x")[2] is not None  # nothing chosen: kept
