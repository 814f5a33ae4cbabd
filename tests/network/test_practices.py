"""The practice base: search (Cyrillic case, ё), filters, who writes what, verification, panels."""
from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import ForbiddenError
from network.models import Practice, PracticeForm, PracticeTag
from network.selectors_practices import fold, practices_for_user, search_practices
from network.services import practices as services
from tests.factories import ClusterFactory, ClusterMembershipFactory, EventFactory
from tests.network.factories import OrganisationPairFactory, PracticeFactory

LIST = reverse("network:practices")


def make(user, **fields) -> Practice:
    """A practice saved through the service (search text and tags kept as in the product)."""
    tags = fields.pop("tags", "")
    values = {"title": "Практика", "authors": "Петрова И.С.", "form": PracticeForm.METHOD, "year": 2021,
              "description": "Описание"}
    values.update(fields)
    return services.save_practice(user, Practice(**values), tags=tags).practice


def titles(response) -> list[str]:
    return [p.title for p in response.context["object_list"]]


# --- search ------------------------------------------------------------------------------------


def test_fold_lowers_cyrillic_and_folds_yo():
    assert fold("Журавлёва ФОРМИРУЮЩЕЕ") == "журавлева формирующее"


@pytest.mark.django_db
def test_search_ignores_cyrillic_case_and_yo(methodist, methodist_client, school_a):
    make(methodist, title="Формирующее оценивание на уроках", organisation=school_a)
    make(methodist, title="Смысловое чтение", authors="Журавлёва Е.В.", organisation=school_a)
    make(methodist, title="Проектная неделя", description="Погружение", tags="ЁЛОЧНЫЕ игры", organisation=school_a)

    assert titles(methodist_client.get(LIST, {"q": "формирующ"})) == ["Формирующее оценивание на уроках"]
    assert titles(methodist_client.get(LIST, {"q": "журавлева"})) == ["Смысловое чтение"]
    assert titles(methodist_client.get(LIST, {"q": "ЖУРАВЛЁВА"})) == ["Смысловое чтение"]
    # a tag is searched too, with ё folded on both sides; every word must match
    assert titles(methodist_client.get(LIST, {"q": "елочные"})) == ["Проектная неделя"]
    assert titles(methodist_client.get(LIST, {"q": "елочные чтение"})) == []


@pytest.mark.django_db
def test_search_text_follows_edits_and_tag_changes(methodist, school_a):
    practice = make(methodist, title="Старое название", tags="Первая", organisation=school_a)
    practice.title = "Новое Название"
    services.save_practice(methodist, practice, tags="Вторая метка")
    practice.refresh_from_db()
    assert "новое название" in practice.search_text and "вторая метка" in practice.search_text
    assert "первая" not in practice.search_text
    assert list(search_practices(Practice.objects.all(), "ВТОРАЯ")) == [practice]


# --- filters -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_year_form_subject_organisation_cluster_tag_verified(methodist, methodist_client, school_a, school_b,
                                                                     district_a):
    cluster = ClusterFactory(district=district_a, year=2021)
    a = make(methodist, title="A", year=2020, form=PracticeForm.LESSON, subject="Физика", organisation=school_a,
             cluster=cluster, tags="ОГЭ")
    make(methodist, title="B", year=2021, form=PracticeForm.METHOD, subject="Математика", organisation=school_b)
    services.set_verified(methodist, a, True)
    tag = PracticeTag.objects.get(name="ОГЭ")

    assert titles(methodist_client.get(LIST, {"year": 2020})) == ["A"]
    assert titles(methodist_client.get(LIST, {"form": "method"})) == ["B"]
    assert titles(methodist_client.get(LIST, {"subject": "Математика"})) == ["B"]
    assert titles(methodist_client.get(LIST, {"organisation": school_a.pk})) == ["A"]
    assert titles(methodist_client.get(LIST, {"cluster": cluster.pk})) == ["A"]
    assert titles(methodist_client.get(LIST, {"tag": tag.pk})) == ["A"]
    assert titles(methodist_client.get(LIST, {"verified": "true"})) == ["A"]
    assert titles(methodist_client.get(LIST, {"verified": "false"})) == ["B"]
    assert sorted(titles(methodist_client.get(LIST))) == ["A", "B"]


@pytest.mark.django_db
def test_list_is_paginated_by_fifty(methodist, methodist_client, district_a, school_a):
    PracticeFactory.create_batch(51, district=district_a, organisation=school_a)
    response = methodist_client.get(LIST)
    assert len(response.context["object_list"]) == 50  # LIST_PAGE_SIZE
    assert response.context["paginator"].count == 51
    assert len(methodist_client.get(LIST, {"page": 2}).context["object_list"]) == 1


