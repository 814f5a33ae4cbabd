"""Events: list with filters, page, create/edit/delete with organisers, cluster and community."""
import datetime

import pytest
from django.urls import reverse

from clusters.models import ActivityLevel, Event, EventForm
from tests.factories import ClusterFactory, CommunityFactory, EventFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(district_a):
    return ClusterFactory(district=district_a, name="Функциональная грамотность", year=2021)


@pytest.fixture
def community(district_a):
    return CommunityFactory(district=district_a, name="Клуб молодых педагогов")


@pytest.fixture
def event(district_a, school_a, cluster):
    event = EventFactory(district=district_a, title="Методический десант в СОШ № 1",
                         form=EventForm.METHODICAL_LANDING, held_on=datetime.date(2021, 12, 17), cluster=cluster)
    event.organisers.add(school_a)
    return event


def event_data(**overrides):
    data = {"title": "Семинар «Современный урок»", "form": EventForm.SEMINAR, "level": ActivityLevel.DISTRICT,
            "held_on": "18.03.2022", "organisers": [], "cluster": "", "community": "",
            "participants_count": 45, "description": ""}
    data.update(overrides)
    return data


# --- list and page ------------------------------------------------------------------------------


def test_methodist_lists_own_district_events(methodist_client, event, district_b):
    EventFactory(district=district_b)
    response = methodist_client.get(reverse("clusters:event_list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [event]


def test_observer_reads_events(observer_client, event):
    assert observer_client.get(reverse("clusters:event_list")).status_code == 200
    assert observer_client.get(reverse("clusters:event_detail", args=[event.pk])).status_code == 200


def test_list_filters_by_form_level_year_and_cluster(methodist_client, district_a, event, cluster):
    EventFactory(district=district_a, form=EventForm.SEMINAR, held_on=datetime.date(2021, 3, 1))
    EventFactory(district=district_a, form=EventForm.METHODICAL_LANDING, held_on=datetime.date(2020, 3, 1),
                 cluster=cluster)
    EventFactory(district=district_a, form=EventForm.METHODICAL_LANDING, held_on=datetime.date(2021, 3, 1),
                 level=ActivityLevel.CITY, cluster=cluster)
    response = methodist_client.get(reverse("clusters:event_list"), {
        "event_form": EventForm.METHODICAL_LANDING, "level": ActivityLevel.DISTRICT, "year": 2021,
        "cluster": cluster.pk})
    assert list(response.context["object_list"]) == [event]


def test_list_filters_by_organiser(methodist_client, district_a, event, school_a, school_b):
    other = EventFactory(district=district_a)
    other.organisers.add(school_b)
    response = methodist_client.get(reverse("clusters:event_list"), {"organiser": school_b.pk})
    assert list(response.context["object_list"]) == [other]


def test_list_of_fifty_events_with_organisers_runs_constant_queries(
    methodist_client, district_a, school_a, school_b, cluster, django_assert_max_num_queries
):
    community = CommunityFactory(district=district_a)
    for _ in range(50):
        event = EventFactory(district=district_a, cluster=cluster, community=community)
        event.organisers.add(school_a, school_b)
    with django_assert_max_num_queries(10):
        response = methodist_client.get(reverse("clusters:event_list"))
    assert len(response.context["object_list"]) == 50
    assert f"{school_a.short_name}, {school_b.short_name}" in response.content.decode()


def test_page_shows_organisers_cluster_and_date(director_client, event, school_a, cluster):
    response = director_client.get(reverse("clusters:event_detail", args=[event.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Методический десант в СОШ № 1", "17.12.2021", school_a.short_name, cluster.name):
        assert text in html


def test_methodist_of_another_district_gets_404(other_methodist_client, event):
    assert other_methodist_client.get(reverse("clusters:event_detail", args=[event.pk])).status_code == 404


# --- create / edit / delete ---------------------------------------------------------------------


def test_methodist_creates_an_event_with_organisers(methodist_client, methodist, school_a, school_b, community):
    response = methodist_client.post(reverse("clusters:event_create"),
                                     event_data(organisers=[school_a.pk, school_b.pk], community=community.pk))
    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == event.get_absolute_url()
    assert event.district == methodist.district
    assert set(event.organisers.all()) == {school_a, school_b}
    assert (event.community, event.held_on) == (community, datetime.date(2022, 3, 18))


def test_organiser_of_another_district_is_refused(methodist_client, school_a, school_other_district):
    response = methodist_client.post(reverse("clusters:event_create"),
                                     event_data(organisers=[school_a.pk, school_other_district.pk]))
    assert "organisers" in response.context["form"].errors
    assert not Event.objects.exists()


def test_cluster_and_community_of_another_district_are_refused(methodist_client, district_b):
    foreign_cluster = ClusterFactory(district=district_b)
    foreign_community = CommunityFactory(district=district_b)
    response = methodist_client.post(reverse("clusters:event_create"),
                                     event_data(cluster=foreign_cluster.pk, community=foreign_community.pk))
    assert {"cluster", "community"} <= set(response.context["form"].errors)
    assert not Event.objects.exists()


def test_negative_participant_count_and_missing_date_are_refused(methodist_client):
    response = methodist_client.post(reverse("clusters:event_create"),
                                     event_data(participants_count=-5, held_on=""))
    html = response.content.decode()
    assert "Обязательное поле." in html
    assert "больше либо равно 0" in html
    assert not Event.objects.exists()


def test_community_page_link_preselects_the_community(methodist_client, community):
    response = methodist_client.get(reverse("clusters:event_create"), {"community": community.pk})
    assert response.context["form"].initial["community"] == community.pk


def test_observer_may_not_create_events(observer_client):
    assert observer_client.post(reverse("clusters:event_create"), event_data()).status_code == 403
    assert not Event.objects.exists()


def test_methodist_edits_an_event_and_its_organisers(methodist_client, event, school_b):
    response = methodist_client.post(reverse("clusters:event_update", args=[event.pk]),
                                     event_data(title="Десант", organisers=[school_b.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Десант"
    assert list(event.organisers.all()) == [school_b]


def test_closed_organiser_stays_offered_on_an_event_it_organised(methodist_client, event, school_a, district_a):
    school_a.is_active = False
    school_a.save()
    closed_elsewhere = OrganisationFactory(district=district_a, is_active=False)
    form = methodist_client.get(reverse("clusters:event_update", args=[event.pk])).context["form"]
    offered = set(form.fields["organisers"].queryset)
    assert school_a in offered
    assert closed_elsewhere not in offered


def test_methodist_of_another_district_cannot_edit_or_delete(other_methodist_client, event):
    assert other_methodist_client.post(reverse("clusters:event_update", args=[event.pk]),
                                       event_data()).status_code == 404
    assert other_methodist_client.post(reverse("clusters:event_delete", args=[event.pk])).status_code == 404
    assert Event.objects.filter(pk=event.pk, title="Методический десант в СОШ № 1").exists()


def test_methodist_deletes_an_event(methodist_client, event):
    assert methodist_client.post(reverse("clusters:event_delete", args=[event.pk])).status_code == 302
    assert not Event.objects.exists()
