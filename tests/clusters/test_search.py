"""Search that finds (issue 14, item 3): Cyrillic case, «ё» = «е», any word order, part of a word — on SQLite
and PostgreSQL alike, because both sides are normalised in Python (core/search.py)."""
import pytest
from django.urls import reverse

from clusters import imports
from clusters.models import Mentorship, Organisation, Teacher
from core.search import matches, normalise, words
from events.services.attendance import search_teachers
from tests.clusters.test_import import TEACHER_HEADER, make_xlsx
from tests.factories import EventFactory, MentorshipFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_normalise_folds_cyrillic_case_and_yo():
    assert normalise("  ЖУРАВЛЁВА  Анна\tЁлкина ") == "журавлева анна елкина"
    assert normalise("Журавле\u0308ва") == "журавлева"  # «ё» typed as «е» + combining diaeresis
    assert normalise(None) == ""


def test_words_are_distinct_and_capped():
    assert words("Ирина ирина Абрамова") == ["ирина", "абрамова"]
    assert len(words(" ".join(f"w{i}" for i in range(20)))) == 8


def test_matches_in_memory_follows_the_same_rule():
    assert matches("Абрамова Ирина Сергеевна", "ирина абрам")
    assert not matches("Абрамова Ирина Сергеевна", "ирина петрова")


@pytest.fixture
def registry(school_a, school_b, school_other_district):
    """Two Абрамовы (one of them Ирина), one Журавлёва, somebody else; and an Абрамова of district B."""
    return {
        "irina": TeacherFactory(organisation=school_a, full_name="Абрамова Ирина Сергеевна"),
        "olga": TeacherFactory(organisation=school_b, full_name="Абрамова Ольга Петровна"),
        "zhuravleva": TeacherFactory(organisation=school_a, full_name="Журавлёва Анна Викторовна"),
        "other": TeacherFactory(organisation=school_a, full_name="Петров Иван Ильич"),
        "foreign": TeacherFactory(organisation=school_other_district, full_name="Абрамова Нина Ивановна"),
    }


def _found(client, query) -> set[str]:
    response = client.get(reverse("clusters:teacher_list"), {"q": query})
    assert response.status_code == 200
    return {t.full_name for t in response.context["object_list"]}


@pytest.mark.parametrize("query", ["Абрамова", "абрамова", "АБРАМОВА", "абрам"])
def test_teacher_list_ignores_cyrillic_case_and_finds_part_of_a_word(methodist_client, registry, query):
    assert _found(methodist_client, query) == {"Абрамова Ирина Сергеевна", "Абрамова Ольга Петровна"}


@pytest.mark.parametrize("query", ["журавлева", "Журавлёва", "ЖУРАВЛЕВА", "журавлёв"])
def test_teacher_list_takes_yo_for_e(methodist_client, registry, query):
    assert _found(methodist_client, query) == {"Журавлёва Анна Викторовна"}


@pytest.mark.parametrize("query", ["Ирина Абрамова", "абрамова ирина", "ирин абрамов", "Сергеевна  Ирина"])
def test_teacher_list_finds_words_in_any_order(methodist_client, registry, query):
    assert _found(methodist_client, query) == {"Абрамова Ирина Сергеевна"}


def test_every_word_must_match(methodist_client, registry):
    assert _found(methodist_client, "Ирина Журавлёва") == set()


def test_search_keeps_the_personas_scope(school_admin_client, other_methodist_client, registry):
    # school_admin sees school A only: Ирина yes, Ольга (school B) no; district B's methodist sees only Нина.
    assert _found(school_admin_client, "абрамова") == {"Абрамова Ирина Сергеевна"}
    assert _found(other_methodist_client, "абрамова") == {"Абрамова Нина Ивановна"}


