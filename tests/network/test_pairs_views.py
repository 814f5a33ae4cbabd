"""The pairs pages: each with an allowed and a refused persona; the numbers are those of test_pairs.py.

The pairs involve T1/T2/L1–L3 (test_pairs.build_cluster, proposed with capacity 2: T1 → L2, T1 → L1,
T2 → L3); school administrators of those organisations are made per test, and school_admin (school A,
in no pair) stands for «another school».
"""
from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from network.models import ActivityStatus, OrganisationPair, PairActivity, PairStatus
from network.services import pairs as services
from tests.factories import ClusterFactory, TeacherFactory, UserFactory
from tests.network.factories import MentorProfileFactory, PracticeFactory
from tests.network.test_pairs import MATH, PHYS, RU, build_cluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(district_a, methodist):
    net = build_cluster(district_a)
    services.propose_pairs(user=methodist, cluster=net.cluster)
    net.pair = OrganisationPair.objects.get(mentee_organisation=net.L1)  # T1 → L1, Русский язык, 2.000
    return net


def school_client(client, organisation):
    user = UserFactory(role=Role.SCHOOL_ADMIN, organisation=organisation)
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_propose_view_posts_and_reports_counts_and_reasons(district_a, methodist_client, director_client,
                                                           other_methodist_client):
    net = build_cluster(district_a)
    from network.models import TierSettings

    TierSettings.objects.create(district=district_a, max_mentees=1)
    url = reverse("network:pairs_propose")
    assert director_client.post(url, {"cluster": net.cluster.pk}).status_code == 403
    assert other_methodist_client.post(url, {"cluster": net.cluster.pk}).status_code == 404
    assert methodist_client.post(url, {"cluster": "junk"}).status_code == 404
    assert not OrganisationPair.objects.exists()
    response = methodist_client.post(url, {"cluster": net.cluster.pk}, follow=True)
    text = " ".join(messages_of(response))
    # Capacity 1 (test_pairs.py): L2 → T1, L1 → T2, L3 without a pair.
    assert "Предложено новых пар: 2." in text
    assert "Школа L3 (L3) — без пары: все ТОП-организации с результатами по предмету «Физика» уже ведут по 1 паре" \
        in text
    assert response.request["QUERY_STRING"] == f"cluster={net.cluster.pk}"
    assert OrganisationPair.objects.count() == 2
    assert methodist_client.get(url).status_code == 405


def test_list_scopes_and_filters(net, methodist_client, observer_client, other_methodist_client, client,
                                 portal_admin_client):
    url = reverse("network:pairs")
    response = methodist_client.get(url)
    assert response.status_code == 200 and response.context["paginator"].count == 3
    assert "propose_clusters" in response.context
    assert observer_client.get(url).context["paginator"].count == 3
    assert "propose_clusters" not in observer_client.get(url).context
    assert other_methodist_client.get(url).context["paginator"].count == 0
    assert portal_admin_client.get(url).status_code == 403
    assert methodist_client.get(url, {"organisation": net.T2.pk}).context["paginator"].count == 1  # T2 → L3
    assert methodist_client.get(url, {"status": "active"}).context["paginator"].count == 0
    assert methodist_client.get(url, {"year": 2021, "cluster": net.cluster.pk}).context["paginator"].count == 3
    empty = ClusterFactory(district=net.cluster.district, year=2021, name="Без пар")
    response = methodist_client.get(url, {"cluster": empty.pk})
    assert response.context["paginator"].count == 0 and not response.context["filter"].form.errors
    # A school administrator sees the pairs of their organisation only (T1 tutors L2 and L1).
    response = school_client(client, net.T1).get(url)
    assert {p.mentee_organisation.code for p in response.context["object_list"]} == {"L1", "L2"}


def test_detail_shows_numbers_and_explains_the_advantage(net, methodist_client, school_admin_client, client):
    url = reverse("network:pair_detail", args=[net.pair.pk])
    MentorProfileFactory(teacher=TeacherFactory(organisation=net.T1, full_name="Яковлева Я.Я."), subjects=RU)
    practice = PracticeFactory(district=net.cluster.district, title="Смысловое чтение")
    practice.pairs.add(net.pair)
    response = methodist_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    # T1 → L1, Русский язык: z +1 and −1, advantage 2 (indices 2020: T1 (1 + 1.5 + 1.5)/3 = 1.333, L1 −0.750).
    assert "«Русский язык» — самый слабый предмет отстающей организации (Школа L1) в 2020 году (z = \u22121,000)" in html
    assert "У ТОП-организации (Школа T1) z = +1,000: её преимущество — 2,000" in html
    # Signed as on the tiers pages, with a real minus sign.
    assert ">+1,333<" in html and ">\u22120,750<" in html
    assert "Яковлева Я.Я." in html and "Подтвердить" in html
    assert "Смысловое чтение" in html
    # School A is not in the pair: 404; the mentee's school opens it, without the methodist's buttons.
    assert school_admin_client.get(url).status_code == 404
    response = school_client(client, net.L1).get(url)
    assert response.status_code == 200 and "Подтвердить" not in response.content.decode()
    assert "Добавить мероприятие" in response.content.decode()