# --- who reads -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readers_are_the_district_school_admins_included(district_a, school_a, school_b, school_other_district,
                                                         school_admin_client, other_methodist_client,
                                                         portal_admin_client, observer_client):
    PracticeFactory(district=district_a, organisation=school_b, title="Чужой школы")
    practice = PracticeFactory(district=district_a, organisation=school_a, title="Своей школы")
    # a school administrator reads the whole district's base (sharing is the point)
    assert sorted(titles(school_admin_client.get(LIST))) == ["Своей школы", "Чужой школы"]
    assert observer_client.get(practice.get_absolute_url()).status_code == 200
    assert other_methodist_client.get(practice.get_absolute_url()).status_code == 404
    assert titles(other_methodist_client.get(LIST)) == []
    assert portal_admin_client.get(LIST).status_code == 403


# --- school administrator writes their own organisation's practices ----------------------------------------


def _form(**extra):
    data = {"title": "Урок-исследование", "authors": "Сидоров А.А.", "form": "lesson", "year": 2022,
            "description": "Как провести", "subject": "Биология", "tags_text": "исследование, ОГЭ"}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_school_admin_creates_practice_of_own_organisation_unverified(school_admin, school_admin_client, school_a,
                                                                     school_b):
    response = school_admin_client.post(reverse("network:practice_create"),
                                        _form(organisation=school_b.pk))  # a forged organisation is ignored
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert practice.organisation == school_a
    assert practice.district_id == school_a.district_id
    assert practice.is_verified is False and practice.created_by == school_admin
    assert sorted(t.name for t in practice.tags.all()) == ["ОГЭ", "исследование"]


