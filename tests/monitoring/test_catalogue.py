"""The indicator catalogue: programmes, periods and indicators made by methodists, and the admin.

Personas: tests/conftest.py (district A's methodist edits; its director and observer read; a school
administrator is refused; district B's methodist gets 404). `network_programme` (monitoring
conftest): periods 2020 and 2021, four computed indicators at positions 0–3 and «entered» at 10.
"""
import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from core.scope import Scope
from monitoring.forms_catalogue import next_period_proposal
from monitoring.models import (
    Indicator,
    Period,
    PeriodKind,
    Programme,
    RecomputeJob,
    ScopeKind,
    Source,
    Value,
    ValueChange,
)
from monitoring.services import period_approve
from monitoring.units import Unit

pytestmark = pytest.mark.django_db

D = dt.date
DPO_SATISFIED = "Да, вполне или скорее да"


def url(name, programme, **kwargs):
    return reverse(f"monitoring:{name}", kwargs={"pk": programme.pk, **kwargs})


def text(response) -> str:
    return response.content.decode()


def value_of(indicator, period, **fields):
    return Value.objects.create(district=indicator.programme.district, scope_kind=ScopeKind.DISTRICT,
                                indicator=indicator, period=period, **fields)


@pytest.fixture
def periods(network_programme):
    return {p.label: p for p in network_programme.periods.all()}


@pytest.fixture
def entered(network_programme):
    return network_programme.indicators.get(code="entered")


def indicator_data(**overrides):
    data = {"code": "dpo_satisfied", "name": "Доля получателей услуг ДПО, удовлетворённых качеством",
            "section": "", "unit": Unit.PERCENT, "direction": "higher", "decimals": "1", "method": "",
            "source": Source.ENTERED, "calculation": ""}
    data.update(overrides)
    return data


def survey_data(parameters: dict, calculation="survey_option_share", **overrides):
    """The form's data with the calculation's parameters in their fields (parameter__<calculation>__<key>)."""
    fields = {f"parameter__{calculation}__{key}": value for key, value in parameters.items()}
    return indicator_data(source=Source.COMPUTED, calculation=calculation, **fields, **overrides)


def posted_back(form) -> dict:
    """What the browser sends for an unbound form as shown (every field's value, lists as lists)."""
    data = {}
    for field in form:
        value = field.value()
        if isinstance(field.field, forms.MultipleChoiceField) and not value:
            continue  # no box ticked: nothing is sent
        if value is None:
            value = ""
        data[field.html_name] = value if isinstance(value, list) else str(value)
    return data


def field_errors(response, calculation: str, key: str) -> str:
    return " ".join(response.context["form"].errors.get(f"parameter__{calculation}__{key}", []))


# --- links from the monitoring pages ---------------------------------------------------------------


def test_programme_list_offers_a_new_programme_to_methodists_only(methodist_client, director_client):
    assert reverse("monitoring:programme_create") in text(methodist_client.get(reverse("monitoring:programme_list")))
    assert reverse("monitoring:programme_create") not in text(director_client.get(reverse("monitoring:programme_list")))


def test_programme_page_links_the_catalogue_for_every_reader(observer_client, network_programme):
    page = text(observer_client.get(url("programme_detail", network_programme)))
    assert "Показатели и периоды" in page and url("catalogue", network_programme) in page


# --- the catalogue page ----------------------------------------------------------------------------


def test_catalogue_lists_periods_and_indicators_in_order_with_value_counts(
    methodist_client, network_programme, periods, entered
):
    value_of(entered, periods["2021"], plan=40)
    response = methodist_client.get(url("catalogue", network_programme))
    assert response.status_code == 200
    assert [p.label for p in response.context["periods"]] == ["2020", "2021"]
    assert [i.code for i in response.context["indicators"]][-1] == "entered"
    assert {p.label: p.value_count for p in response.context["periods"]} == {"2020": 0, "2021": 1}
    page = text(response)
    assert "Добавить следующий период (2022)" in page
    assert url("indicator_create", network_programme) in page


