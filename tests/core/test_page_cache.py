"""Pages kept per reader and table versions (core/page_cache.py, core/table_versions.py).

A kept page must come back only while nothing it shows has changed — whatever path the change took — and
only to its own reader; its forms must carry the reader's own CSRF token.
"""
import re

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.middleware.csrf import _does_token_match, _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Organisation
from core import page_cache, table_versions
from tests.factories import OrganisationFactory
from tests.monitoring.factories import PeriodFactory, ProgrammeFactory

ORGANISATIONS = reverse("clusters:organisation_list")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def pages_kept(settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["charts"].clear()
    page_cache._tables_read.clear()
    yield
    caches["charts"].clear()


def state(response) -> str:
    assert response.status_code == 200
    return response["X-Page-Cache"]


def without_token(response) -> str:
    text = re.sub(r'"X-CSRFToken": "[A-Za-z0-9]+"', "", response.content.decode())
    return TOKEN.sub("", text)


def secret_of(client) -> str:
    value = client.cookies["csrftoken"].value
    return _unmask_cipher_token(value) if len(value) == 64 else value


def warm(client, url):
    """The first request learns the tables a page reads (and a client's first page keeps the navbar's names in
    its session), a later one keeps it: by the third the page is served. Returns the first response."""
    responses = [client.get(url) for _ in range(3)]
    states = [state(r) for r in responses]
    assert states[0] == "miss" and states[-1] == "hit", states
    return responses[0]


def test_a_kept_page_is_the_page(methodist_client, school_a):
    first = warm(methodist_client, ORGANISATIONS)
    kept = methodist_client.get(ORGANISATIONS)
    assert state(kept) == "hit"
    # The same page but for the CSRF tokens of the layout (logout, htmx), masked anew on every request.
    assert without_token(kept) == without_token(first)
    assert "ГБОУ СОШ № 1" in kept.content.decode()


def test_a_kept_page_costs_the_session_the_user_and_one_read_of_versions(methodist_client, school_a):
    warm(methodist_client, ORGANISATIONS)
    with CaptureQueriesContext(connection) as queries:
        assert state(methodist_client.get(ORGANISATIONS)) == "hit"
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 3, sql
    assert table_versions.TABLE in sql[2] and "clusters_organisation" in sql[2]


def _rename_with_save(org):
    org.short_name = "Переименована"
    org.save()


def _rename_with_update(org):
    Organisation.objects.filter(pk=org.pk).update(short_name="Переименована")


def _rename_with_sql(org):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE clusters_organisation SET short_name = %s WHERE id = %s", ["Переименована", org.pk])


def _add_with_bulk_create(org):
    Organisation.objects.bulk_create([Organisation(district=org.district, code="NEW", short_name="Переименована",
                                                   full_name="Новая школа")])


@pytest.mark.parametrize("change", [_rename_with_save, _rename_with_update, _rename_with_sql, _add_with_bulk_create])
def test_any_write_to_a_table_the_page_reads_shows_at_once(methodist_client, school_a, change):
    warm(methodist_client, ORGANISATIONS)
    change(school_a)
    after = methodist_client.get(ORGANISATIONS)
    assert state(after) == "miss"
    assert "Переименована" in after.content.decode()


def test_each_write_of_one_transaction_shows(methodist_client, school_a):
    """The test itself is one transaction on PostgreSQL: the trigger moves a table's version once per transaction
    until the table's versions are read again, so a second write after a reading must move it again."""
    warm(methodist_client, ORGANISATIONS)
    _rename_with_update(school_a)
    assert "Переименована" in methodist_client.get(ORGANISATIONS).content.decode()
    methodist_client.get(ORGANISATIONS)  # kept now, with the first name
    Organisation.objects.filter(pk=school_a.pk).update(short_name="Второе имя")
    after = methodist_client.get(ORGANISATIONS)
    assert state(after) == "miss" and "Второе имя" in after.content.decode()


def test_a_deleted_row_is_gone_at_once(methodist_client, school_a, school_b):
    warm(methodist_client, ORGANISATIONS)
    school_b.delete()
    after = methodist_client.get(ORGANISATIONS)
    assert state(after) == "miss" and "ГБОУ СОШ № 2" not in after.content.decode()


def test_a_rolled_back_write_keeps_the_page(methodist_client, school_a):
    warm(methodist_client, ORGANISATIONS)
    with pytest.raises(RuntimeError), transaction.atomic():
        _rename_with_update(school_a)
        raise RuntimeError
    assert state(methodist_client.get(ORGANISATIONS)) == "hit"


def test_a_write_elsewhere_keeps_the_page(methodist_client, school_a):
    warm(methodist_client, ORGANISATIONS)
    ProgrammeFactory(district=school_a.district)  # monitoring: not read by the organisation list
    assert state(methodist_client.get(ORGANISATIONS)) == "hit"


def test_another_reader_never_gets_the_page_of_another(methodist, district_a, school_a, login):
    """Allowed: a second methodist of the district renders their own; refused: a methodist of another district
    gets the list of their own district, and a detail page of district A stays a 404 for them."""
    first = login(methodist)
    warm(first, ORGANISATIONS)
    detail = school_a.get_absolute_url()
    warm(first, detail)
    from tests.factories import UserFactory

    colleague = login(UserFactory(role=methodist.role, district=district_a, username="colleague"))
    assert state(colleague.get(ORGANISATIONS)) == "miss"
    own = OrganisationFactory(short_name="Лицей другого района")
    stranger = login(UserFactory(role=methodist.role, district=own.district, username="stranger"))
    page = stranger.get(ORGANISATIONS).content.decode()
    assert "Лицей другого района" in page and detail not in page
    assert stranger.get(detail).status_code == 404


def test_a_school_administrator_is_refused_the_district_list_even_when_it_is_kept(methodist_client, school_admin_client,
                                                                                  school_a):
    warm(methodist_client, ORGANISATIONS)
    assert school_admin_client.get(ORGANISATIONS).status_code == 403


def test_forms_of_a_kept_page_carry_the_readers_own_csrf_token(methodist, district_a, login):
    """The plan/fact table has POST buttons (recompute): the token kept is never served; each reader's is put in."""
    programme = ProgrammeFactory(district=district_a)
    PeriodFactory(programme=programme, year=2021)
    url = reverse("monitoring:programme_detail", args=[programme.pk])
    first = login(methodist)
    first_token = TOKEN.search(first.get(url).content.decode()).group(1)
    warm(first, url)
    from tests.factories import UserFactory

    second = Client(enforce_csrf_checks=True)
    second.force_login(UserFactory(role=methodist.role, district=district_a, username="second"))
    warm(second, url)
    kept = second.get(url)
    tokens = TOKEN.findall(kept.content.decode())
    assert len(tokens) >= 2 and first_token not in tokens  # the recompute button and the logout
    assert all(_does_token_match(token, secret_of(second)) for token in tokens)
    assert not any(_does_token_match(token, secret_of(first)) for token in tokens)
    assert page_cache.CSRF_PLACEHOLDER not in kept.content.decode()


def test_htmx_requests_and_refused_pages_are_never_kept(methodist_client, school_a, other_methodist_client):
    for _ in range(3):
        response = methodist_client.get(ORGANISATIONS, headers={"HX-Request": "true"})
        assert response.status_code == 200 and "X-Page-Cache" not in response  # rendered, never looked up
    detail = school_a.get_absolute_url()
    for _ in range(3):
        assert other_methodist_client.get(detail).status_code == 404
    assert not [k for k in caches["charts"]._cache if "page:" in k]


def test_versions_move_with_each_committed_write_only(school_a):
    tables = frozenset({"clusters_organisation"})
    before = table_versions.versions_of(tables)
    assert before  # the factory's insert already moved it
    _rename_with_sql(school_a)
    after_sql = table_versions.versions_of(tables)
    assert after_sql != before
    with pytest.raises(RuntimeError), transaction.atomic():
        _rename_with_update(school_a)
        raise RuntimeError
    assert table_versions.versions_of(tables) == after_sql


def test_every_table_of_the_apps_has_its_trigger(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE t.tgname LIKE %s", [table_versions.TRIGGER_PREFIX + "%"])
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           [table_versions.TRIGGER_PREFIX + "%"])
        with_trigger = {row[0] for row in cursor.fetchall()}
    assert table_versions.tracked_tables() <= with_trigger
    assert "imc_portal_user" in with_trigger and "clusters_organisation" in with_trigger


def test_an_upsert_moves_the_version_too(school_a):
    """SQLite applies an outer upsert's conflict policy inside triggers: the slot must not be inserted twice."""
    tables = frozenset({"clusters_organisation"})
    before = table_versions.versions_of(tables)
    Organisation.objects.bulk_create(
        [Organisation(district=school_a.district, code=school_a.code, short_name="Переименована", full_name="x")],
        update_conflicts=True, unique_fields=["district", "code"], update_fields=["short_name"])
    school_a.refresh_from_db()
    assert school_a.short_name == "Переименована"
    assert table_versions.versions_of(tables) != before
