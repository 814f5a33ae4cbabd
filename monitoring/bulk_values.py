"""Writing computed facts in bulk: compared with the stored values in one query, the new ones written in one
insert, the changed ones in one update and their history in one insert — whatever the number of values.

On PostgreSQL the rows travel as array literals (INSERT … SELECT … FROM unnest(…), UPDATE … FROM unnest(…)):
one statement each and no model object per row, and the comparison happens in the database, so a recompute
that changes nothing reads nothing back. A row created by someone else between the comparison and the
insert turns the insert into an upsert (ON CONFLICT, twice the cost of a plain insert, so only then).
Elsewhere (SQLite: the tests, a laptop) the same through bulk_create(update_conflicts=True).

A row that exists gets the new fact, numerator and denominator, becomes computed and moves to the next
version; its plan, comment and who last typed in it stay. Locked scopes are the caller's business.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction

from .models import Period, Source, Value, ValueChange

RECOMPUTE_REASON = "пересчёт"
UPDATED_FIELDS = ["fact", "numerator", "denominator", "fact_source", "computed_at", "updated_at", "version"]


class Stored(NamedTuple):
    """A stored value as the recompute compares it."""

    pk: int
    fact: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    version: int

    @property
    def numbers(self) -> tuple:
        return self.fact, self.numerator, self.denominator


class Computed(NamedTuple):
    """A new fact of one indicator and scope (a tuple, so that a list of them turns into columns at C speed)."""

    indicator_id: int
    scope_kind: str
    cluster_id: int | None
    organisation_id: int | None
    scope_key: str
    fact: Decimal | None
    numerator: Decimal
    denominator: Decimal

    @property
    def numbers(self) -> tuple:
        return self.fact, self.numerator, self.denominator


def stored_values(period: Period, indicator_ids, *, pks=None, lock: bool = False) -> dict[tuple[int, str], Stored]:
    """(indicator pk, scope key) → the stored value, in one query; `pks` narrows to those rows, `lock`
    locks them until the transaction ends."""
    rows = Value.objects.filter(period=period, indicator_id__in=list(indicator_ids)).order_by()
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    if lock:
        rows = rows.select_for_update()
    return {
        (indicator_id, key): Stored(pk, fact, numerator, denominator, version)
        for pk, indicator_id, key, fact, numerator, denominator, version in rows.values_list(
            "pk", "indicator_id", "scope_key", "fact", "numerator", "denominator", "version")
    }


def differing(period: Period, indicator_ids, rows: list[Computed]) -> dict[tuple[int, str], Stored | None]:
    """(indicator pk, scope key) → the stored value of each row whose numbers differ from it (None: not
    stored yet), in one query. On PostgreSQL the database compares and sends back only those rows,
    so a recompute that changes nothing reads nothing."""
    if connection.vendor != "postgresql":
        stored = stored_values(period, indicator_ids)
        return {key: current for row in rows
                if (current := stored.get(key := (row.indicator_id, row.scope_key))) is None
                or current.numbers != row.numbers}
    if not rows:
        return {}
    if not Value.objects.filter(period=period, indicator_id__in=list(indicator_ids)).exists():
        return dict.fromkeys(((row.indicator_id, row.scope_key) for row in rows), None)  # a first write
    value = _quoted(Value._meta.db_table)
    pk, indicator, period_column, scope_key, fact, numerator, denominator, version = _columns(
        Value, ["id", "indicator", "period", "scope_key", "fact", "numerator", "denominator", "version"])
    sql = (
        f"SELECT u.i, v.{pk}, v.{fact}, v.{numerator}, v.{denominator}, v.{version} "
        "FROM unnest(%s::bigint[], %s::varchar[], %s::numeric[], %s::numeric[], %s::numeric[]) "
        "WITH ORDINALITY AS u(indicator_id, scope_key, fact, numerator, denominator, i) "
        f"LEFT JOIN {value} AS v ON v.{indicator} = u.indicator_id AND v.{period_column} = %s "
        f"AND v.{scope_key} = u.scope_key "
        f"WHERE v.{pk} IS NULL OR v.{fact} IS DISTINCT FROM u.fact OR v.{numerator} IS DISTINCT FROM u.numerator "
        f"OR v.{denominator} IS DISTINCT FROM u.denominator"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_arrays(rows, ["indicator_id", "scope_key", "fact", "numerator", "denominator"]),
                             period.pk])
        found = cursor.fetchall()
    return {(rows[i - 1].indicator_id, rows[i - 1].scope_key): Stored(*current) if current[0] is not None else None
            for i, *current in found}


def write_computed(period: Period, district_id: int, rows: list[Computed], stored: dict[tuple[int, str], Stored],
                   now: datetime.datetime) -> None:
    """Write `rows`: the new values and the changed ones (their stored state is in `stored`, locked)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        _bulk_create(period, district_id, rows, stored, now)
        return
    new = [row for row in rows if (row.indicator_id, row.scope_key) not in stored]
    if new:
        try:
            with transaction.atomic():  # a savepoint: a row created meanwhile fails only this statement
                _insert_postgresql(period, district_id, new, now, upsert=False)
        except IntegrityError:  # a grid saved a plan in an empty cell meanwhile: the values go onto it
            _insert_postgresql(period, district_id, new, now, upsert=True)
    changed = [(stored[row.indicator_id, row.scope_key].pk, row) for row in rows
               if (row.indicator_id, row.scope_key) in stored]
    if changed:
        _update_postgresql(changed, now)


