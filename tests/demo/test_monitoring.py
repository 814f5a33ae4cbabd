"""The monitoring demo: the seeds' tables come out of the database exactly, computed facts from the registry.

The whole demo loads once for tests/demo (tests/demo/conftest.py) inside a transaction that is
rolled back at the end, so the other test folders never see it. The numbers below are typed
from the seeds, not imported from demo.monitoring_data.
"""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from demo.monitoring import MonitoringDemoError, demo_programmes, load_monitoring_demo, reset_monitoring_demo
from demo.monitoring_data import PROJECT_CONCLUSIONS
from demo.reports import reset_reports_demo
from imc_portal.models import User
from monitoring.calculations import quantize
from monitoring.models import (
    Indicator,
    Period,
    PeriodApproval,
    Programme,
    Source,
    Value,
    ValueChange,
)
from monitoring.services import recompute_programme
from monitoring.units import Unit
from tests.demo.conftest import FAST_HASHERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def district_values(district_code: str, indicator_code: str) -> dict[str, Value]:
    """label → the district-level value of one indicator of the district's demo programme."""
    values = Value.objects.filter(
        indicator__programme__district__code=district_code, indicator__code=indicator_code, scope_key="district"
    ).select_related("period", "updated_by")
    return {value.period.label: value for value in values}


def plan_fact(value: Value) -> tuple[Decimal | None, Decimal | None]:
    return value.plan, value.fact


def test_frunzensky_table_of_the_spravka():
    """Seed 000: 2020 plan/fact 10/10, 10/10, 10/20; 2021 plans 20, 40, 30; 2021 facts 30 %, 54,8 %, 30 %."""
    cpd = district_values("frunzensky", "net_teachers_cpd_share")
    schools = district_values("frunzensky", "net_schools_share")
    innovation = district_values("frunzensky", "net_teachers_innovation_share")
    assert plan_fact(cpd["2020"]) == (10, 10)
    assert plan_fact(schools["2020"]) == (10, 10)
    assert plan_fact(innovation["2020"]) == (10, 20)
    assert (cpd["2021"].plan, schools["2021"].plan, innovation["2021"].plan) == (20, 40, 30)

    assert quantize(schools["2021"].fact, 1) == Decimal("54.8")
    assert (schools["2021"].numerator, schools["2021"].denominator) == (69, 126)
    assert quantize(cpd["2021"].fact, 1) == Decimal("30.0")
    assert quantize(innovation["2021"].fact, 1) == Decimal("30.0")
    for value in (cpd["2021"], schools["2021"], innovation["2021"]):
        assert value.fact_source == Source.COMPUTED and value.computed_at is not None

    # The ИОМ indicator has no row in the справка: no 2020 value and no 2021 plan.
    iom = district_values("frunzensky", "net_teachers_iom_share")
    assert "2020" not in iom and iom["2021"].plan is None

    codes = list(Indicator.objects.filter(programme__code="network-effectiveness").values_list("code", flat=True))
    assert codes == ["net_schools_share", "net_teachers_cpd_share", "net_teachers_iom_share",
                     "net_teachers_innovation_share"]


def test_frunzensky_2020_is_historical_and_approved_so_recompute_leaves_it():
    schools = district_values("frunzensky", "net_schools_share")["2020"]
    assert schools.fact_source == Source.ENTERED and schools.numerator is None
    assert schools.updated_by.username == "metodist"
    change = schools.changes.get(field="fact")
    assert change.reason == "Перенесено из аналитической справки за 2020 год"
    assert change.changed_by.username == "metodist"

    approval = PeriodApproval.objects.get(period=schools.period, scope_key="district", revoked_at__isnull=True)
    assert approval.approved_by.username == "direktor"

    result = recompute_programme(schools.period.programme)  # every period, as the nightly run does
    assert result.skipped_locked >= 1
    schools.refresh_from_db()
    assert (schools.fact, schools.fact_source) == (10, Source.ENTERED)


def test_sayansk_participation_counts_and_competencies():
    """Seed 001: «Участники» 350/450/526/582, «Не участвовали» 255/155/79/29, 58/74/87/97,8 %."""
    labels = ["2016/17", "2017/18", "2018/19", "2019/20"]
    participants = district_values("sayansk", "participants")
    assert [participants[label].fact for label in labels] == [350, 450, 526, 582]
    non_participants = district_values("sayansk", "non_participants")
    assert [non_participants[label].fact for label in labels] == [255, 155, 79, 29]
    reported = district_values("sayansk", "participation_share_reported")
    assert [reported[label].fact for label in labels] == [58, 74, 87, Decimal("97.8")]

    periods = Period.objects.filter(programme__district__code="sayansk").order_by("ends_on")
    assert [(p.label, p.starts_on.isoformat(), p.ends_on.isoformat()) for p in periods][0] == (
        "2016/17", "2016-09-01", "2017-08-31"
    )

    # Computed from the registry for 2019/20: 582 of 608 teachers, «95,7% от общего количества».
    computed = district_values("sayansk", "community_participation_share")
    assert computed["2019/20"].fact_source == Source.COMPUTED
    assert quantize(computed["2019/20"].fact, 1) == Decimal("95.7")

    methodical = district_values("sayansk", "competency_methodical")
    assert {label: value.fact for label, value in methodical.items()} == {
        "2016/17": Decimal("0.573"), "2018/19": Decimal("0.667"), "2019/20": Decimal("0.668"),
    }
    # Computed from the 582 teachers' individual results of 2019/20, not typed (demo/diagnostics.py draws them).
    assert methodical["2019/20"].fact_source == Source.COMPUTED and methodical["2019/20"].denominator == 582
    inclusive = district_values("sayansk", "competency_inclusive")
    assert [inclusive[label].fact for label in ("2016/17", "2018/19", "2019/20")] == [
        Decimal("0.273"), Decimal("0.277"), Decimal("0.28")
    ]
    assert Indicator.objects.filter(programme__district__code="sayansk", unit=Unit.INDEX,
                                    section="Уровень сформированности компетенций").count() == 8
    activity = district_values("sayansk", "digital_activity")
    assert {label: value.fact for label, value in activity.items()} == {
        "2017/18": Decimal("0.39"), "2018/19": Decimal("0.78"), "2019/20": Decimal("0.81"),
    }