@pytest.mark.django_db
def test_school_admin_cannot_edit_or_delete_another_schools_practice(district_a, school_b, school_admin_client,
                                                                     school_admin):
    other = PracticeFactory(district=district_a, organisation=school_b)
    assert school_admin_client.get(reverse("network:practice_update", args=[other.pk])).status_code == 404
    assert school_admin_client.post(reverse("network:practice_update", args=[other.pk]), _form()).status_code == 404
    assert school_admin_client.post(reverse("network:practice_delete", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.title != "Урок-исследование"
    with pytest.raises(ForbiddenError):
        services.save_practice(school_admin, other, tags="")


@pytest.mark.django_db
def test_director_and_observer_may_not_write(district_a, school_a, director_client, observer_client):
    practice = PracticeFactory(district=district_a, organisation=school_a)
    for client in (director_client, observer_client):
        assert client.get(reverse("network:practice_create")).status_code == 403
        assert client.post(reverse("network:practice_update", args=[practice.pk]), _form()).status_code == 403


@pytest.mark.django_db
def test_methodist_creates_for_any_organisation_with_pairs_and_event(methodist, methodist_client, district_a,
                                                                      school_b):
    cluster = ClusterFactory(district=district_a, year=2021)
    pair = OrganisationPairFactory(cluster=cluster)
    event = EventFactory(district=district_a)
    response = methodist_client.post(reverse("network:practice_create"),
                                     _form(organisation=school_b.pk, pairs=[pair.pk], event=event.pk))
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.organisation == school_b and list(practice.pairs.all()) == [pair] and practice.event == event


@pytest.mark.django_db
def test_methodist_may_not_link_another_districts_event(methodist_client, district_b, school_a):
    foreign = EventFactory(district=district_b)
    response = methodist_client.post(reverse("network:practice_create"),
                                     _form(organisation=school_a.pk, event=foreign.pk))
    assert response.status_code == 200 and response.context["form"].errors["event"]
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_invalid_form_saves_nothing(methodist_client, school_a):
    response = methodist_client.post(reverse("network:practice_create"), _form(title="", organisation=school_a.pk))
    assert response.status_code == 200 and "title" in response.context["form"].errors
    assert not Practice.objects.exists() and not PracticeTag.objects.exists()


@pytest.mark.django_db
def test_tags_are_per_district_and_reused_case_insensitively(methodist, other_methodist, school_a,
                                                             school_other_district):
    make(methodist, tags="ОГЭ, огэ , Проекты", organisation=school_a)
    make(methodist, tags="огэ", organisation=school_a)
    make(other_methodist, tags="ОГЭ", organisation=school_other_district)
    # district A: «ОГЭ» (the first spelling) and «Проекты»; district B its own «ОГЭ»
    assert sorted(PracticeTag.objects.filter(district=methodist.district).values_list("name", flat=True)) == \
        ["ОГЭ", "Проекты"]
    assert PracticeTag.objects.filter(district=other_methodist.district).count() == 1


# --- verification -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verification_flow(methodist, methodist_client, school_admin_client, district_a, school_a):
    practice = PracticeFactory(district=district_a, organisation=school_a)
    verify = reverse("network:practice_verify", args=[practice.pk])

    assert school_admin_client.post(verify, {"verified": "1"}).status_code == 403
    practice.refresh_from_db()
    assert not practice.is_verified

    assert methodist_client.post(verify, {"verified": "1"}).status_code == 302
    practice.refresh_from_db()
    assert practice.is_verified and practice.verified_by == methodist and practice.verified_at

    # the school edits its verified practice: the mark goes, and the page says so
    response = school_admin_client.post(reverse("network:practice_update", args=[practice.pk]),
                                        _form(title="Исправленная практика"), follow=True)
    practice.refresh_from_db()
    assert practice.title == "Исправленная практика" and not practice.is_verified and practice.verified_by is None
    assert "снята до новой проверки" in response.content.decode()

    methodist_client.post(verify, {"verified": "1"})
    methodist_client.post(verify, {"verified": "0"})
    practice.refresh_from_db()
    assert not practice.is_verified


@pytest.mark.django_db
def test_methodist_edit_keeps_verification(methodist, methodist_client, district_a, school_a):
    practice = PracticeFactory(district=district_a, organisation=school_a)
    services.set_verified(methodist, practice, True)
    methodist_client.post(reverse("network:practice_update", args=[practice.pk]), _form(organisation=school_a.pk))
    practice.refresh_from_db()
    assert practice.is_verified


@pytest.mark.django_db
def test_other_districts_methodist_cannot_verify(other_methodist_client, district_a, school_a):
    practice = PracticeFactory(district=district_a, organisation=school_a)
    response = other_methodist_client.post(reverse("network:practice_verify", args=[practice.pk]), {"verified": "1"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_delete_by_methodist_and_refused_for_director(methodist_client, director_client, district_a, school_a):
    practice = PracticeFactory(district=district_a, organisation=school_a)
    assert director_client.post(reverse("network:practice_delete", args=[practice.pk])).status_code == 403
    response = methodist_client.post(reverse("network:practice_delete", args=[practice.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Practice.objects.exists()


# --- pages ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_links_only_to_pages_the_reader_may_open(district_a, school_a, other_school_admin_client,
                                                        methodist_client):
    practice = PracticeFactory(district=district_a, organisation=school_a, event=EventFactory(district=district_a))
    html = other_school_admin_client.get(practice.get_absolute_url()).content.decode()
    assert reverse("clusters:organisation_detail", args=[school_a.pk]) not in html  # not their school
    assert reverse("clusters:event_detail", args=[practice.event.pk]) not in html
    assert reverse("network:practice_update", args=[practice.pk]) not in html
    html = methodist_client.get(practice.get_absolute_url()).content.decode()
    assert reverse("clusters:organisation_detail", args=[school_a.pk]) in html
    assert reverse("network:practice_verify", args=[practice.pk]) in html


@pytest.mark.django_db
def test_organisation_panel_verified_first_for_readers(methodist, district_a, school_a, school_admin_client,
                                                       methodist_client, other_school_admin_client):
    PracticeFactory(district=district_a, organisation=school_a, title="Непроверенная", year=2022)
    verified = PracticeFactory(district=district_a, organisation=school_a, title="Проверенная", year=2020)
    services.set_verified(methodist, verified, True)
    url = reverse("clusters:organisation_detail", args=[school_a.pk])

    for client in (methodist_client, school_admin_client):
        html = client.get(url).content.decode()
        assert html.index("Проверенная") < html.index("Непроверенная")
        assert f"{LIST}?organisation={school_a.pk}" in html
    assert other_school_admin_client.get(url).status_code == 404  # the registry page itself is not theirs


@pytest.mark.django_db
def test_event_panel_lists_the_events_practices(district_a, school_a, methodist_client):
    event = EventFactory(district=district_a)
    PracticeFactory(district=district_a, organisation=school_a, title="Показана на семинаре", event=event)
    PracticeFactory(district=district_a, organisation=school_a, title="Без мероприятия")
    html = methodist_client.get(reverse("clusters:event_detail", args=[event.pk])).content.decode()
    assert "Показана на семинаре" in html and "Без мероприятия" not in html
    assert titles(methodist_client.get(LIST, {"event": event.pk})) == ["Показана на семинаре"]


@pytest.mark.django_db
def test_school_admin_form_offers_only_own_clusters_and_no_organisation(school_admin, school_admin_client,
                                                                        district_a, school_a, school_b):
    own = ClusterFactory(district=district_a, year=2021, name="Свой кластер")
    ClusterMembershipFactory(cluster=own, organisation=school_a)
    ClusterFactory(district=district_a, year=2021, name="Чужой кластер")
    form = school_admin_client.get(reverse("network:practice_create")).context["form"]
    assert "organisation" not in form.fields
    assert [c.name for c in form.fields["cluster"].queryset] == ["Свой кластер"]
    assert practices_for_user(school_admin, write=True).count() == 0