def test_director_and_observer_read_the_catalogue_without_edit_buttons(director_client, observer_client, network_programme):
    for client in (director_client, observer_client):
        response = client.get(url("catalogue", network_programme))
        assert response.status_code == 200
        assert "net_schools_share" in text(response)
        assert url("indicator_create", network_programme) not in text(response)
        assert url("period_create", network_programme) not in text(response)


def test_catalogue_refuses_school_admin_and_hides_other_district(
    school_admin_client, other_methodist_client, network_programme
):
    assert school_admin_client.get(url("catalogue", network_programme)).status_code == 403
    assert other_methodist_client.get(url("catalogue", network_programme)).status_code == 404


# --- programmes ------------------------------------------------------------------------------------


def test_methodist_creates_a_programme_of_own_district(methodist_client, methodist, district_b):
    response = methodist_client.post(reverse("monitoring:programme_create"), {
        "code": "support", "name": "Научно-методическое сопровождение", "period_kind": PeriodKind.ACADEMIC_YEAR,
        "description": "Концепция Кировского района", "district": district_b.pk,  # ignored: not a field
    })
    programme = Programme.objects.get(code="support")
    assert response.status_code == 302 and response.url == url("catalogue", programme)
    assert programme.district == methodist.district
    assert programme.period_kind == PeriodKind.ACADEMIC_YEAR


def test_director_and_school_admin_may_not_create_programmes(director_client, school_admin_client):
    data = {"code": "x", "name": "X", "period_kind": PeriodKind.YEAR}
    assert director_client.post(reverse("monitoring:programme_create"), data).status_code == 403
    assert school_admin_client.get(reverse("monitoring:programme_create")).status_code == 403
    assert not Programme.objects.exists()


def test_programme_code_must_be_new_in_the_district_and_a_slug(methodist_client, network_programme):
    response = methodist_client.post(reverse("monitoring:programme_create"),
                                     {"code": "network", "name": "Другая", "period_kind": PeriodKind.YEAR})
    assert response.status_code == 200
    assert "В районе уже есть программа с кодом «network»." in text(response)
    response = methodist_client.post(reverse("monitoring:programme_create"),
                                     {"code": "сеть 2", "name": "Другая", "period_kind": PeriodKind.YEAR})
    assert "code" in response.context["form"].errors
    assert Programme.objects.count() == 1


def test_same_programme_code_is_fine_in_another_district(other_methodist_client, network_programme):
    response = other_methodist_client.post(reverse("monitoring:programme_create"),
                                           {"code": "network", "name": "Сеть", "period_kind": PeriodKind.YEAR})
    assert response.status_code == 302
    assert Programme.objects.filter(code="network").count() == 2


def test_methodist_edits_a_programme_and_another_district_gets_404(
    methodist_client, other_methodist_client, director_client, network_programme
):
    data = {"code": "network", "name": "Сетевое взаимодействие (2020–2024)", "period_kind": PeriodKind.YEAR,
            "description": ""}
    assert other_methodist_client.post(url("programme_update", network_programme), data).status_code == 404
    assert director_client.post(url("programme_update", network_programme), data).status_code == 403
    assert methodist_client.post(url("programme_update", network_programme), data).status_code == 302
    network_programme.refresh_from_db()
    assert network_programme.name == "Сетевое взаимодействие (2020–2024)"


