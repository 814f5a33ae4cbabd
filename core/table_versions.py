"""A version per database table, moved by the database itself on every write (issue 15.3).

`core_tableversion` (created by core/migrations/0003, no Django model, so `flush` leaves it alone) holds,
per table, one or more slots with a version number; a trigger on every table of the portal's apps gives a
slot a new number after each INSERT, UPDATE, DELETE or TRUNCATE. Any writer is seen — the ORM's save(),
update() and bulk_create(), raw SQL of an import, a migration, psql — and a rolled-back write moves nothing.
`versions_of(tables)` reads the slots of some tables in one query: two reads give the same answer exactly when
no write to those tables committed in between. core/page_cache.py keys rendered pages with it.

PostgreSQL: a statement-level trigger, once per table and transaction until that transaction reads the table's
versions again; the version comes from a sequence (never repeats, even after a rollback or a TRUNCATE). A writer takes a slot of the table with FOR UPDATE SKIP LOCKED and, if every slot is held by
other open transactions, adds one: writers never wait for each other here (a single counter row would make
concurrent writers of a table queue behind the slowest transaction, and two of them deadlock). SQLite (the
embedded default, one writer at a time): one slot per table, row-level triggers, a random new version.
"""
from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

TABLE = "core_tableversion"
PG_FUNCTION = "core_note_table_write"
TRIGGER_PREFIX = "core_tv_"

PG_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    slot bigserial PRIMARY KEY,
    table_name text NOT NULL,
    version bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_table ON {TABLE} (table_name, slot) INCLUDE (version);
CREATE SEQUENCE IF NOT EXISTS {TABLE}_seq;
"""
# Re-created after every migrate (install_triggers), so a change here reaches every database.
# Once per table and transaction (a transaction-local setting remembers it, undone with a rolled-back
# savepoint like the slot's update): the version shows at commit anyway, and a transaction of thousands of
# statements would otherwise stack thousands of row versions of one slot.
PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
    noted text := 'core_tv.' || TG_TABLE_NAME;
BEGIN
    IF current_setting(noted, true) = '1' THEN
        RETURN NULL;
    END IF;
    SELECT slot INTO taken FROM {TABLE} WHERE table_name = TG_TABLE_NAME
        ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF taken IS NULL THEN
        INSERT INTO {TABLE} (table_name, version) VALUES (TG_TABLE_NAME, nextval('{TABLE}_seq'));
    ELSE
        UPDATE {TABLE} SET version = nextval('{TABLE}_seq') WHERE slot = taken;
    END IF;
    PERFORM set_config(noted, '1', true);
    RETURN NULL;
END
$$;
"""
PG_DROP = f"DROP TABLE IF EXISTS {TABLE}; DROP SEQUENCE IF EXISTS {TABLE}_seq; DROP FUNCTION IF EXISTS {PG_FUNCTION}() CASCADE;"

SQLITE_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    slot integer PRIMARY KEY AUTOINCREMENT,
    table_name text NOT NULL UNIQUE,
    version integer NOT NULL
)
"""
SQLITE_DROP = f"DROP TABLE IF EXISTS {TABLE}"


def tracked_tables() -> frozenset[str]:
    """The tables of the portal's own apps (those inside the project), the user table among them."""
    root = str(settings.BASE_DIR)
    return frozenset(
        model._meta.db_table
        for config in apps.get_app_configs() if str(config.path).startswith(root)
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    )


def install_triggers(using_connection=None) -> int:
    """Put the write trigger on every tracked table that exists (idempotent; run after every migrate,
    since SQLite drops a table's triggers when a migration rebuilds it). Returns the number of tables."""
    conn = using_connection or connection
    with conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        if TABLE not in existing:
            return 0  # core's migration 0003 not applied yet
        tables = sorted(tracked_tables() & existing)
        if conn.vendor == "postgresql":
            cursor.execute(PG_FUNCTION_SQL)
        for table in tables:
            name = conn.ops.quote_name(table)
            if conn.vendor == "postgresql":
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}{table[:50]} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()")
            elif conn.vendor == "sqlite":
                literal = table.replace("'", "''")
                for event in ("INSERT", "UPDATE", "DELETE"):
                    trigger = f'"{TRIGGER_PREFIX}{table}_{event.lower()}"'
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                    # Not INSERT OR IGNORE: inside a trigger SQLite applies the outer statement's conflict
                    # policy instead, and an outer upsert (ON CONFLICT DO UPDATE) would fail on the slot.
                    cursor.execute(
                        f"CREATE TRIGGER {trigger} AFTER {event} ON {name} BEGIN "
                        f"INSERT INTO {TABLE} (table_name, version) SELECT '{literal}', 0 "
                        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE table_name = '{literal}'); "
                        f"UPDATE {TABLE} SET version = random() WHERE table_name = '{literal}'; END")
            else:  # another database: no versions, so core/page_cache.py never serves a stored page
                return 0
    return len(tables)


def versions_of(tables: frozenset[str]) -> list[tuple]:
    """Every slot (table, slot, version) of `tables`, sorted — one indexed query."""
    if not tables:
        return []
    names = sorted(tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Also forgets that this transaction already moved these tables' versions (the trigger's
            # once-per-transaction mark), so that its next write moves them again: a transaction that writes,
            # reads a page and writes again (a test, a job) does not get the first reading back. Evaluated once.
            cursor.execute(
                f"SELECT table_name, slot, version FROM {TABLE} WHERE table_name = ANY(%s) AND "
                f"(SELECT count(set_config('core_tv.' || t, '', true)) FROM unnest(%s::text[]) t) >= 0 ORDER BY 1, 2",
                [names, names])
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(f"SELECT table_name, slot, version FROM {TABLE} WHERE table_name IN ({marks}) ORDER BY 1, 2",
                           names)
        return cursor.fetchall()


def supported() -> bool:
    return connection.vendor in {"postgresql", "sqlite"}
