from decimal import Decimal

import pytest
from django.urls import reverse

from core.jobs import JobStatus
from core.scope import Scope
from monitoring.models import PeriodApproval, RecomputeJob, Value, ValueChange
from monitoring.services import period_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(network_programme):
    return {p.label: p for p in network_programme.periods.all()}


@pytest.fixture
def entered(network_programme):
    return network_programme.indicators.get(code="entered")


def _grid_url(programme, scope="district"):
    return reverse("monitoring:grid_edit", args=[programme.pk]) + f"?scope={scope}"


def _grid_post(client, programme, scope="district", **cells):
    """GET the grid, take every field's shown value, override `cells`, POST it back."""
    response = client.get(_grid_url(programme, scope))
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        initial = form.initial.get(name, field.initial)
        data[name] = "" if initial is None else initial
    data.update(cells)
    return data


def test_observer_reads_programme_but_school_admin_is_refused(observer_client, school_admin_client, network_programme):
    url = reverse("monitoring:programme_detail", args=[network_programme.pk])
    assert observer_client.get(url).status_code == 200
    assert school_admin_client.get(url).status_code == 403


def test_other_district_methodist_cannot_see_programme(other_methodist_client, network_programme):
    assert other_methodist_client.get(reverse("monitoring:programme_detail", args=[network_programme.pk])).status_code == 404
    assert network_programme not in other_methodist_client.get(reverse("monitoring:programme_list")).context["programmes"]


def test_methodist_enters_plan_and_fact_with_decimal_comma(methodist_client, network_programme, periods, entered):
    p = periods["2021"]
    data = _grid_post(methodist_client, network_programme, **{
        f"plan_{entered.pk}_{p.pk}": "40", f"fact_{entered.pk}_{p.pk}": "54,8",
        f"comment_{entered.pk}_{p.pk}": "по данным АИСУ «Параграф»", "reason": "ввод за 2021",
    })
    response = methodist_client.post(_grid_url(network_programme), data)
    assert response.status_code == 302
    value = Value.objects.get(indicator=entered, period=p)
    assert (value.plan, value.fact, value.comment) == (Decimal(40), Decimal("54.8"), "по данным АИСУ «Параграф»")
    table = methodist_client.get(response.url)
    assert "54,8" in table.content.decode()
    assert ValueChange.objects.filter(value=value, reason="ввод за 2021").count() == 2


def test_out_of_range_value_is_shown_beside_the_cell_and_nothing_saved(methodist_client, network_programme, periods, entered):
    p20, p21 = periods["2020"], periods["2021"]
    data = _grid_post(methodist_client, network_programme, **{
        f"plan_{entered.pk}_{p20.pk}": "10", f"fact_{entered.pk}_{p21.pk}": "154,8",
    })
    response = methodist_client.post(_grid_url(network_programme), data)
    assert response.status_code == 200
    assert "Процент должен быть от 0 до 100." in response.content.decode()
    assert not Value.objects.exists()


def test_text_in_a_number_cell_is_refused(methodist_client, network_programme, periods, entered):
    data = _grid_post(methodist_client, network_programme, **{f"plan_{entered.pk}_{periods['2021'].pk}": "сорок"})
    response = methodist_client.post(_grid_url(network_programme), data)
    assert "не число" in response.content.decode()
    assert not Value.objects.exists()


def test_second_editor_of_the_same_grid_is_refused_and_sees_the_change(
    methodist_client, director, login, network_programme, periods, entered, district_a
):
    from imc_portal.models import Role
    from tests.factories import UserFactory

    colleague = login(UserFactory(username="colleague", role=Role.METHODIST, district=district_a, last_name="Орлова"))
    p = periods["2021"]
    mine = _grid_post(methodist_client, network_programme, **{f"fact_{entered.pk}_{p.pk}": "50"})
    theirs = _grid_post(colleague, network_programme, **{f"fact_{entered.pk}_{p.pk}": "45"})
    assert colleague.post(_grid_url(network_programme), theirs).status_code == 302
    response = methodist_client.post(_grid_url(network_programme), mine)
    assert response.status_code == 200
    assert "другой пользователь изменил значения" in response.content.decode()
    assert "Орлова" in response.content.decode()
    assert Value.objects.get(indicator=entered, period=p).fact == Decimal(45)


def test_grid_change_in_a_period_approved_meanwhile_is_refused(
    methodist_client, director, network_programme, periods, entered, district_a
):
    p = periods["2021"]
    data = _grid_post(methodist_client, network_programme, **{f"fact_{entered.pk}_{p.pk}": "50"})
    period_approve(period=p, scope=Scope.of_district(district_a), user=director)
    response = methodist_client.post(_grid_url(network_programme), data)
    assert response.status_code == 200
    assert "— изменения запрещены" in response.content.decode()
    assert not Value.objects.exists()


def test_school_admin_cannot_change_plan_fact(school_admin_client, network_programme, periods, entered):
    p = periods["2021"]
    response = school_admin_client.post(_grid_url(network_programme), {f"plan_{entered.pk}_{p.pk}": "40"})
    assert response.status_code == 403
    assert not Value.objects.exists()


