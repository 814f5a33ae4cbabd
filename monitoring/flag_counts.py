"""Counting teachers per organisation under several conditions in one pass, each condition tested once
per teacher.

`Count("pk", filter=A & B)` for many columns repeats A in every column that uses it: a share over
«community members» tests membership once for the denominator and again in each numerator, five
probes of the same hash per teacher where one would do. Here every distinct condition becomes one
boolean column of the teachers' rows (a flag), and the counts are taken over the flags:

    SELECT organisation_id, COUNT(CASE WHEN f0 THEN 1 END), COUNT(CASE WHEN f0 AND f1 THEN 1 END), …
    FROM (SELECT organisation_id, <condition 0> AS f0, <condition 1> AS f1 … FROM teachers OFFSET 0) t
    GROUP BY organisation_id

(OFFSET 0 keeps PostgreSQL from folding the flags back into each count.) Conditions are told apart by
the SQL they compile to, so the same condition built twice is still one flag.
"""
from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet


def counts_per_organisation(teachers: QuerySet, columns: list[tuple[Q, ...]]) -> dict[int, tuple[int, ...]]:
    """organisation pk → for each column, the rows of `teachers` meeting all its conditions (none: all
    rows). Organisations without rows are absent."""
    connection = connections[teachers.db]
    query = teachers.query.chain()
    compiler = query.get_compiler(teachers.db)
    flags: dict[object, str] = {}  # compiled condition → flag name
    annotations: dict[str, ExpressionWrapper] = {}

    def flag(condition: Q) -> str:
        expression = ExpressionWrapper(condition, output_field=BooleanField())
        try:
            signature = compiler.compile(expression.resolve_expression(query))
            signature = (signature[0], tuple(signature[1]))
        except (EmptyResultSet, FullResultSet):  # compiled only inside a query: never merged with another
            signature = id(expression)
        if signature not in flags:
            flags[signature] = f"f{len(flags)}"
            annotations[flags[signature]] = expression
        return flags[signature]

    quote = connection.ops.quote_name
    counts = []
    for conditions in columns:
        names = [quote(flag(condition)) for condition in conditions]
        counts.append(f"COUNT(CASE WHEN {' AND '.join(names)} THEN 1 END)" if names else "COUNT(*)")
    inner = teachers.order_by().annotate(**annotations).values_list("organisation_id", *annotations)
    inner_sql, params = inner.query.sql_with_params()
    if connection.vendor == "postgresql":
        inner_sql += " OFFSET 0"
    sql = (f"SELECT {quote('organisation_id')}, {', '.join(counts)} FROM ({inner_sql}) AS teachers "
           f"GROUP BY {quote('organisation_id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