def test_krasnoselsky_self_assessment_scores():
    """Seed 003, table 1 rows 2 and 4: 4, 5, 6, 8 and 0, 3, 5, «-»."""
    checkpoints = ["Июнь 2021", "Декабрь 2021", "Декабрь 2022", "Декабрь 2023"]
    row_2 = Indicator.objects.get(programme__district__code="krasnoselsky", code="digital_2")
    assert row_2.name == (
        "Ежегодно осуществляется обновление электронного образовательного контента для педагогических "
        "работников (не менее 10 образовательных модулей)."
    )
    assert row_2.section == "Цифровая трансформация" and row_2.unit == Unit.SCORE
    scores = district_values("krasnoselsky", "digital_2")
    assert [scores[label].fact for label in checkpoints] == [4, 5, 6, 8]

    scores = district_values("krasnoselsky", "digital_4")
    assert [scores[label].fact for label in checkpoints[:3]] == [0, 3, 5]
    assert "Декабрь 2023" not in scores

    quality = district_values("krasnoselsky", "quality_lab_4")
    assert "Июнь 2021" not in quality and quality["Декабрь 2021"].fact == 2

    programme = Programme.objects.get(district__code="krasnoselsky", code="development-2020-2024")
    assert programme.indicators.count() == 9 + 3 + 5 + 3 + 4
    assert Value.objects.filter(indicator__programme=programme).count() == 24 * 4 - 3  # three «-»
    assert list(programme.periods.values_list("label", flat=True)) == checkpoints
    assert [p.ends_on.isoformat() for p in programme.periods.all()][::3] == ["2021-06-30", "2023-12-31"]
    assert PROJECT_CONCLUSIONS["Наставник"].startswith("Вывод: в ИМЦ разработан и реализуется комплекс мер")
    assert len(PROJECT_CONCLUSIONS) == 5


def test_kirovsky_criteria_over_five_years():
    programme = Programme.objects.get(district__code="kirovsky", code="support-criteria")
    assert list(programme.periods.values_list("label", flat=True)) == ["2020", "2021", "2022", "2023", "2024"]
    units = set(programme.indicators.values_list("unit", flat=True))
    assert units == {Unit.YES_NO, Unit.POINTS, Unit.PERCENT}
    # The criteria typed for five years; computed ones beside them: six from the diagnostics (demo/monitoring.py)
    # and two the surveys demo adds.
    entered = programme.indicators.filter(source="entered")
    assert entered.count() == 27
    assert Value.objects.filter(indicator__in=entered, plan__isnull=False, fact__isnull=False).count() == 27 * 5
    assert programme.indicators.filter(source="computed").count() == 6 + 2
    reports = programme.indicators.get(code="growth_5")
    assert reports.method.startswith("Наличие аналитической справки –о результатах ВПр– 1 балл")


def test_second_load_changes_nothing():
    models = (Programme, Period, Indicator, Value, ValueChange, PeriodApproval)
    before = {model: model.objects.count() for model in models}
    out = StringIO()
    load_monitoring_demo(stdout=out)
    assert {model: model.objects.count() for model in models} == before
    assert out.getvalue().count("внесено значений 0") == 5  # four seeds' programmes and the network effect
    assert "пересчёт" not in out.getvalue()  # every period already has its computed facts
    assert len(demo_programmes()) == 5


@pytest.mark.usefixtures("small_kirovsky_diagnostics")
def test_reset_clears_the_way_for_the_registry_reset():
    """Monitoring rows protect the demo districts and the approving director; reset removes them first."""
    reset_reports_demo()  # the demo's signed reports refer to three of the programmes
    assert reset_monitoring_demo() > 0
    assert not demo_programmes() and not PeriodApproval.objects.exists()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", "--reset", stdout=StringIO())
    load_monitoring_demo()
    assert len(demo_programmes()) == 5
    schools = district_values("frunzensky", "net_schools_share")
    assert quantize(schools["2021"].fact, 1) == Decimal("54.8")


def test_missing_registry_user_is_a_clear_error():
    """Entering the figures needs the methodist (a rerun that enters nothing does not ask for her)."""
    reset_reports_demo()
    reset_monitoring_demo()
    User.objects.filter(username="metodist_kirov").delete()
    with pytest.raises(MonitoringDemoError, match="metodist_kirov.*load_demo"):
        load_monitoring_demo()