def test_confirm_view_requires_goal_and_date_then_confirms(net, methodist_client, director_client):
    url = reverse("network:pair_confirm", args=[net.pair.pk])
    assert director_client.post(url, {"goal": "x", "starts_on": "2021-09-01"}).status_code == 403
    response = methodist_client.post(url, {"goal": "", "starts_on": ""})
    assert response.status_code == 200
    assert ">Подтвердить пару</button>" in response.content.decode()  # the button says what it does
    assert response.context["form"].errors == {"goal": ["Укажите цель пары."],
                                               "starts_on": ["Укажите дату начала работы пары."]}
    net.pair.refresh_from_db()
    assert net.pair.status == PairStatus.PROPOSED
    response = methodist_client.post(url, {"goal": "Поднять z", "starts_on": "2021-09-01"})
    assert response.status_code == 302 and response["Location"] == net.pair.get_absolute_url()
    net.pair.refresh_from_db()
    assert (net.pair.status, net.pair.starts_on) == (PairStatus.ACTIVE, datetime.date(2021, 9, 1))
    # Confirming again is refused with the reason, nothing changes.
    response = methodist_client.post(url, {"goal": "Другая", "starts_on": "2021-10-01"})
    assert "действует — её нельзя подтвердить" in response.content.decode()
    net.pair.refresh_from_db()
    assert net.pair.goal == "Поднять z"


def test_reject_and_complete_views(net, methodist, methodist_client, other_methodist_client, school_admin_client):
    reject = reverse("network:pair_reject", args=[net.pair.pk])
    assert other_methodist_client.post(reject, {"reason": "x"}).status_code == 404
    response = methodist_client.post(reject, {"reason": ""})
    assert response.context["form"].errors == {"reason": ["Укажите причину отклонения."]}
    assert methodist_client.post(reject, {"reason": "Другая поддержка"}).status_code == 302
    net.pair.refresh_from_db()
    assert net.pair.status == PairStatus.REJECTED
    complete = reverse("network:pair_complete", args=[net.pair.pk])
    response = methodist_client.post(complete, {})
    assert "отклонена — её нельзя завершить" in response.content.decode()
    active = OrganisationPair.objects.get(mentee_organisation=net.L2)
    services.confirm_pair(user=methodist, pair=active, goal="Цель",
                          starts_on=datetime.date(2021, 9, 1))
    url = reverse("network:pair_complete", args=[active.pk])
    assert school_admin_client.post(url, {}).status_code == 403
    assert other_methodist_client.post(url, {}).status_code == 404
    assert methodist_client.post(url, {"ends_on": "2022-05-31"}).status_code == 302
    active.refresh_from_db()
    assert (active.status, active.ends_on) == (PairStatus.COMPLETED, datetime.date(2022, 5, 31))


def test_update_view_limits_teachers_to_the_two_organisations(net, methodist_client, director_client):
    url = reverse("network:pair_update", args=[net.pair.pk])
    t1 = MentorProfileFactory(teacher=TeacherFactory(organisation=net.T1, full_name="Наставник Т1")).teacher
    t2 = MentorProfileFactory(teacher=TeacherFactory(organisation=net.T2, full_name="Наставник Т2")).teacher
    MentorProfileFactory(teacher=TeacherFactory(organisation=net.S1, full_name="Чужой"))
    TeacherFactory(organisation=net.T1, full_name="Не наставник")
    assert director_client.get(url).status_code == 403
    response = methodist_client.get(url)
    choices = {t.full_name for t in response.context["form"].fields["mentor_teachers"].queryset}
    assert choices == {"Наставник Т1"}  # T1's mentors only: not T2's, not another school's, not a non-mentor
    base = {"mentor_organisation": net.T1.pk, "subject": RU, "goal": "", "starts_on": "", "ends_on": ""}
    response = methodist_client.post(url, base | {"mentor_teachers": [t2.pk]})
    assert response.status_code == 200 and "mentor_teachers" in response.context["form"].errors
    response = methodist_client.post(url, base | {"mentor_organisation": net.L1.pk})
    assert "mentor_organisation" in response.context["form"].errors  # the mentee itself is not a choice
    # Switching to T2 in the same POST makes T2's teachers choosable.
    response = methodist_client.post(url, base | {"mentor_organisation": net.T2.pk, "subject": PHYS,
                                                  "mentor_teachers": [t2.pk]})
    assert response.status_code == 302
    net.pair.refresh_from_db()
    assert (net.pair.mentor_organisation, list(net.pair.mentor_teachers.all())) == (net.T2, [t2])
    assert net.pair.advantage is None  # L1 has no Физика result
    response = methodist_client.post(url, base | {"mentor_teachers": [t1.pk], "subject": MATH})
    net.pair.refresh_from_db()
    assert str(net.pair.advantage) == "2.000"  # Математика: T1 1.5 − L1 (−0.5)


