"""Search that finds on SQLite and PostgreSQL alike: Cyrillic case, «ё» = «е», any word order, part of a word.

Why a stored column and not LOWER()/ILIKE in the query: SQLite's LOWER() and LIKE fold ASCII only
(«абрамова» did not find «Абрамова»), and neither database treats «ё» as «е». So every searched model
keeps `search_text` = `normalise()` of its searched fields, computed in Python (one rule on both
databases), and a query normalises the user's text the same way and asks each word to be *contained*
in one of the searched columns — a plain LIKE/contains over already folded text.

How the column stays filled: `SearchTextMixin.save()` for forms and services, and
`SearchTextQuerySet` (the models' `objects`) for bulk_create / bulk_update / update, which the XLSX
imports, the demo loader and the benchmarks use and which never call save().
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from django.db import DatabaseError, connections, models, transaction
from django.db.models import Q, QuerySet

MAX_WORDS = 8  # a pasted paragraph would otherwise become dozens of LIKEs
REFRESH_BATCH = 500
GIN_FLUSH_ROWS = 200  # a bulk insert this big moves its search index entries out of GIN's pending list


def normalise(text: object) -> str:
    """Lower case (Cyrillic too), «ё» → «е», one space between words.

    NFC first: «ё» typed as «е» + combining diaeresis becomes one letter before it is replaced.
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFC", str(text)).casefold().replace("ё", "е")
    return " ".join(folded.split())


def words(query: str | None) -> list[str]:
    """The distinct normalised words of a query, in order, at most MAX_WORDS."""
    seen: dict[str, None] = {}
    for word in normalise(query).split():
        seen.setdefault(word, None)
    return list(seen)[:MAX_WORDS]


def matching(qs: QuerySet, query: str | None, fields: Sequence[str] = ("search_text",)) -> QuerySet:
    """Rows where every word of `query` is contained in at least one of `fields` (normalised columns,
    e.g. "search_text", "teacher__search_text"). An empty query returns `qs` unchanged."""
    for word in words(query):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__contains": word})
        qs = qs.filter(condition)
    return qs


def matches(text: str | None, query: str | None) -> bool:
    """The same rule in Python, for lists held in memory."""
    haystack = normalise(text)
    return all(word in haystack for word in words(query))


def search_text_of(obj: models.Model, fields: Iterable[str]) -> str:
    return " ".join(part for part in (normalise(getattr(obj, name, "")) for name in fields) if part)


class SearchTextMixin:
    """For a model with `search_text = models.TextField(editable=False, blank=True, default="")` and
    `SEARCH_FIELDS`: keeps the column filled on every save()."""

    SEARCH_FIELDS: tuple[str, ...] = ()

    def refresh_search_text(self) -> None:
        self.search_text = search_text_of(self, self.SEARCH_FIELDS)

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCH_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        return super().save(*args, **kwargs)


def flush_search_index(model: type[models.Model], using: str = "default") -> None:
    """Move the pending entries of the table's GIN indexes (the pg_trgm index on `search_text`, migration
    clusters 0009) into the index proper, on PostgreSQL.

    GIN adds new rows to a «pending list» that every search reads in full until VACUUM — or autovacuum,
    which waits for 1,000 + 20 % of the table's rows to be inserted — merges it. After the demo's 8,644
    teachers the teacher search read the whole list on every request (the trigram index scan 21 ms, the
    page's count and rows 3–18 ms each); merged: 0.07 ms and 0.7 ms. A bulk import of a district's
    teachers is that case too. The call needs the table's owner (the portal's database user in every
    deployment of docs/); refused, the search still works, as before.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
                [connection.ops.quote_name(model._meta.db_table)],
            )
    except DatabaseError:
        pass


class SearchTextQuerySet(models.QuerySet):
    """Bulk writes bypass save(); these keep `search_text` filled anyway (and its GIN index merged)."""

    def _touches_search(self, fields: Iterable[str]) -> bool:
        return bool(set(fields) & set(self.model.SEARCH_FIELDS))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.refresh_search_text()
        update_fields = kwargs.get("update_fields")  # upsert (update_conflicts=True)
        if update_fields and self._touches_search(update_fields) and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        created = super().bulk_create(objs, *args, **kwargs)
        if len(objs) >= GIN_FLUSH_ROWS:
            flush_search_index(self.model, self.db)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        fields = list(fields)
        if self._touches_search(fields):
            objs = list(objs)
            for obj in objs:
                obj.refresh_search_text()
            if "search_text" not in fields:
                fields.append("search_text")
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        if "search_text" in fields and updated >= GIN_FLUSH_ROWS:
            flush_search_index(self.model, self.db)
        return updated

    def update(self, **kwargs):
        if not self._touches_search(kwargs):
            return super().update(**kwargs)
        # The new values may be expressions: write them, then recompute from what the database holds.
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        self.model._default_manager.filter(pk__in=pks).refresh_search_text()
        return count

    def refresh_search_text(self) -> int:
        """Recompute the column for these rows (a repair, or after a raw write); returns rows changed."""
        changed = []
        for obj in self.only("pk", "search_text", *self.model.SEARCH_FIELDS).iterator(chunk_size=REFRESH_BATCH):
            old = obj.search_text
            obj.refresh_search_text()
            if obj.search_text != old:
                changed.append(obj)
        self.model._default_manager.bulk_update(changed, ["search_text"], batch_size=REFRESH_BATCH)
        return len(changed)