def test_director_cannot_edit_grid(director_client, network_programme):
    assert director_client.get(_grid_url(network_programme)).status_code == 403


def test_recompute_button_runs_the_job_and_stores_facts(
    methodist_client, small_district, network_programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = methodist_client.post(reverse("monitoring:recompute_start", args=[network_programme.pk]),
                                         {"scope": "district"})
    assert response.status_code == 302
    job = RecomputeJob.objects.get()
    assert (job.status, job.progress) == (JobStatus.SUCCEEDED, 100)
    assert job.message.startswith("Пересчёт завершён: новых значений ")
    value = Value.objects.get(indicator__code="net_schools_share", period__label="2021", scope_key="district")
    assert value.fact == Decimal(60)
    status = methodist_client.get(reverse("monitoring:recompute_status", args=[job.pk]))
    assert 'data-status="succeeded"' in status.content.decode()
    assert "hx-get" not in status.content.decode(), "a finished job is no longer polled"
    page = methodist_client.get(response.url).content.decode()
    assert "3 из 5" in page


def test_observer_cannot_start_recompute(observer_client, network_programme):
    url = reverse("monitoring:recompute_start", args=[network_programme.pk])
    assert observer_client.post(url).status_code == 403
    assert not RecomputeJob.objects.exists()


def test_director_approves_and_unlocks_methodist_cannot(director_client, methodist_client, network_programme, periods):
    p = periods["2021"]
    approve = reverse("monitoring:period_approve", args=[network_programme.pk, p.pk])
    assert methodist_client.post(approve, {"scope": "district"}).status_code == 403
    assert director_client.post(approve, {"scope": "district"}).status_code == 302
    assert PeriodApproval.objects.filter(period=p, revoked_at__isnull=True).count() == 1
    # Approving twice says so instead of failing.
    page = director_client.post(approve, {"scope": "district"}, follow=True).content.decode()
    assert "уже утверждён" in page
    unlock = reverse("monitoring:period_unlock", args=[network_programme.pk, p.pk])
    assert director_client.post(unlock, {"scope": "district"}).status_code == 302
    assert not PeriodApproval.objects.filter(revoked_at__isnull=True).exists()


def test_scope_of_another_district_is_not_found(methodist_client, network_programme, school_other_district):
    url = reverse("monitoring:programme_detail", args=[network_programme.pk])
    assert methodist_client.get(url, {"scope": f"organisation:{school_other_district.pk}"}).status_code == 404


def test_dashboard_draws_plan_fact_chart(methodist_client, network_programme, periods, entered, district_a, methodist):
    from monitoring.services import CellInput, values_save

    values_save(scope=Scope.of_district(district_a), user=methodist, cells=[
        CellInput(entered, periods["2020"], Decimal(10), Decimal(10)),
        CellInput(entered, periods["2021"], Decimal(40), Decimal("54.8")),
    ])
    response = methodist_client.get(reverse("monitoring:dashboard", args=[network_programme.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "54,8" in body
    assert "#2e7d32" in body  # achieved colour


def test_value_history_is_scoped(methodist_client, other_methodist_client, network_programme, periods, entered,
                                 district_a, methodist):
    from monitoring.services import CellInput, values_save

    values_save(scope=Scope.of_district(district_a), user=methodist,
                cells=[CellInput(entered, periods["2021"], Decimal(40), Decimal(50))])
    value = Value.objects.get()
    url = reverse("monitoring:value_history", args=[value.pk])
    assert methodist_client.get(url).status_code == 200
    assert other_methodist_client.get(url).status_code == 404


def test_period_buttons_follow_the_workflow_state(director_client, methodist_client, director, network_programme,
                                                 periods, district_a):
    """The director sees «Утвердить» on an open period and «Снять утверждение» on an approved one."""
    period_approve(period=periods["2020"], scope=Scope.of_district(district_a), user=director)
    page = director_client.get(reverse("monitoring:programme_detail", args=[network_programme.pk])).content.decode()
    approve_2021 = reverse("monitoring:period_approve", args=[network_programme.pk, periods["2021"].pk])
    assert 'data-testid="period-approve-2021"' in page and approve_2021 in page
    assert 'data-testid="period-reopen-2021"' not in page
    assert 'data-testid="period-reopen-2020"' in page and 'data-testid="period-approve-2020"' not in page
    # A methodist may not make either transition: no buttons at all.
    page = methodist_client.get(reverse("monitoring:programme_detail", args=[network_programme.pk])).content.decode()
    assert "data-testid=\"period-" not in page
    assert "Снять утверждение" not in page


def test_programme_page_links_the_xlsx_export(observer_client, network_programme):
    page = observer_client.get(reverse("monitoring:programme_detail", args=[network_programme.pk]),
                               {"scope": "district"}).content.decode()
    assert f'{reverse("monitoring:export", args=[network_programme.pk])}?scope=district' in page
