"""Survey-based indicators against answers counted by hand; then plan/fact like any computed one."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from monitoring.computations import calculate, registered_calculations
from monitoring.models import Indicator, Period, PeriodKind, Programme, ScopeKind, Source, Value
from monitoring.services import recompute_programme
from monitoring.units import Unit
from surveys.indicators import SurveyIndicatorError
from surveys.models import Audience, Questionnaire, ResponseStatus
from surveys.shipped import (
    DPO_LISTENER,
    DPO_QUALITY_QUESTION,
    DPO_SATISFIED_TEXT,
    SUPPORT_CRITERIA,
    install_shipped_questionnaires,
)
from tests.factories import ClusterFactory, ClusterMembershipFactory, DistrictFactory, OrganisationFactory

from .factories import (
    NO,
    UNSURE,
    YES,
    make_campaign,
    respond,
    results_questionnaire,
    seven_responses,
)

pytestmark = pytest.mark.django_db

IN_2021 = timezone.make_aware(dt.datetime(2021, 5, 31, 18, 0))
SHARE = "survey_option_share"
AVERAGE = "survey_criteria_average"


def moment(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def programme(district_a):
    programme = Programme.objects.create(district=district_a, code="surveys", name="Качество методического сопровождения",
                                         period_kind=PeriodKind.YEAR)
    for year in (2021, 2022):
        Period.objects.create(programme=programme, label=str(year), starts_on=dt.date(year, 1, 1),
                              ends_on=dt.date(year, 12, 31))
    return programme


@pytest.fixture
def year_2021(programme):
    return programme.periods.get(label="2021")


@pytest.fixture
def shipped():
    return install_shipped_questionnaires()


def by_scope(results) -> dict[str, tuple[Decimal, Decimal]]:
    out = {}
    for result in results:
        key = {ScopeKind.DISTRICT: "district", ScopeKind.CLUSTER: f"c{result.cluster_id}",
               ScopeKind.ORGANISATION: f"o{result.organisation_id}"}[result.scope_kind]
        out[key] = (result.numerator, result.denominator)
    return out


def quality_parameters() -> dict:
    return {"questionnaire_code": DPO_LISTENER, "question_code": DPO_QUALITY_QUESTION, "options": [DPO_SATISFIED_TEXT]}


def test_the_calculations_are_registered_when_the_surveys_app_loads():
    assert {SHARE, AVERAGE} <= set(registered_calculations())


def test_satisfied_with_quality_is_four_of_the_six_who_answered(shipped, district_a, year_2021):
    """docs/domain.md's «Доля получателей услуг ДПО, удовлетворённых качеством» on Приложение 1, q4:
    7 responses through the general link, 4 «Да…», 1 «Затрудняюсь», 1 «Скорее нет», 1 skipped → 4/6."""
    campaign = make_campaign(shipped[DPO_LISTENER], district_a, closes_at=IN_2021)
    for answer in (YES, YES, UNSURE, YES, NO, None, YES):
        respond(campaign, None, **({"q4": answer} if answer else {"q1": YES}))
    (district,) = calculate(SHARE, district_a.pk, year_2021, quality_parameters())
    assert (district.scope_kind, district.numerator, district.denominator) == (ScopeKind.DISTRICT, 4, 6)
    assert district.fact.quantize(Decimal("0.1")) == Decimal("66.7")


def test_per_organisation_and_cluster_with_small_groups_left_out(district_a, school_a, school_b, year_2021):
    """The seven responses plus R8 (A, «Скорее нет») and five more «Да» through the general link:
    of those who answered q1, A has 5, B 1, the general link 6.

    q1 «Да»: A R1 R2 R4 of 5 answered → 3/5, shown (the district without A leaves 7); B 0 of 1
    (R6 skipped) — fewer than five, no value; cluster {A, B} → 3/6, shown (the district without it
    leaves 6); the district → 9/12. A cluster of 2020 and a cluster with only B get nothing.
    """
    campaign = make_campaign(results_questionnaire(district_a), district_a, closes_at=IN_2021)
    seven_responses(campaign, school_a, school_b)
    respond(campaign, school_a, q1=NO)
    for _ in range(5):
        respond(campaign, None, q1=YES)
    both = ClusterFactory(district=district_a, year=2021, name="A и B")
    only_b = ClusterFactory(district=district_a, year=2021, name="Только B")
    old = ClusterFactory(district=district_a, year=2020, name="Прошлый год")
    for cluster, schools in ((both, (school_a, school_b)), (only_b, (school_b,)), (old, (school_a,))):
        for school in schools:
            ClusterMembershipFactory(cluster=cluster, organisation=school)
    parameters = {"questionnaire_code": "results-check", "question_code": "q1", "options": [YES]}
    got = by_scope(calculate(SHARE, district_a.pk, year_2021, parameters))
    assert got == {"district": (9, 12), f"c{both.pk}": (3, 6)}  # A not: the cluster minus A is B's one answer


def test_a_value_is_withheld_when_the_rest_of_its_parent_is_small(district_a, school_a, school_b, year_2021):
    """Without the general-link answers the district (7) minus the cluster {A, B} (6) is one teacher,
    and minus A (5) two: neither the cluster nor A gets a value (secondary suppression)."""
    campaign = make_campaign(results_questionnaire(district_a), district_a, closes_at=IN_2021)
    seven_responses(campaign, school_a, school_b)
    respond(campaign, school_a, q1=NO)
    both = ClusterFactory(district=district_a, year=2021, name="A и B")
    for school in (school_a, school_b):
        ClusterMembershipFactory(cluster=both, organisation=school)
    parameters = {"questionnaire_code": "results-check", "question_code": "q1", "options": [YES]}
    assert by_scope(calculate(SHARE, district_a.pk, year_2021, parameters)) == {"district": (4, 7)}


def test_several_options_count_a_respondent_once(district_a, school_a, school_b, year_2021):
    """q2 «Консультации» or «Семинары»: R1 (both), R2, R5, R6 → 4 of the 6 who answered."""
    campaign = make_campaign(results_questionnaire(district_a), district_a, closes_at=IN_2021)
    seven_responses(campaign, school_a, school_b)
    parameters = {"questionnaire_code": "results-check", "question_code": "q2", "options": ["Консультации", "Семинары"]}
    got = by_scope(calculate(SHARE, district_a.pk, year_2021, parameters))
    assert got["district"] == (4, 6)


def test_a_grid_row_share(district_a, school_a, school_b, year_2021):
    """q3 row «Конкурсы»: «Нужно» R1 R6 R7 of the 5 who answered the row."""
    campaign = make_campaign(results_questionnaire(district_a), district_a, closes_at=IN_2021)
    seven_responses(campaign, school_a, school_b)
    parameters = {"questionnaire_code": "results-check", "question_code": "q3", "row": "Конкурсы",
                  "options": ["Нужно"]}
    assert by_scope(calculate(SHARE, district_a.pk, year_2021, parameters))["district"] == (3, 5)


def test_organisation_campaigns_have_a_value_for_every_organisation(district_a, school_a, school_b, year_2021):
    """Not anonymous: A «Да» 1/1, B «Скорее нет» 0/1; C's draft does not count → district 1/2."""
    school_c = OrganisationFactory(district=district_a)
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION), district_a,
                             closes_at=IN_2021)
    respond(campaign, school_a, q1=YES)
    respond(campaign, school_b, q1=NO)
    respond(campaign, school_c, q1=YES, status=ResponseStatus.DRAFT)
    parameters = {"questionnaire_code": "results-check", "question_code": "q1", "options": [YES]}
    got = by_scope(calculate(SHARE, district_a.pk, year_2021, parameters))
    assert got == {"district": (1, 2), f"o{school_a.pk}": (1, 1), f"o{school_b.pk}": (0, 1)}