def _bulk_create(period: Period, district_id: int, rows: list[Computed], stored: dict[tuple[int, str], Stored],
                 now: datetime.datetime) -> None:
    objects = []
    for row in rows:
        current = stored.get((row.indicator_id, row.scope_key))
        objects.append(Value(
            district_id=district_id, scope_kind=row.scope_kind, cluster_id=row.cluster_id,
            organisation_id=row.organisation_id, scope_key=row.scope_key, indicator_id=row.indicator_id,
            period=period, fact=row.fact, numerator=row.numerator, denominator=row.denominator,
            fact_source=Source.COMPUTED, computed_at=now, updated_at=now,
            version=current.version + 1 if current else 1,
        ))
    Value.objects.bulk_create(objects, batch_size=1000, update_conflicts=True,
                              unique_fields=["indicator", "period", "scope_key"], update_fields=UPDATED_FIELDS)


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model, names: list[str]) -> list[str]:
    return [_quoted(model._meta.get_field(name).column) for name in names]


def _array(values) -> str:
    """A PostgreSQL array literal ('{1,NULL,"organisation:7"}') of ints, Decimals or texts: parsed by the
    server in one go, where a list sent as ARRAY[…] costs an expression per element (ten times slower
    for 8,000 values)."""
    values = list(values)
    if isinstance(next((value for value in values if value is not None), None), str):  # a column holds one type
        text = "" if None in values else '","'.join(values)
        if text and '"' not in text and "\\" not in text:  # scope keys and kinds: nothing to escape
            return '{"' + text + '"}'
        return "{" + ",".join("NULL" if value is None else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
                              for value in values) + "}"
    return "{" + ",".join(map(str, values)).replace("None", "NULL") + "}"  # str(int or Decimal) never says None


def _arrays(rows: list[Computed], fields: list[str]) -> list[str]:
    columns = dict(zip(Computed._fields, zip(*rows, strict=True), strict=True))
    return [_array(columns[name]) for name in fields]


_ROW_TYPES = ["bigint", "varchar", "bigint", "bigint", "varchar", "numeric", "numeric", "numeric"]


def _insert_postgresql(period: Period, district_id: int, rows: list[Computed], now: datetime.datetime, *,
                       upsert: bool) -> None:
    """One INSERT … SELECT FROM unnest(…); with `upsert`, rows that exist take the new numbers and move
    to the next version (ON CONFLICT costs twice a plain insert, so only when a plain one failed)."""
    table = _quoted(Value._meta.db_table)
    columns = _columns(Value, [
        "district", "period", "fact_source", "comment", "computed_at", "updated_at", "version",
        "indicator", "scope_kind", "cluster", "organisation", "scope_key", "fact", "numerator", "denominator",
    ])
    arrays = ", ".join(f"%s::{kind}[]" for kind in _ROW_TYPES)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT %s, %s, %s, '', %s, %s, 1, u.* FROM unnest({arrays}) AS u"
    if upsert:
        keys = ", ".join(_columns(Value, ["indicator", "period", "scope_key"]))
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in _columns(Value, UPDATED_FIELDS[:-1]))
        version = _columns(Value, ["version"])[0]
        sql += f" ON CONFLICT ({keys}) DO UPDATE SET {updates}, {version} = {table}.{version} + 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [district_id, period.pk, Source.COMPUTED, now, now, *_arrays(rows, list(Computed._fields))])


def _update_postgresql(changed: list[tuple[int, Computed]], now: datetime.datetime) -> None:
    """One UPDATE … FROM unnest(…) of the changed rows by primary key."""
    table = _quoted(Value._meta.db_table)
    pk, fact, numerator, denominator, source, computed_at, updated_at, version = _columns(
        Value, ["id", *UPDATED_FIELDS])
    rows = [row for _, row in changed]
    sql = (
        f"UPDATE {table} AS v SET {fact} = u.fact, {numerator} = u.numerator, {denominator} = u.denominator, "
        f"{source} = %s, {computed_at} = %s, {updated_at} = %s, {version} = v.{version} + 1 "
        "FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[]) AS u(id, fact, numerator, denominator) "
        f"WHERE v.{pk} = u.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Source.COMPUTED, now, now, _array(p for p, _ in changed),
                             *_arrays(rows, ["fact", "numerator", "denominator"])])


def record_recompute_history(changes: list[tuple[int, Decimal | None, Decimal | None]],
                             now: datetime.datetime) -> None:
    """One history row per (value pk, old fact, new fact), in one statement."""
    if not changes:
        return
    if connection.vendor != "postgresql":
        ValueChange.objects.bulk_create(
            [ValueChange(value_id=pk, field="fact", old=old, new=new, reason=RECOMPUTE_REASON)
             for pk, old, new in changes], batch_size=1000)
        return
    table = connection.ops.quote_name(ValueChange._meta.db_table)
    columns = ", ".join(_columns(ValueChange, ["field", "reason", "changed_at", "value", "old", "new"]))
    value_ids, olds, news = (list(column) for column in zip(*changes, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT 'fact', %s, %s, u.* "
            "FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS u",
            [RECOMPUTE_REASON, now, _array(value_ids), _array(olds), _array(news)],
        )