def test_empty_programme_form_shows_errors_and_saves_nothing(methodist_client):
    response = methodist_client.post(reverse("monitoring:programme_create"), {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"code", "name"}
    assert not Programme.objects.exists()


# --- periods ---------------------------------------------------------------------------------------


def test_methodist_adds_a_period(methodist_client, network_programme):
    response = methodist_client.post(url("period_create", network_programme),
                                     {"label": "2022", "starts_on": "2022-01-01", "ends_on": "2022-12-31"})
    assert response.status_code == 302
    period = network_programme.periods.get(label="2022")
    assert (period.starts_on, period.ends_on) == (D(2022, 1, 1), D(2022, 12, 31))


def test_period_refused_for_director_and_other_district(director_client, other_methodist_client, network_programme):
    data = {"label": "2022", "starts_on": "2022-01-01", "ends_on": "2022-12-31"}
    assert director_client.post(url("period_create", network_programme), data).status_code == 403
    assert other_methodist_client.post(url("period_create", network_programme), data).status_code == 404
    assert not network_programme.periods.filter(label="2022").exists()


def test_period_end_before_start_is_refused(methodist_client, network_programme):
    response = methodist_client.post(url("period_create", network_programme),
                                     {"label": "2022", "starts_on": "2022-12-31", "ends_on": "2022-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_on": ["Окончание периода раньше его начала."]}
    assert not network_programme.periods.filter(label="2022").exists()


def test_period_label_is_unique_in_the_programme(methodist_client, network_programme):
    response = methodist_client.post(url("period_create", network_programme),
                                     {"label": "2021", "starts_on": "2021-01-01", "ends_on": "2021-12-31"})
    assert response.status_code == 200
    assert "В программе уже есть период «2021»." in text(response)
    assert network_programme.periods.filter(label="2021").count() == 1


def test_next_period_button_proposes_the_next_year(methodist_client, network_programme):
    form = methodist_client.get(url("period_create", network_programme) + "?next=1").context["form"]
    assert (form.initial["label"], form.initial["starts_on"], form.initial["ends_on"]) == (
        "2022", D(2022, 1, 1), D(2022, 12, 31))


@pytest.mark.parametrize("kind, existing, expected", [
    (PeriodKind.ACADEMIC_YEAR, [("2019/20", D(2019, 9, 1), D(2020, 8, 31))], ("2020/21", D(2020, 9, 1), D(2021, 8, 31))),
    (PeriodKind.CHECKPOINT, [("Июнь 2021", D(2021, 1, 1), D(2021, 6, 30))], ("Декабрь 2021", D(2021, 7, 1), D(2021, 12, 31))),
    (PeriodKind.CHECKPOINT, [("Июнь 2021", D(2021, 1, 1), D(2021, 6, 30)), ("Декабрь 2022", D(2022, 1, 1), D(2022, 12, 31))],
     ("Декабрь 2023", D(2023, 1, 1), D(2023, 12, 31))),
    (PeriodKind.YEAR, [], ("2024", D(2024, 1, 1), D(2024, 12, 31))),
    (PeriodKind.ACADEMIC_YEAR, [], ("2023/24", D(2023, 9, 1), D(2024, 8, 31))),
    (PeriodKind.CHECKPOINT, [], ("Декабрь 2024", D(2024, 1, 1), D(2024, 12, 31))),
])
def test_next_period_proposal_by_period_kind(district_a, kind, existing, expected):
    programme = Programme.objects.create(district=district_a, code="p", name="P", period_kind=kind)
    for label, starts_on, ends_on in existing:
        Period.objects.create(programme=programme, label=label, starts_on=starts_on, ends_on=ends_on)
    proposal = next_period_proposal(programme, today=D(2024, 3, 15))
    assert (proposal.label, proposal.starts_on, proposal.ends_on) == expected


def test_period_dates_of_an_approved_period_stay_but_its_label_may_change(
    methodist_client, director, network_programme, periods
):
    period = periods["2021"]
    period_approve(period=period, scope=Scope.of_district(network_programme.district), user=director)
    edit = url("period_update", network_programme, period_pk=period.pk)
    response = methodist_client.post(edit, {"label": "2021", "starts_on": "2021-01-01", "ends_on": "2021-06-30"})
    assert response.status_code == 200
    assert "Период утверждён директором: его даты менять нельзя." in text(response)
    response = methodist_client.post(edit, {"label": "2021 год", "starts_on": "2021-01-01", "ends_on": "2021-12-31"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.label, period.ends_on) == ("2021 год", D(2021, 12, 31))


def test_period_without_values_is_deleted(methodist_client, network_programme, periods):
    delete = url("period_delete", network_programme, period_pk=periods["2020"].pk)
    assert "Удалить период «2020»?" in text(methodist_client.get(delete))
    response = methodist_client.post(delete)
    assert response.status_code == 302
    assert not network_programme.periods.filter(label="2020").exists()


def test_period_with_values_is_not_deleted(methodist_client, network_programme, periods, entered):
    value_of(entered, periods["2021"], plan=40, fact=Decimal("54.8"))
    delete = url("period_delete", network_programme, period_pk=periods["2021"].pk)
    page = methodist_client.get(delete)
    assert "Период «2021» нельзя удалить: по нему уже есть 1 значение показателей" in text(page)
    assert 'type="submit"' not in text(page).split("delete-refusal")[1]
    response = methodist_client.post(delete, follow=True)
    assert "Период «2021» нельзя удалить" in text(response)
    assert network_programme.periods.filter(label="2021").exists()
    assert Value.objects.count() == 1


def test_period_delete_refused_for_director_and_other_district(
    director_client, other_methodist_client, network_programme, periods
):
    delete = url("period_delete", network_programme, period_pk=periods["2020"].pk)
    assert director_client.post(delete).status_code == 403
    assert other_methodist_client.post(delete).status_code == 404
    assert network_programme.periods.filter(label="2020").exists()


def test_period_of_another_programme_is_404(methodist_client, network_programme, district_a):
    other = Programme.objects.create(district=district_a, code="other", name="Другая")
    period = Period.objects.create(programme=other, label="2021", starts_on=D(2021, 1, 1), ends_on=D(2021, 12, 31))
    assert methodist_client.get(url("period_update", network_programme, period_pk=period.pk)).status_code == 404


# --- indicators ------------------------------------------------------------------------------------


def test_methodist_adds_an_entered_indicator_last(methodist_client, network_programme):
    response = methodist_client.post(url("indicator_create", network_programme), indicator_data(
        code="self_assessment", name="Самооценка проекта", unit=Unit.SCORE, decimals="0",
        calculation="net_schools_share",  # ignored for an entered indicator
    ))
    assert response.status_code == 302
    indicator = network_programme.indicators.get(code="self_assessment")
    assert (indicator.unit, indicator.source, indicator.calculation, indicator.parameters) == (
        Unit.SCORE, Source.ENTERED, "", {})
    assert indicator.position == 11  # after «entered» at 10


def test_indicator_screens_refused_for_director_school_admin_and_other_district(
    director_client, school_admin_client, other_methodist_client, network_programme, entered
):
    create = url("indicator_create", network_programme)
    assert director_client.post(create, indicator_data()).status_code == 403
    assert school_admin_client.post(create, indicator_data()).status_code == 403
    assert other_methodist_client.post(create, indicator_data()).status_code == 404
    edit = url("indicator_update", network_programme, indicator_pk=entered.pk)
    assert director_client.get(edit).status_code == 403
    assert other_methodist_client.post(edit, indicator_data(code="entered")).status_code == 404
    assert not network_programme.indicators.filter(code="dpo_satisfied").exists()


def test_computed_indicator_without_calculation_is_refused(methodist_client, network_programme):
    response = methodist_client.post(url("indicator_create", network_programme),
                                     indicator_data(source=Source.COMPUTED, calculation=""))
    assert response.status_code == 200
    assert response.context["form"].errors == {"calculation": ["Для вычисляемого показателя выберите функцию расчёта."]}
    assert not network_programme.indicators.filter(code="dpo_satisfied").exists()


def test_calculation_must_be_a_registered_one(methodist_client, network_programme):
    response = methodist_client.post(url("indicator_create", network_programme),
                                     indicator_data(source=Source.COMPUTED, calculation="no_such_function"))
    assert "calculation" in response.context["form"].errors
    assert not network_programme.indicators.filter(code="dpo_satisfied").exists()


def test_calculation_choices_are_the_registered_ones(methodist_client, network_programme):
    from monitoring.computations import registered_calculations

    form = methodist_client.get(url("indicator_create", network_programme)).context["form"]
    codes = {code for code, _ in form.fields["calculation"].choices if code}
    assert codes == set(registered_calculations())
    assert {"net_schools_share", "survey_option_share", "survey_criteria_average"} <= codes


def test_computed_registry_indicator_is_saved(methodist_client, network_programme):
    response = methodist_client.post(url("indicator_create", network_programme), indicator_data(
        code="participation", source=Source.COMPUTED, calculation="community_participation_share"))
    assert response.status_code == 302
    assert network_programme.indicators.get(code="participation").calculation == "community_participation_share"


def test_indicator_code_is_unique_in_the_programme_and_decimals_limited(methodist_client, network_programme):
    response = methodist_client.post(url("indicator_create", network_programme),
                                     indicator_data(code="entered", decimals="7"))
    errors = response.context["form"].errors
    assert errors["code"] == ["В программе уже есть показатель с кодом «entered»."]
    assert errors["decimals"] == ["Не больше 4 знаков после запятой."]
    assert network_programme.indicators.filter(code="entered").count() == 1


OPTION_SHARE = "survey_option_share"
Q4 = {"questionnaire_code": "dpo-listener", "question_code": "q4"}


@pytest.mark.parametrize("parameters, key, message", [
    ({}, "questionnaire_code", "Обязательное поле."),
    (Q4, "options", "Обязательное поле."),
    ({**Q4, "questionnaire_code": "no-such", "options": ["Да"]}, "questionnaire_code", "no-such нет среди"),
    ({**Q4, "question_code": "q99", "options": [DPO_SATISFIED]}, "question_code", "q99 нет среди"),
    ({**Q4, "options": ["Да, вполне"]}, "options", "Да, вполне нет среди"),
    ({**Q4, "options": [DPO_SATISFIED], "row": "Аттестация"}, "row", "Аттестация нет среди"),
    # An option of question q5 under question q4: listed, but not under the chosen question.
    ({**Q4, "options": ["Положительно или скорее положительно"]}, "options",
     "«Положительно или скорее положительно» не относится к выбранному значению поля «Вопрос»."),
])
def test_survey_parameters_are_checked(methodist_client, network_programme, parameters, key, message):
    response = methodist_client.post(url("indicator_create", network_programme), survey_data(parameters))
    assert response.status_code == 200
    assert message in field_errors(response, OPTION_SHARE, key)
    assert not network_programme.indicators.filter(code="dpo_satisfied").exists()


def test_survey_parameters_are_picked_from_lists_not_typed(methodist_client, network_programme):
    page = text(methodist_client.get(url("indicator_create", network_programme)))
    assert "JSON" not in page
    assert "Параметры расчёта: Доля респондентов, выбравших указанные варианты ответа" in page
    # The questionnaire by its title, its questions by number and text, options under their question.
    assert '<option value="dpo-listener" data-key="dpo-listener">Анкета слушателя по итогам обучения' in page
    assert ('<option value="q4" data-key="dpo-listener/q4" data-parent="dpo-listener">q4. Удовлетворены ли вы '
            "качеством предоставляемой образовательной услуги?</option>") in page
    assert f'value="{DPO_SATISFIED}"' in page and 'data-parent="dpo-listener/q4"' in page


def test_survey_option_share_with_a_shared_questionnaire_is_saved(methodist_client, network_programme):
    parameters = {**Q4, "options": [DPO_SATISFIED]}
    response = methodist_client.post(url("indicator_create", network_programme), survey_data(parameters))
    assert response.status_code == 302
    indicator = network_programme.indicators.get(code="dpo_satisfied")
    assert indicator.parameters == {"questionnaire_code": "dpo-listener", "question_code": "q4",
                                    "options": [DPO_SATISFIED]}
    # The edit form shows the parameters in their fields, and sending it back as shown keeps them.
    edit = url("indicator_update", network_programme, indicator_pk=indicator.pk)
    form = methodist_client.get(edit).context["form"]
    assert form[f"parameter__{OPTION_SHARE}__options"].value() == [DPO_SATISFIED]
    response = methodist_client.post(edit, {**posted_back(form), "name": "Удовлетворённость качеством"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Удовлетворённость качеством"
    assert indicator.parameters == {"questionnaire_code": "dpo-listener", "question_code": "q4",
                                    "options": [DPO_SATISFIED]}


@pytest.mark.parametrize("calculation, parameters", [
    ("diagnostics_area_mean", {"area": "methodical"}),
    ("events_count", {"form": "seminar", "level": "district"}),
    ("events_count", {}),
    ("survey_criteria_average", {"questionnaire_code": "support-criteria"}),
    ("community_participation_share", {}),
])
def test_existing_indicators_edit_round_trip_unchanged(methodist_client, network_programme, calculation, parameters):
    from diagnostics.models import Area

    Area.objects.get_or_create(code="methodical", defaults={"name": "Методическая", "family": "teacher_deficits"})
    indicator = Indicator.objects.create(programme=network_programme, code="existing", name="Существующий",
                                         unit=Unit.PERCENT, source=Source.COMPUTED, calculation=calculation,
                                         parameters=parameters, position=20)
    edit = url("indicator_update", network_programme, indicator_pk=indicator.pk)
    response = methodist_client.get(edit)
    assert "JSON" not in text(response)
    response = methodist_client.post(edit, posted_back(response.context["form"]))
    assert response.status_code == 302, response.context["form"].errors
    indicator.refresh_from_db()
    assert indicator.parameters == parameters


def test_questionnaire_of_another_district_is_not_listed(methodist_client, network_programme, district_b):
    from surveys.models import Questionnaire

    Questionnaire.objects.create(district=district_b, code="kirovsky-only", title="Анкета Кировского района")
    assert "Анкета Кировского района" not in text(methodist_client.get(url("indicator_create", network_programme)))
    response = methodist_client.post(url("indicator_create", network_programme), survey_data(
        {"questionnaire_code": "kirovsky-only", "question_code": "q1", "options": ["Да"]}))
    assert "kirovsky-only нет среди" in field_errors(response, OPTION_SHARE, "questionnaire_code")


def test_criteria_average_lists_organisation_questionnaires_only(methodist_client, network_programme):
    create = url("indicator_create", network_programme)
    response = methodist_client.post(create, survey_data({"questionnaire_code": "dpo-listener"},
                                                         calculation="survey_criteria_average", unit=Unit.POINTS))
    assert "dpo-listener нет среди" in field_errors(response, "survey_criteria_average", "questionnaire_code")
    response = methodist_client.post(create, survey_data({"questionnaire_code": "support-criteria"},
                                                         calculation="survey_criteria_average", unit=Unit.POINTS))
    assert response.status_code == 302
    assert network_programme.indicators.get(code="dpo_satisfied").calculation == "survey_criteria_average"


def test_indicator_with_values_keeps_its_unit(methodist_client, network_programme, periods, entered):
    value_of(entered, periods["2021"], plan=40)
    edit = url("indicator_update", network_programme, indicator_pk=entered.pk)
    assert "у показателя уже есть 1 значение" in text(methodist_client.get(edit)).lower()
    response = methodist_client.post(edit, indicator_data(code="entered", name="Вводимый", unit=Unit.COUNT))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"][0].startswith("Единицу нельзя изменить: у показателя уже есть 1 значение")
    entered.refresh_from_db()
    assert (entered.unit, entered.name) == (Unit.PERCENT, "Вводимый показатель")
    # Everything else may change.
    response = methodist_client.post(edit, indicator_data(code="entered", name="Вводимый", unit=Unit.PERCENT,
                                                          decimals="2"))
    assert response.status_code == 302
    entered.refresh_from_db()
    assert (entered.name, entered.decimals, entered.position) == ("Вводимый", 2, 10)


def test_indicator_without_values_may_change_unit(methodist_client, network_programme, entered):
    response = methodist_client.post(url("indicator_update", network_programme, indicator_pk=entered.pk),
                                     indicator_data(code="entered", name="Вводимый", unit=Unit.COUNT, decimals="0"))
    assert response.status_code == 302
    entered.refresh_from_db()
    assert entered.unit == Unit.COUNT


def test_indicator_with_values_is_not_deleted(methodist_client, network_programme, periods, entered):
    value_of(entered, periods["2020"], fact=12)
    delete = url("indicator_delete", network_programme, indicator_pk=entered.pk)
    assert "Показатель «entered» нельзя удалить" in text(methodist_client.get(delete))
    response = methodist_client.post(delete, follow=True)
    assert "Показатель «entered» нельзя удалить: у него уже есть 1 значение" in text(response)
    assert Indicator.objects.filter(pk=entered.pk).exists()


def test_indicator_without_values_is_deleted(methodist_client, director_client, network_programme, entered):
    delete = url("indicator_delete", network_programme, indicator_pk=entered.pk)
    assert director_client.post(delete).status_code == 403
    assert methodist_client.post(delete).status_code == 302
    assert not Indicator.objects.filter(pk=entered.pk).exists()


def codes(programme) -> list[str]:
    return list(programme.indicators.order_by("position", "pk").values_list("code", flat=True))


def test_indicators_move_up_and_down(methodist_client, network_programme, entered):
    before = codes(network_programme)
    response = methodist_client.post(url("indicator_move", network_programme, indicator_pk=entered.pk),
                                     {"direction": "up"})
    assert response.status_code == 302
    assert codes(network_programme) == before[:3] + ["entered", before[3]]
    first = network_programme.indicators.get(code=before[0])
    methodist_client.post(url("indicator_move", network_programme, indicator_pk=first.pk), {"direction": "down"})
    assert codes(network_programme)[:2] == [before[1], before[0]]
    assert list(network_programme.indicators.order_by("position").values_list("position", flat=True)) == [0, 1, 2, 3, 4]


def test_first_indicator_does_not_move_up(methodist_client, network_programme):
    first = network_programme.indicators.order_by("position").first()
    before = codes(network_programme)
    response = methodist_client.post(url("indicator_move", network_programme, indicator_pk=first.pk),
                                     {"direction": "up"}, follow=True)
    assert "Показатель уже первый." in text(response)
    assert codes(network_programme) == before


def test_indicator_move_refused_for_director_and_other_district(
    director_client, other_methodist_client, network_programme, entered
):
    move = url("indicator_move", network_programme, indicator_pk=entered.pk)
    before = codes(network_programme)
    assert director_client.post(move, {"direction": "up"}).status_code == 403
    assert other_methodist_client.post(move, {"direction": "up"}).status_code == 404
    assert codes(network_programme) == before


# --- Django admin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["programme", "period", "indicator", "value", "valuechange", "periodapproval",
                                   "recomputejob"])
def test_admin_lists_monitoring_models(portal_admin_client, network_programme, periods, entered, model):
    value_of(entered, periods["2021"], plan=40)
    RecomputeJob.objects.create(programme=network_programme)
    response = portal_admin_client.get(reverse(f"admin:monitoring_{model}_changelist"))
    assert response.status_code == 200


def test_admin_programme_page_has_periods_and_indicators_inline(portal_admin_client, network_programme):
    response = portal_admin_client.get(reverse("admin:monitoring_programme_change", args=[network_programme.pk]))
    assert response.status_code == 200
    assert "net_teachers_cpd_share" in text(response) and "2021" in text(response)


def test_admin_value_correction_is_checked_and_kept_in_history(
    portal_admin_client, portal_admin, director, network_programme, periods, entered
):
    value = value_of(entered, periods["2021"], plan=40, fact=Decimal("54.8"))
    change = reverse("admin:monitoring_value_change", args=[value.pk])
    assert portal_admin_client.get(change).status_code == 200
    assert portal_admin_client.get(reverse("admin:monitoring_value_add")).status_code == 403
    response = portal_admin_client.post(change, {"plan": "40", "fact": "154.8", "comment": "",
                                                 "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"})
    assert response.status_code == 200  # out of range for a percent: shown, not saved
    assert "Процент должен быть от 0 до 100." in text(response)
    response = portal_admin_client.post(change, {"plan": "40", "fact": "55.1", "comment": "опечатка",
                                                 "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.fact, value.comment, value.version) == (Decimal("55.1"), "опечатка", 2)
    history = ValueChange.objects.get(value=value)
    assert (history.field, history.old, history.new, history.changed_by) == ("fact", Decimal("54.8"),
                                                                             Decimal("55.1"), portal_admin)
    period_approve(period=periods["2021"], scope=Scope.of_district(network_programme.district), user=director)
    response = portal_admin_client.post(change, {"plan": "40", "fact": "60", "comment": "опечатка",
                                                 "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "утверждён директором" in " ".join(response.context["adminform"].form.non_field_errors())
    value.refresh_from_db()
    assert value.fact == Decimal("55.1")


def test_admin_keeps_the_values_locks(portal_admin_client, network_programme, periods, entered):
    value_of(entered, periods["2021"], plan=40)
    assert portal_admin_client.get(
        reverse("admin:monitoring_period_delete", args=[periods["2021"].pk])).status_code == 403
    assert portal_admin_client.get(reverse("admin:monitoring_indicator_delete", args=[entered.pk])).status_code == 403
    assert portal_admin_client.get(
        reverse("admin:monitoring_period_delete", args=[periods["2020"].pk])).status_code == 200


# --- a calculation brings its own parameter checks -------------------------------------------------


@pytest.fixture
def region_calculation(monkeypatch):
    """A test-only calculation reading «region» (checked against made-up data) and optional «tags»."""
    from monitoring import computations
    from monitoring.computations import Parameter, ParameterSchema

    monkeypatch.setattr(computations, "_REGISTRY", dict(computations._REGISTRY))
    asked = []

    def validate(parameters: dict, district_id: int) -> list[str]:
        asked.append(district_id)
        return [] if parameters["region"] == "север" else [f"В районе нет региона «{parameters['region']}»."]

    schema = ParameterSchema((Parameter("region", label="Регион"),
                              Parameter("tags", required=False, many=True, label="Метки"),
                              Parameter("threshold", required=False, number=True, label="Порог, %")),
                             example='{"region": "север"}', note="«tags» — метки")
    computations.register("test_region_share", "Тестовая доля по региону", parameters=schema,
                          validate=validate)(lambda district_id, period, parameters: [])
    return asked


@pytest.mark.parametrize("parameters, errors", [
    ({}, {"parameter__test_region_share__region": ["Обязательное поле."]}),
    ({"region": "юг"}, {"__all__": ["В районе нет региона «юг»."]}),
])
def test_indicator_form_checks_parameters_by_the_calculations_schema_and_validator(
    methodist_client, network_programme, region_calculation, parameters, errors
):
    response = methodist_client.post(url("indicator_create", network_programme),
                                     survey_data(parameters, calculation="test_region_share"))
    assert response.context["form"].errors == errors
    # The validator sees only complete parameters, with the programme's district.
    assert region_calculation == ([network_programme.district_id] if parameters else [])


def test_indicator_form_saves_parameters_its_calculation_accepts_and_shows_their_fields(
    methodist_client, network_programme, region_calculation
):
    page = text(methodist_client.get(url("indicator_create", network_programme)))
    assert "Параметры расчёта: Тестовая доля по региону" in page and "Регион" in page
    assert "JSON" not in page
    response = methodist_client.post(url("indicator_create", network_programme),
                                     survey_data({"region": "север", "tags": "a\n\nb\na", "threshold": "12,5"},
                                                 calculation="test_region_share"))
    assert response.status_code == 302
    indicator = network_programme.indicators.get(code="dpo_satisfied")
    assert indicator.parameters == {"region": "север", "tags": ["a", "b"], "threshold": 12.5}
    # A number is a number field: the edit shows it back, text is refused in Russian.
    edit = url("indicator_update", network_programme, indicator_pk=indicator.pk)
    form = methodist_client.get(edit).context["form"]
    assert form["parameter__test_region_share__threshold"].value() == Decimal("12.5")
    response = methodist_client.post(edit, {**posted_back(form), "parameter__test_region_share__threshold": "много"})
    assert response.context["form"].errors["parameter__test_region_share__threshold"] == ["Введите число."]
    response = methodist_client.post(edit, {**posted_back(form), "parameter__test_region_share__threshold": "40"})
    indicator.refresh_from_db()
    assert indicator.parameters["threshold"] == 40 and isinstance(indicator.parameters["threshold"], int)