def test_only_the_district_campaigns_of_the_questionnaire_ending_in_the_period_count(
    district_a, school_a, year_2021
):
    """Counted: closing 31.05.2021; closing at 00:00 on 01.01.2022 (the last answers came on 31.12);
    a second version of the questionnaire (same code). Not counted: closing a second after
    midnight, closing in 2020, another questionnaire, another district. One «Да» each."""
    questionnaire = results_questionnaire(district_a)
    version_2 = results_questionnaire(district_a, code="results-check-v2")
    Questionnaire.objects.filter(pk=version_2.pk).update(code="results-check", version=2)
    other_questionnaire = results_questionnaire(district_a, code="other")
    other_district = DistrictFactory()
    foreign = results_questionnaire(other_district)
    counted = [
        make_campaign(questionnaire, district_a, closes_at=IN_2021),
        make_campaign(questionnaire, district_a, closes_at=moment(2022, 1, 1, 0, 0)),
        make_campaign(version_2, district_a, closes_at=moment(2021, 3, 1, 12, 0)),
    ]
    ignored = [
        make_campaign(questionnaire, district_a, closes_at=moment(2022, 1, 1, 0, 0, 1)),
        make_campaign(questionnaire, district_a, closes_at=moment(2020, 12, 31, 23, 59)),
        make_campaign(other_questionnaire, district_a, closes_at=IN_2021),
        make_campaign(foreign, other_district, closes_at=IN_2021),
    ]
    for campaign in counted + ignored:
        respond(campaign, None, q1=YES)
    parameters = {"questionnaire_code": "results-check", "question_code": "q1", "options": [YES]}
    assert by_scope(calculate(SHARE, district_a.pk, year_2021, parameters)) == {"district": (3, 3)}


