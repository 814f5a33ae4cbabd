"""The annual plan: list and month views with filters, the event's page with registered panels, create / edit
with Russian validation, status actions and their refusals, the district's own forms; each view with an allowed
and a refused persona."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.models import DistrictEventForm, Event, EventForm, EventStatus
from events import panels
from tests.events.factories import DistrictEventFormFactory, PlannedEventFactory
from tests.factories import ClusterFactory, CommunityFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(district_a, district_b, school_a):
    """District A, 2021: two events in March (one by a community), one in May by school A (cancelled);
    district B: one March event that must never show."""
    community = CommunityFactory(district=district_a, name="МО учителей математики")
    own = DistrictEventFormFactory(district=district_a, name="Педагогический квест")
    march_late = PlannedEventFactory(district=district_a, title="Семинар по ФГОС", held_on=dt.date(2021, 3, 18),
                                     starts_at=dt.time(15), form=EventForm.SEMINAR)
    march_early = PlannedEventFactory(district=district_a, title="Квест для молодых педагогов",
                                      held_on=dt.date(2021, 3, 2), starts_at=dt.time(10), form=EventForm.OTHER,
                                      custom_form=own, community=community, organised_by_imc=False)
    may = PlannedEventFactory(district=district_a, title="Мастер-класс «Смысловое чтение»",
                              held_on=dt.date(2021, 5, 12), form=EventForm.MASTER_CLASS, organised_by_imc=False,
                              status=EventStatus.CANCELLED, online_url="https://meet.example.ru/x")
    may.organisers.set([school_a])
    other = PlannedEventFactory(district=district_b, title="Чужой семинар", held_on=dt.date(2021, 3, 5))
    return {"community": community, "own": own, "march_late": march_late, "march_early": march_early,
            "may": may, "other": other}


def _titles(response) -> list[str]:
    return [e.title for m in response.context["months"] for e in m.events]


# --- the plan --------------------------------------------------------------------------------------


def test_plan_lists_the_district_year_by_month_in_date_order(methodist_client, plan):
    response = methodist_client.get(reverse("events:plan"), {"year": 2021})
    assert response.status_code == 200
    assert [m.name for m in response.context["months"]] == ["Март", "Май"]
    # 2 March before 18 March; district B's event is not there
    assert _titles(response) == ["Квест для молодых педагогов", "Семинар по ФГОС", "Мастер-класс «Смысловое чтение»"]
    body = response.content.decode()
    assert "Педагогический квест" in body and "МО учителей математики" in body and "ГБОУ СОШ № 1" in body
    assert "Чужой семинар" not in body


def test_plan_defaults_to_this_year_and_a_bad_year_is_a_note(methodist_client, plan):
    this_year = timezone.localdate().year
    assert methodist_client.get(reverse("events:plan")).context["year"] == this_year
    response = methodist_client.get(reverse("events:plan"), {"year": "20x1"})
    assert response.status_code == 200
    assert response.context["year"] == this_year
    assert "указан неверно" in response.content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ({"status": "cancelled"}, ["Мастер-класс «Смысловое чтение»"]),
    ({"form": "seminar"}, ["Семинар по ФГОС"]),
    ({"organiser": "community"}, ["Квест для молодых педагогов"]),
    ({"organiser": "organisation"}, ["Мастер-класс «Смысловое чтение»"]),
    ({"organiser": "imc"}, ["Семинар по ФГОС"]),
])
def test_plan_filters(methodist_client, plan, query, expected):
    response = methodist_client.get(reverse("events:plan"), {"year": 2021, **query})
    assert _titles(response) == expected


def test_plan_filter_by_the_district_own_form_and_unknown_values_are_dropped(methodist_client, plan):
    response = methodist_client.get(reverse("events:plan"), {"year": 2021, "form": f"custom:{plan['own'].pk}"})
    assert _titles(response) == ["Квест для молодых педагогов"]
    response = methodist_client.get(reverse("events:plan"), {"year": 2021, "form": "custom:abc", "status": "x"})
    assert len(_titles(response)) == 3
    body = response.content.decode()
    assert "фильтр по форме не применён" in body and "фильтр по статусу не применён" in body


def test_plan_month_view_grid(director_client, plan):
    response = director_client.get(reverse("events:plan"), {"year": 2021, "view": "month", "month": "2021-03"})
    assert response.status_code == 200
    assert response.context["month_name"] == "Март"
    weeks = response.context["weeks"]
    # March 2021 starts on a Monday (1.03) and ends on a Wednesday (31.03): 5 weeks, first cell 1 March
    assert len(weeks) == 5 and weeks[0][0].day == dt.date(2021, 3, 1)
    days_with_events = {cell.day.day: [e.title for e in cell.events] for w in weeks for cell in w if cell.events}
    assert days_with_events == {2: ["Квест для молодых педагогов"], 18: ["Семинар по ФГОС"]}
    bad = director_client.get(reverse("events:plan"), {"year": 2021, "view": "month", "month": "2022-13"})
    assert bad.status_code == 200 and "указан неверно" in bad.content.decode()


def test_plan_school_admin_reads_the_district_plan_portal_admin_refused(
        school_admin_client, portal_admin_client, observer_client, plan):
    assert len(_titles(school_admin_client.get(reverse("events:plan"), {"year": 2021}))) == 3
    assert observer_client.get(reverse("events:plan"), {"year": 2021}).status_code == 200
    assert portal_admin_client.get(reverse("events:plan")).status_code == 403


def test_plan_is_readable_on_a_phone_no_fixed_width_table(methodist_client, plan):
    body = methodist_client.get(reverse("events:plan"), {"year": 2021}).content.decode()
    assert 'name="viewport"' in body and "list-group" in body
    month = methodist_client.get(reverse("events:plan"), {"year": 2021, "view": "month", "month": "2021-03"})
    assert 'data-testid="month-list"' in month.content.decode()  # the phone's list next to the wide grid


def test_plan_queries_do_not_grow_with_events(methodist_client, plan, district_a, django_assert_max_num_queries):
    for n in range(15):
        PlannedEventFactory(district=district_a, held_on=dt.date(2021, 4, 1 + n))
    with django_assert_max_num_queries(15):
        methodist_client.get(reverse("events:plan"), {"year": 2021})


# --- the event's page and its panels ---------------------------------------------------------------


def test_detail_shows_the_card_and_registered_panels(methodist_client, plan):
    event = plan["march_early"]
    panels.register("test_panel", "events/_plan_status.html", lambda e, user: {"event": e}, order=1)
    panels.register("hidden_panel", "events/_plan_status.html", lambda e, user: None)
    try:
        response = methodist_client.get(reverse("events:detail", args=[event.pk]))
    finally:
        panels.unregister("test_panel")
        panels.unregister("hidden_panel")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Педагогический квест" in body and "МО учителей математики" in body
    assert 'data-testid="event-panel-test_panel"' in body
    assert "hidden_panel" not in body


def test_detail_scope(school_admin_client, other_methodist_client, portal_admin_client, plan):
    url = reverse("events:detail", args=[plan["march_late"].pk])
    assert school_admin_client.get(url).status_code == 200
    assert other_methodist_client.get(url).status_code == 404
    assert portal_admin_client.get(url).status_code == 403


# --- create / edit ---------------------------------------------------------------------------------


def _data(**extra):
    data = {"title": "Круглый стол наставников", "form_choice": "round_table", "level": "district",
            "held_on": "2021-04-14", "starts_at": "15:00", "ends_at": "17:00", "place": "ИМЦ, ауд. 5",
            "online_url": "", "audience": "наставники", "capacity": "25", "organised_by_imc": "on",
            "hours": "", "description": "", "result": ""}
    data.update(extra)
    return data


def test_create_event_with_the_district_own_form_and_public_code(methodist_client, district_a, school_a, plan):
    response = methodist_client.post(reverse("events:create"), _data(
        form_choice=f"custom:{plan['own'].pk}", public_registration="on", organisers=[school_a.pk]))
    event = Event.objects.get(title="Круглый стол наставников")
    assert response.status_code == 302 and response.url == reverse("events:detail", args=[event.pk])
    assert event.district == district_a and event.form == EventForm.OTHER and event.custom_form == plan["own"]
    assert event.form_label == "Педагогический квест"
    assert event.status == EventStatus.PLANNED and event.capacity == 25
    assert list(event.organisers.all()) == [school_a]
    assert event.public_code and len(event.public_code) <= 24
    code = event.public_code
    # switched off and on again: the same code, so a link already sent keeps working
    methodist_client.post(reverse("events:update", args=[event.pk]), _data(form_choice="round_table"))
    methodist_client.post(reverse("events:update", args=[event.pk]), _data(form_choice="round_table",
                                                                          public_registration="on"))
    event.refresh_from_db()
    assert event.public_code == code and event.custom_form is None


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"ends_at": "14:00"}, "ends_at", "позже времени начала"),
    ({"starts_at": "", "ends_at": "12:00"}, "starts_at", "Укажите время начала"),
    ({"capacity": "0"}, "capacity", "не меньше 1"),
    ({"online_url": "http://meet.example.ru/a"}, "online_url", "https://"),
    ({"hours": "73"}, "hours", "от 1 до 72"),
    ({"hours": "0"}, "hours", "от 1 до 72"),
    ({"form_choice": "custom:999999"}, "form_choice", "нет"),
    ({"form_choice": "dance"}, "form_choice", ""),
])
def test_create_refuses_bad_input_in_russian(methodist_client, district_a, extra, field, message):
    response = methodist_client.post(reverse("events:create"), _data(**extra))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Event.objects.filter(title="Круглый стол наставников").exists()


def test_hours_may_be_empty_or_in_range(methodist_client, district_a):
    methodist_client.post(reverse("events:create"), _data(hours="72"))
    assert Event.objects.get(title="Круглый стол наставников").hours == 72


def test_a_held_or_cancelled_event_cannot_move_into_the_future(methodist_client, plan):
    event = plan["may"]  # cancelled
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = methodist_client.post(reverse("events:update", args=[event.pk]), _data(
        title=event.title, form_choice="master_class", held_on=future))
    assert response.status_code == 200
    assert "нельзя перенести в будущее" in " ".join(response.context["form"].errors["held_on"])
    event.refresh_from_db()
    assert event.held_on == dt.date(2021, 5, 12)
    # a past date is fine
    response = methodist_client.post(reverse("events:update", args=[event.pk]), _data(
        title=event.title, form_choice="master_class", held_on="2021-05-13"))
    assert response.status_code == 302


def test_create_and_edit_refused_to_director_and_outside_the_district(
        director_client, other_methodist_client, plan):
    assert director_client.get(reverse("events:create")).status_code == 403
    assert director_client.post(reverse("events:create"), _data()).status_code == 403
    assert other_methodist_client.get(reverse("events:update", args=[plan["march_late"].pk])).status_code == 404
    assert not Event.objects.filter(title="Круглый стол наставников").exists()


# --- status ----------------------------------------------------------------------------------------


def _status(client, event, action):
    return client.post(reverse("events:status", args=[event.pk]), {"action": action}, follow=True)


def test_status_cycle_and_refusals(methodist_client, plan):
    event = plan["march_late"]  # 18.03.2021, planned
    body = _status(methodist_client, event, "held").content.decode()
    assert "отмечено как проведённое" in body
    event.refresh_from_db()
    assert event.status == EventStatus.HELD
    assert "нельзя отменить" in _status(methodist_client, event, "cancel").content.decode()
    assert "уже отмечено" in _status(methodist_client, event, "held").content.decode()
    _status(methodist_client, event, "plan")
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED
    _status(methodist_client, event, "cancel")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert "сначала верните его в план" in _status(methodist_client, event, "held").content.decode()
    assert "Неизвестное действие" in _status(methodist_client, event, "dance").content.decode()


def test_a_future_event_cannot_be_held(methodist_client, district_a):
    event = PlannedEventFactory(district=district_a, held_on=timezone.localdate() + dt.timedelta(days=3))
    body = _status(methodist_client, event, "held").content.decode()
    assert "в день проведения или позже" in body
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED


def test_a_held_event_with_attendance_stays_held(methodist_client, district_a, school_a):
    from events.models import Attendance

    event = PlannedEventFactory(district=district_a, status=EventStatus.HELD)
    Attendance.objects.create(event=event, teacher=TeacherFactory(organisation=school_a))
    body = _status(methodist_client, event, "plan").content.decode()
    assert "Нельзя вернуть в план" in body and "1 участник" in body
    event.refresh_from_db()
    assert event.status == EventStatus.HELD


def test_status_refused_to_observer_and_get(observer_client, methodist_client, plan):
    event = plan["march_late"]
    assert observer_client.post(reverse("events:status", args=[event.pk]), {"action": "cancel"}).status_code == 403
    assert methodist_client.get(reverse("events:status", args=[event.pk])).status_code == 405
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED


# --- the district's own forms ----------------------------------------------------------------------


def test_forms_add_rename_delete(methodist_client, district_a, district_b):
    url = reverse("events:forms")
    assert methodist_client.post(url, {"name": "  Педагогическая   гостиная "}).status_code == 302
    form = DistrictEventForm.objects.get(district=district_a)
    assert form.name == "Педагогическая гостиная"
    # a shipped name and a twin are refused
    for name, message in (("Семинар", "среди форм портала"), ("педагогическая гостиная", "уже есть")):
        response = methodist_client.post(url, {"name": name})
        assert message in " ".join(response.context["form"].errors["name"])
    methodist_client.post(reverse("events:form_rename", args=[form.pk]), {"name": "Методическая гостиная"})
    form.refresh_from_db()
    assert form.name == "Методическая гостиная"
    methodist_client.post(reverse("events:form_delete", args=[form.pk]))
    assert not DistrictEventForm.objects.filter(pk=form.pk).exists()


def test_a_form_in_use_is_not_deleted(methodist_client, plan):
    body = methodist_client.post(reverse("events:form_delete", args=[plan["own"].pk]), follow=True).content.decode()
    assert "Нельзя удалить форму «Педагогический квест»" in body and "1 мероприятие" in body
    assert DistrictEventForm.objects.filter(pk=plan["own"].pk).exists()


def test_forms_refused_to_director_and_other_district(director_client, other_methodist_client, plan):
    assert director_client.get(reverse("events:forms")).status_code == 403
    assert other_methodist_client.post(reverse("events:form_delete", args=[plan["own"].pk])).status_code == 404
    assert other_methodist_client.get(reverse("events:form_rename", args=[plan["own"].pk])).status_code == 404


def test_event_form_offers_shipped_and_own_forms(methodist_client, plan):
    body = methodist_client.get(reverse("events:create")).content.decode()
    assert "Формы портала" in body and "Формы района" in body and "Педагогический квест" in body
    assert ClusterFactory  # the cluster/community choices are scoped by clusters.selectors (tested there)