def test_anonymous_is_refused_the_search(anonymous, registry):
    response = anonymous.get(reverse("clusters:teacher_list"), {"q": "абрамова"})
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_organisation_list_finds_name_and_code_in_any_case(methodist_client, school_a, school_b):
    Organisation.objects.filter(pk=school_a.pk).update(full_name="Государственное бюджетное учреждение «Ёлочка»")
    response = methodist_client.get(reverse("clusters:organisation_list"), {"q": "елочка ou-a"})
    assert [o.pk for o in response.context["object_list"]] == [school_a.pk]


def test_mentorship_list_finds_mentor_and_mentee_words_together(methodist_client, registry):
    MentorshipFactory(mentor=registry["irina"], mentee=registry["zhuravleva"])
    MentorshipFactory(mentor=registry["olga"], mentee=registry["other"])
    response = methodist_client.get(reverse("clusters:mentorship_list"), {"q": "журавлева абрамова"})
    assert [m.mentor_id for m in response.context["object_list"]] == [registry["irina"].pk]


# --- the column stays filled on every write path ----------------------------------------------------------


def test_save_with_update_fields_refreshes_the_column(registry):
    teacher = registry["other"]
    teacher.full_name = "Ёжикова Алла"
    teacher.save(update_fields=["full_name"])
    assert Teacher.objects.get(pk=teacher.pk).search_text.startswith("ежикова алла ")


def test_bulk_writes_and_update_refresh_the_column(school_a):
    created = Teacher.objects.bulk_create([
        Teacher(organisation=school_a, personnel_number="B-1", full_name="Щукина Ёлка", position="Учитель")])
    assert Teacher.objects.get(pk=created[0].pk).search_text == "щукина елка b-1 учитель"
    created[0].position = "Педагог-психолог"
    Teacher.objects.bulk_update(created, ["position"])
    assert Teacher.objects.get(pk=created[0].pk).search_text == "щукина елка b-1 педагог-психолог"
    Teacher.objects.filter(pk=created[0].pk).update(subject_area="ХИМИЯ")
    assert Teacher.objects.get(pk=created[0].pk).search_text == "щукина елка b-1 педагог-психолог химия"


def test_imported_teachers_are_found(methodist, methodist_client, school_a):
    existing = TeacherFactory(organisation=school_a, personnel_number="T-1", full_name="Старое ФИО")
    file = make_xlsx([
        TEACHER_HEADER,
        ["T-1", "OU-A", "Журавлёва Анна Петровна", "учитель", "математика", 12.0, "1985", "высшая"],
        ["T-2", "OU-A", "Абрамова Ирина Ивановна", "учитель", "физика", 1, 1999, "Первая"],
    ])
    result = imports.import_teachers(user=methodist, file=file)
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert _found(methodist_client, "журавлева") == {"Журавлёва Анна Петровна"}  # updated by bulk_update
    assert _found(methodist_client, "ирина абрамова") == {"Абрамова Ирина Ивановна"}  # created by bulk_create
    assert _found(methodist_client, "старое") == set()
    existing.refresh_from_db()
    assert existing.search_text == "журавлева анна петровна t-1 учитель математика"


def test_event_check_in_search_finds_lower_case_and_yo(registry, district_a):
    event = EventFactory(district=district_a)
    assert {t.full_name for t in search_teachers(event, "журавлева анна")} == {"Журавлёва Анна Викторовна"}
    assert search_teachers(event, "  ").count() == 0


def test_refresh_repairs_rows_written_around_the_queryset(registry):
    # A raw write (as a restore or SQL by hand would do) leaves the column stale until refreshed.
    Teacher.objects.filter(pk=registry["other"].pk).update(search_text="")
    assert Teacher.objects.filter(pk=registry["other"].pk).refresh_search_text() == 1
    assert Teacher.objects.get(pk=registry["other"].pk).search_text.startswith("петров иван ильич")
    assert Mentorship.objects.all().refresh_search_text() == 0


def test_postgresql_has_trigram_indexes_for_contains():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's; SQLite scans the column")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'clusters_%%_search_trgm'")
        assert {row[0] for row in cursor.fetchall()} == {"clusters_teacher_search_trgm",
                                                        "clusters_organisation_search_trgm"}