def test_activities_by_both_schools_and_not_by_another(net, client, school_admin_client, director_client,
                                                       methodist_client):
    create = reverse("network:activity_create", args=[net.pair.pk])
    data = {"form": "master_class", "topic": "Мастер-класс по смысловому чтению", "held_on": "2021-11-12",
            "responsible": "Иванова А.А.", "status": "planned", "result": ""}
    assert school_admin_client.post(create, data).status_code == 404  # school A is not in the pair
    assert director_client.post(create, data).status_code == 403
    assert school_client(client, net.T1).post(create, data).status_code == 302
    activity = PairActivity.objects.get()
    mentee = school_client(client, net.L1)
    update = reverse("network:activity_update", args=[activity.pk])
    response = mentee.post(update, data | {"status": "done"})
    assert response.context["form"].errors == {"result": ["Опишите результат проведённого мероприятия."]}
    assert mentee.post(update, data | {"status": "done", "result": "Проведено"}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE
    assert school_admin_client.get(update).status_code == 404
    delete = reverse("network:activity_delete", args=[activity.pk])
    assert school_admin_client.post(delete).status_code == 404
    assert methodist_client.get(delete).status_code == 200
    assert mentee.post(delete).status_code == 302
    assert not PairActivity.objects.exists()


def test_organisation_panel(net, methodist_client, client, other_methodist_client):
    url = reverse("clusters:organisation_detail", args=[net.T1.pk])
    html = methodist_client.get(url).content.decode()
    assert 'data-testid="pairs-panel"' in html and "Школа T1 → Школа L1" in html and "Школа T1 → Школа L2" in html
    html = school_client(client, net.L1).get(reverse("clusters:organisation_detail", args=[net.L1.pk])).content.decode()
    assert "Школа T1 → Школа L1" in html and "Школа L2" not in html
    assert other_methodist_client.get(url).status_code == 404


def test_cluster_panel(net, methodist_client, observer_client, client):
    url = reverse("clusters:cluster_detail", args=[net.cluster.pk])
    html = methodist_client.get(url).content.decode()
    assert "Предложить пары" in html and "Школа T2 → Школа L3" in html and "Школа T1 → Школа L2" in html
    html = observer_client.get(url).content.decode()
    assert "Предложить пары" not in html and "Школа T2 → Школа L3" in html
    html = school_client(client, net.T2).get(url).content.decode()
    panel = html.split('data-testid="pairs-panel"')[1].split("</section>")[0]
    assert "Школа T2 → Школа L3" in panel and "Школа L2" not in panel


def test_confirm_and_reject_pages_mark_required_fields(net, methodist_client, observer_client):
    # Browser review: the goal, start date and reason were required only after the first submit.
    confirm = methodist_client.get(reverse("network:pair_confirm", args=[net.pair.pk])).content.decode()
    reject = methodist_client.get(reverse("network:pair_reject", args=[net.pair.pk])).content.decode()
    assert confirm.count("asteriskField") == 2 and reject.count("asteriskField") == 1
    assert observer_client.get(reverse("network:pair_confirm", args=[net.pair.pk])).status_code == 403


def test_update_page_shows_the_pairs_current_values(net, methodist_client, observer_client):
    # Browser review: the edit page came up blank (FormView's empty `initial` replaced the pair's values),
    # so saving it would have cleared the goal and dates.
    net.pair.goal, net.pair.starts_on = "Поднять z по русскому языку", datetime.date(2021, 9, 15)
    net.pair.save(update_fields=["goal", "starts_on"])
    url = reverse("network:pair_update", args=[net.pair.pk])
    form = methodist_client.get(url).context["form"]
    assert form["mentor_organisation"].value() == net.T1.pk and form["subject"].value() == RU
    assert form["goal"].value() == "Поднять z по русскому языку"
    assert form["starts_on"].value() == datetime.date(2021, 9, 15)
    assert observer_client.get(url).status_code == 403