def test_no_campaign_in_the_period_gives_no_value(district_a, year_2021):
    parameters = {"questionnaire_code": "results-check", "question_code": "q1", "options": [YES]}
    assert calculate(SHARE, district_a.pk, year_2021, parameters) == []


@pytest.mark.parametrize("parameters, missing", [
    ({}, "Анкета"),
    ({"questionnaire_code": "x"}, "Вопрос"),
    ({"questionnaire_code": "x", "question_code": "q1"}, "Варианты ответа, которые считаются"),
    ({"questionnaire_code": "x", "question_code": "q1", "options": "Да"}, "Варианты ответа, которые считаются"),
])
def test_incomplete_parameters_are_refused_in_russian(district_a, year_2021, parameters, missing):
    with pytest.raises(SurveyIndicatorError, match=f"«{missing}»"):
        calculate(SHARE, district_a.pk, year_2021, parameters)


def criteria_answers(questionnaire, present: int) -> dict[str, str]:
    """The first `present` criteria «present» (1 балл each), the rest «Отсутствие» (0)."""
    answers = {}
    for index, question in enumerate(questionnaire.questions.prefetch_related("options").order_by("position")):
        options = sorted(question.options.all(), key=lambda o: o.points)
        answers[question.code] = (options[-1] if index < present else options[0]).text
    return answers


def test_criteria_average_of_the_responding_organisations(shipped, district_a, school_a, school_b, year_2021):
    """A scores 5, B 2, C's draft (16) does not count → district (5 + 2) / 2 = 3,5;
    A 5/1, B 2/1; cluster {A, C} has only A → 5/1."""
    school_c = OrganisationFactory(district=district_a)
    criteria = shipped[SUPPORT_CRITERIA]
    campaign = make_campaign(criteria, district_a, closes_at=IN_2021)
    respond(campaign, school_a, **criteria_answers(criteria, 5))
    respond(campaign, school_b, **criteria_answers(criteria, 2))
    respond(campaign, school_c, status=ResponseStatus.DRAFT, **criteria_answers(criteria, 16))
    cluster = ClusterFactory(district=district_a, year=2021)
    for school in (school_a, school_c):
        ClusterMembershipFactory(cluster=cluster, organisation=school)
    results = calculate(AVERAGE, district_a.pk, year_2021, {"questionnaire_code": SUPPORT_CRITERIA})
    assert by_scope(results) == {"district": (7, 2), f"o{school_a.pk}": (5, 1), f"o{school_b.pk}": (2, 1),
                                 f"c{cluster.pk}": (5, 1)}
    assert {r.scope_kind: r.fact for r in results if r.scope_kind == ScopeKind.DISTRICT} == {"district": Decimal("3.5")}


def test_survey_indicators_appear_in_plan_fact_after_recompute(shipped, programme, district_a, school_a, school_b):
    """An indicator a methodist defines (source computed, calculation, parameters) is recomputed
    like any other: the share 4/6 and the criteria average 3,5 become facts with provenance."""
    quality = Indicator(programme=programme, code="dpo_quality_share", unit=Unit.PERCENT, source=Source.COMPUTED,
                        name="Доля получателей услуг ДПО, удовлетворённых качеством", calculation=SHARE,
                        parameters=quality_parameters())
    quality.full_clean()
    quality.save()
    average = Indicator.objects.create(programme=programme, code="criteria_average", name="Средний балл по критериям",
                                       unit=Unit.POINTS, source=Source.COMPUTED, calculation=AVERAGE,
                                       parameters={"questionnaire_code": SUPPORT_CRITERIA})
    dpo = make_campaign(shipped[DPO_LISTENER], district_a, closes_at=IN_2021)
    for answer in (YES, YES, UNSURE, YES, NO, None, YES):
        respond(dpo, None, **({"q4": answer} if answer else {"q1": YES}))
    criteria = make_campaign(shipped[SUPPORT_CRITERIA], district_a, closes_at=IN_2021)
    respond(criteria, school_a, **criteria_answers(shipped[SUPPORT_CRITERIA], 5))
    respond(criteria, school_b, **criteria_answers(shipped[SUPPORT_CRITERIA], 2))

    recompute_programme(programme)

    value = Value.objects.get(indicator=quality, period__label="2021", scope_key="district")
    assert (value.numerator, value.denominator, value.fact_source) == (4, 6, Source.COMPUTED)
    assert value.fact.quantize(Decimal("0.1")) == Decimal("66.7")
    mean = Value.objects.get(indicator=average, period__label="2021", scope_key="district")
    assert (mean.numerator, mean.denominator, mean.fact) == (7, 2, Decimal("3.5"))
    assert Value.objects.get(indicator=average, period__label="2021", scope_key=f"organisation:{school_a.pk}").fact == 5
    assert not Value.objects.filter(indicator__in=[quality, average], period__label="2022").exists()
