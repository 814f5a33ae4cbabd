"""Campaigns for the ИМЦ: list, create/edit with validation, links, progress, close early."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.permissions import CAPABILITIES
from core.roles import Role
from surveys import services
from surveys.models import Campaign, CampaignLink, Response, ResponseStatus
from surveys.responses import SurveyError, anonymous_response_submit, organisation_response_save
from tests.factories import OrganisationFactory

from .factories import all_kinds_questionnaire, as_post, make_campaign, valid_answers


def _form(questionnaire, *, title="Опрос молодых педагогов", opens="2021-05-10T09:00", closes="2021-06-10T18:00",
          organisations=None) -> dict:
    data = {"questionnaire": questionnaire.pk, "title": title, "opens_at": opens, "closes_at": closes}
    if organisations is None:
        data["all_organisations"] = "on"
    else:
        data["organisations"] = [o.pk for o in organisations]
    return data


def _submit_anonymously(campaign, kinds, organisation, key):
    anonymous_response_submit(campaign=campaign, organisation=organisation, data=as_post(valid_answers(kinds)),
                              submission_key=key)


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_state_and_counts_of_own_district(
    methodist_client, kinds, org_kinds, district_a, district_b, school_a, school_b, school_admin
):
    teachers = make_campaign(kinds.questionnaire, district_a, organisations=[school_a], title="Опрос педагогов")
    for key in ("a" * 20, "b" * 20):
        _submit_anonymously(teachers, kinds, school_a, key)
    organisation = make_campaign(org_kinds.questionnaire, district_a, title="Критерии ОУ")
    organisation_response_save(campaign=organisation, user=school_admin, data=as_post(valid_answers(org_kinds)),
                               submit=True)
    make_campaign(kinds.questionnaire, district_a, state="scheduled", title="Будущий опрос")
    make_campaign(kinds.questionnaire, district_a, state="closed", title="Прошлый опрос")
    shared = all_kinds_questionnaire(None, code="shared")
    make_campaign(shared.questionnaire, district_b, title="Чужой опрос")

    page = methodist_client.get(reverse("surveys:campaign_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Чужой опрос" not in html
    rows = {c.title: c for c in page.context["campaigns"]}
    assert rows["Опрос педагогов"].response_count == 2 and rows["Опрос педагогов"].state_label == "идёт приём"
    assert rows["Критерии ОУ"].response_count == 1 and rows["Критерии ОУ"].addressed_count == 2
    assert "1 из 2" in html
    assert rows["Будущий опрос"].state_label == "запланирована"
    assert rows["Прошлый опрос"].state_label == "завершена"

    open_only = methodist_client.get(reverse("surveys:campaign_list") + "?state=open").context["campaigns"]
    assert {c.title for c in open_only} == {"Опрос педагогов", "Критерии ОУ"}


def test_list_queries_do_not_grow_with_campaigns(methodist_client, kinds, district_a, django_assert_max_num_queries):
    for n in range(12):
        make_campaign(kinds.questionnaire, district_a, title=f"Опрос {n}")
    with django_assert_max_num_queries(12):
        assert methodist_client.get(reverse("surveys:campaign_list")).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [
    ("director_client", 200), ("observer_client", 200), ("school_admin_client", 403), ("client", 302),
])
def test_list_access(request, persona, status, district_a):
    assert request.getfixturevalue(persona).get(reverse("surveys:campaign_list")).status_code == status


# --- create / edit -------------------------------------------------------------------------------


def test_methodist_creates_a_teacher_campaign_with_links(methodist_client, methodist, kinds, school_a, school_b):
    page = methodist_client.post(reverse("surveys:campaign_create"), _form(kinds.questionnaire, organisations=[school_a]))
    campaign = Campaign.objects.get()
    assert page.status_code == 302 and page["Location"] == campaign.get_absolute_url()
    assert campaign.district == methodist.district and campaign.created_by == methodist
    assert timezone.localtime(campaign.opens_at).strftime("%d.%m.%Y %H:%M") == "10.05.2021 09:00"
    assert list(campaign.organisations.all()) == [school_a]
    assert set(campaign.links.values_list("organisation", flat=True)) == {None, school_a.pk}


def test_a_questionnaire_page_may_preselect_the_questionnaire(methodist_client, kinds, district_b):
    page = methodist_client.get(reverse("surveys:campaign_create") + f"?questionnaire={kinds.questionnaire.pk}")
    assert f'<option value="{kinds.questionnaire.pk}" selected>' in page.content.decode()
    foreign = all_kinds_questionnaire(district_b, code="foreign")
    page = methodist_client.get(reverse("surveys:campaign_create") + f"?questionnaire={foreign.questionnaire.pk}")
    assert f'value="{foreign.questionnaire.pk}"' not in page.content.decode()


def test_all_organisations_means_the_active_ones_of_the_district(
    methodist_client, kinds, district_a, school_a, school_b, school_other_district
):
    OrganisationFactory(district=district_a, is_active=False, short_name="Закрытая школа")
    methodist_client.post(reverse("surveys:campaign_create"), _form(kinds.questionnaire))
    campaign = Campaign.objects.get()
    assert campaign.organisations.count() == 0
    assert set(campaign.links.values_list("organisation", flat=True)) == {None, school_a.pk, school_b.pk}


def test_organisation_campaign_has_no_public_links(methodist_client, org_kinds, school_a):
    methodist_client.post(reverse("surveys:campaign_create"), _form(org_kinds.questionnaire))
    assert not CampaignLink.objects.exists()


def test_dates_in_the_wrong_order_are_refused(methodist_client, kinds):
    page = methodist_client.post(reverse("surveys:campaign_create"),
                                 _form(kinds.questionnaire, opens="2021-06-10T18:00", closes="2021-05-10T09:00"))
    assert page.status_code == 200
    assert "должно быть позже начала" in page.content.decode()
    assert not Campaign.objects.exists()


def test_questionnaire_of_another_district_is_refused(methodist_client, methodist, district_b, school_a):
    foreign = all_kinds_questionnaire(district_b, code="foreign")
    page = methodist_client.post(reverse("surveys:campaign_create"), _form(foreign.questionnaire))
    assert page.status_code == 200 and page.context["form"].errors["questionnaire"]
    with pytest.raises(services.CampaignInvalidError) as refused:
        services.campaign_create(user=methodist, questionnaire=foreign.questionnaire, title="x",
                                 opens_at=timezone.now(), closes_at=timezone.now() + dt.timedelta(days=1))
    assert "другому району" in refused.value.errors["questionnaire"][0]
    assert not Campaign.objects.exists()


def test_a_shared_questionnaire_may_be_used(methodist_client, school_a):
    shared = all_kinds_questionnaire(None, code="shared")
    assert methodist_client.post(reverse("surveys:campaign_create"), _form(shared.questionnaire)).status_code == 302


def test_organisations_of_another_district_are_refused(methodist_client, methodist, kinds, school_other_district):
    page = methodist_client.post(reverse("surveys:campaign_create"),
                                 _form(kinds.questionnaire, organisations=[school_other_district]))
    assert page.status_code == 200 and page.context["form"].errors["organisations"]
    with pytest.raises(services.CampaignInvalidError) as refused:
        services.campaign_create(user=methodist, questionnaire=kinds.questionnaire, title="x",
                                 opens_at=timezone.now(), closes_at=timezone.now() + dt.timedelta(days=1),
                                 organisations=[school_other_district])
    assert "другого района: ГБОУ лицей № 3" in refused.value.errors["organisations"][0]
    assert not Campaign.objects.exists()


def test_no_organisation_chosen_is_refused(methodist_client, kinds, school_a):
    data = _form(kinds.questionnaire, organisations=[])
    page = methodist_client.post(reverse("surveys:campaign_create"), data)
    assert page.status_code == 200 and "Выберите организации" in page.content.decode()
    assert "Кампания не сохранена" in page.content.decode() and not Campaign.objects.exists()


@pytest.mark.parametrize("persona", ["director_client", "observer_client", "school_admin_client"])
def test_only_methodists_create(request, persona, kinds):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("surveys:campaign_create")).status_code == 403
    assert client.post(reverse("surveys:campaign_create"), _form(kinds.questionnaire)).status_code == 403
    assert not Campaign.objects.exists()


def test_methodist_edits_a_campaign(methodist_client, kinds, district_a, school_a, school_b):
    campaign = make_campaign(kinds.questionnaire, district_a, organisations=[school_a])
    page = methodist_client.post(reverse("surveys:campaign_update", args=[campaign.pk]),
                                 _form(kinds.questionnaire, title="Новое название", organisations=[school_a, school_b]))
    assert page.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Новое название"
    assert set(campaign.links.values_list("organisation", flat=True)) == {None, school_a.pk, school_b.pk}


def test_questionnaire_cannot_change_once_answered(methodist_client, kinds, district_a, school_a):
    campaign = make_campaign(kinds.questionnaire, district_a)
    _submit_anonymously(campaign, kinds, school_a, "k" * 20)
    other = all_kinds_questionnaire(district_a, code="other")
    page = methodist_client.post(reverse("surveys:campaign_update", args=[campaign.pk]), _form(other.questionnaire))
    assert page.status_code == 200 and "сменить анкету нельзя" in page.content.decode()
    campaign.refresh_from_db()
    assert campaign.questionnaire == kinds.questionnaire


def test_an_answered_organisation_cannot_be_removed(methodist_client, kinds, district_a, school_a, school_b):
    campaign = make_campaign(kinds.questionnaire, district_a, organisations=[school_a, school_b])
    _submit_anonymously(campaign, kinds, school_a, "k" * 20)
    page = methodist_client.post(reverse("surveys:campaign_update", args=[campaign.pk]),
                                 _form(kinds.questionnaire, organisations=[school_b]))
    assert "Нельзя исключить организации, от которых уже есть ответы: ГБОУ СОШ № 1" in page.content.decode()
    assert campaign.organisations.count() == 2


@pytest.mark.parametrize(("persona", "status"), [
    ("director_client", 403), ("observer_client", 403), ("school_admin_client", 403), ("other_methodist_client", 404),
])
def test_edit_refused(request, persona, status, kinds, district_a):
    campaign = make_campaign(kinds.questionnaire, district_a)
    client = request.getfixturevalue(persona)
    assert client.get(reverse("surveys:campaign_update", args=[campaign.pk])).status_code == status
    page = client.post(reverse("surveys:campaign_update", args=[campaign.pk]), _form(kinds.questionnaire, title="Взлом"))
    assert page.status_code == status
    campaign.refresh_from_db()
    assert campaign.title == "Опрос педагогов"


# --- the campaign page ---------------------------------------------------------------------------


def test_teacher_campaign_page_lists_absolute_links(methodist_client, kinds, district_a, school_a, school_b):
    campaign = make_campaign(kinds.questionnaire, district_a, organisations=[school_a, school_b])
    _submit_anonymously(campaign, kinds, school_b, "k" * 20)
    page = methodist_client.get(campaign.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "идёт приём" in html
    for link in campaign.links.all():
        assert f'value="http://testserver/s/{link.token}/"' in html
    table = html[html.index('data-testid="link-table"'):]
    assert table.index("Общая ссылка") < table.index("ГБОУ СОШ № 1") < table.index("ГБОУ СОШ № 2")
    assert [row.response_count for row, _ in page.context["links"]] == [0, 0, 1]
    assert "Изменить" in html and "Завершить приём сейчас" in html
    assert reverse("surveys:campaign_results", args=[campaign.pk]) in html


def test_links_xlsx(methodist_client, kinds, district_a, school_a):
    campaign = make_campaign(kinds.questionnaire, district_a, organisations=[school_a])
    page = methodist_client.get(reverse("surveys:campaign_links_export", args=[campaign.pk]))
    assert page.status_code == 200
    sheet = load_workbook(io.BytesIO(page.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Организация", "Ссылка для педагогов", "Получено ответов")
    token = campaign.links.get(organisation=school_a).token
    assert ("ГБОУ СОШ № 1", f"http://testserver/s/{token}/", 0) in rows


def test_organisation_campaign_page_shows_who_has_not_responded(
    methodist_client, org_kinds, district_a, school_a, school_b, school_admin, other_school_admin
):
    campaign = make_campaign(org_kinds.questionnaire, district_a)
    organisation_response_save(campaign=campaign, user=school_admin, data=as_post(valid_answers(org_kinds)),
                               submit=True)
    organisation_response_save(campaign=campaign, user=other_school_admin, data=as_post({}), submit=False)
    page = methodist_client.get(campaign.get_absolute_url())
    html = page.content.decode()
    assert "Отправили <strong>1</strong> из 2 (50,0&nbsp;%)" in html
    assert [(row.organisation, row.status_label) for row in page.context["progress"]] == [
        (school_a, "отправлена"), (school_b, "черновик"),
    ]
    assert page.context["pending"] == [school_b]
    assert reverse("surveys:campaign_links_export", args=[campaign.pk]) not in html
    assert methodist_client.get(reverse("surveys:campaign_links_export", args=[campaign.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["director_client", "observer_client"])
def test_director_and_observer_read_without_edit_buttons(request, persona, kinds, district_a):
    campaign = make_campaign(kinds.questionnaire, district_a)
    page = request.getfixturevalue(persona).get(campaign.get_absolute_url())
    assert page.status_code == 200
    assert "Завершить приём сейчас" not in page.content.decode()
    assert reverse("surveys:campaign_update", args=[campaign.pk]) not in page.content.decode()


def _buttons(page) -> set[str]:
    return set(re.findall(r'data-testid="campaign-(edit|close)"', page.content.decode()))


@pytest.mark.parametrize(("state", "buttons"), [
    ("scheduled", {"edit"}), ("open", {"edit", "close"}), ("closed", {"edit"}),
])
def test_campaign_page_buttons_follow_the_workflow_table(methodist_client, kinds, district_a, state, buttons):
    campaign = make_campaign(kinds.questionnaire, district_a, state=state)
    assert _buttons(methodist_client.get(campaign.get_absolute_url())) == buttons


def test_granting_the_capability_is_all_a_role_needs_for_the_buttons_and_the_service(
    monkeypatch, director_client, kinds, district_a
):
    """No role is written into the campaign pages or services: the table of core.permissions decides."""
    campaign = make_campaign(kinds.questionnaire, district_a)
    assert _buttons(director_client.get(campaign.get_absolute_url())) == set()
    monkeypatch.setitem(CAPABILITIES, "surveys.build", CAPABILITIES["surveys.build"] | {Role.DIRECTOR})
    assert _buttons(director_client.get(campaign.get_absolute_url())) == {"edit", "close"}
    director_client.post(reverse("surveys:campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.state() == "closed"


@pytest.mark.parametrize(("persona", "status"), [
    ("other_methodist_client", 404), ("school_admin_client", 403), ("client", 302),
])
def test_campaign_page_refused(request, persona, status, kinds, district_a):
    campaign = make_campaign(kinds.questionnaire, district_a)
    client = request.getfixturevalue(persona)
    assert client.get(campaign.get_absolute_url()).status_code == status
    assert client.get(reverse("surveys:campaign_links_export", args=[campaign.pk])).status_code == status


def test_methodist_reads_a_submitted_organisation_response(
    methodist_client, other_methodist_client, school_admin_client, org_kinds, district_a, school_admin,
    other_school_admin,
):
    campaign = make_campaign(org_kinds.questionnaire, district_a)
    submitted = organisation_response_save(campaign=campaign, user=school_admin,
                                           data=as_post(valid_answers(org_kinds)), submit=True)
    draft = organisation_response_save(campaign=campaign, user=other_school_admin,
                                       data=as_post({f"q{org_kinds.text.pk}": "черновик"}), submit=False)
    url = reverse("surveys:campaign_response_detail", args=[campaign.pk, submitted.public_id])
    page = methodist_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="РГПУ им. А.И. Герцена"' in html and "disabled" in html and "<form" not in html.split("survey-form")[1]
    assert methodist_client.get(
        reverse("surveys:campaign_response_detail", args=[campaign.pk, draft.public_id])
    ).status_code == 404
    assert other_methodist_client.get(url).status_code == 404
    assert school_admin_client.get(url).status_code == 403


# --- close early -----------------------------------------------------------------------------------


def test_methodist_closes_early_then_answers_are_refused(methodist_client, client, kinds, district_a, school_a):
    campaign = make_campaign(kinds.questionnaire, district_a)
    before = timezone.now()
    page = methodist_client.post(reverse("surveys:campaign_close", args=[campaign.pk]), follow=True)
    assert "Приём ответов завершён" in page.content.decode()
    campaign.refresh_from_db()
    assert before <= campaign.closes_at <= timezone.now() and campaign.state() == "closed"
    link = campaign.links.get(organisation=school_a)
    page = client.post(reverse("survey_public:respond", args=[link.token]),
                       {**valid_answers(kinds), "submission_key": "k" * 32})
    assert "Приём ответов завершён" in page.content.decode() and not Response.objects.exists()


@pytest.mark.parametrize(("state", "message"), [
    ("closed", "Приём ответов уже завершён"), ("scheduled", "Приём ответов ещё не начался"),
])
def test_closing_a_campaign_that_is_not_open_is_refused(methodist_client, kinds, district_a, state, message):
    campaign = make_campaign(kinds.questionnaire, district_a, state=state)
    closes_at = campaign.closes_at
    page = methodist_client.post(reverse("surveys:campaign_close", args=[campaign.pk]), follow=True)
    assert message in page.content.decode()
    campaign.refresh_from_db()
    assert campaign.closes_at == closes_at


@pytest.mark.parametrize(("persona", "status"), [
    ("director_client", 403), ("observer_client", 403), ("school_admin_client", 403), ("other_methodist_client", 404),
])
def test_close_refused(request, persona, status, kinds, district_a):
    campaign = make_campaign(kinds.questionnaire, district_a)
    closes_at = campaign.closes_at
    assert request.getfixturevalue(persona).post(reverse("surveys:campaign_close", args=[campaign.pk])).status_code == status
    campaign.refresh_from_db()
    assert campaign.closes_at == closes_at


def test_close_service_checks_the_district(other_methodist, kinds, district_a):
    campaign = make_campaign(kinds.questionnaire, district_a)
    with pytest.raises(SurveyError):
        services.campaign_close(campaign=campaign, user=other_methodist)


def test_organisation_drafts_stay_drafts_after_closing(methodist_client, org_kinds, district_a, school_admin):
    campaign = make_campaign(org_kinds.questionnaire, district_a)
    organisation_response_save(campaign=campaign, user=school_admin, data=as_post({}), submit=False)
    methodist_client.post(reverse("surveys:campaign_close", args=[campaign.pk]))
    assert Response.objects.get().status == ResponseStatus.DRAFT
