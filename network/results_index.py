"""The default tier method's numbers, computed in the database (docs/domain.md, «Уровни по результатам»).

For one district and one year of results:

    z of a result row   = (its mean score − mean of the mean scores of the district's organisations in the
                           same procedure × subject × grade × year) / their population standard deviation
    result index        = Σ participants · z / Σ participants over the organisation's rows of that year
    subject z           = the same weighted mean over the organisation's rows of one subject

A row whose group has a single organisation or no spread (σ = 0) has no z and is left out of both
means (nothing to compare with); an organisation whose rows all lack z has no index.

One SQL statement per question, with window functions (PostgreSQL and SQLite alike): the group mean
and the mean of squares over `PARTITION BY procedure, subject, grade` give σ = √(E[x²] − E[x]²),
so nothing is fetched row by row. Index and subject z are rounded to three decimals (ROUND_HALF_UP)
before they are compared with the thresholds — the number a methodist sees is the number that decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from clusters.models import Organisation

from .models import AssessmentResult, Procedure

INDEX_PLACES = Decimal("0.001")
_MIN_VARIANCE = 1e-9  # below it the group has no spread (rounding noise of E[x²] − E[x]²)


def rounded(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(INDEX_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OrganisationIndex:
    organisation_id: int
    index: Decimal  # rounded to 3 decimals
    participants: int  # Σ participants of the rows with z (the weights)
    rows: int  # rows with z


@dataclass(frozen=True)
class ZRow:
    """One result row with the numbers its z came from (the tiers page shows them)."""

    result_id: int
    organisation_id: int
    procedure: str
    subject: str
    grade: int
    year: int
    participants: int
    mean_score: Decimal
    group_mean: Decimal | None
    group_sd: Decimal | None
    group_size: int
    z: Decimal | None


def _z_rows_sql() -> str:
    """Every result row of the district and year with its group's mean, σ and size, and its z."""
    results = AssessmentResult._meta.db_table
    organisations = Organisation._meta.db_table
    # Arithmetic in double precision: PostgreSQL's numeric SQRT and division per row made the query 2.5 times
    # slower than GROUP BY + STDDEV_POP (benchmarks/network_tiers.py); the numbers are rounded to 3 decimals.
    # «DOUBLE PRECISION» is a float8 in PostgreSQL and a REAL (affinity from «DOUB») in SQLite.
    x = "CAST(r.mean_score AS DOUBLE PRECISION)"
    return f"""
        WITH stats AS (
            SELECT r.id, r.organisation_id, r.procedure_id, r.subject, r.grade, r.year, r.participants,
                   r.mean_score, {x} AS x,
                   AVG({x}) OVER grp AS g_mean,
                   AVG({x} * {x}) OVER grp AS g_sq,
                   COUNT(*) OVER grp AS g_n
              FROM {results} r
              JOIN {organisations} o ON o.id = r.organisation_id
             WHERE o.district_id = %s AND r.year = %s
            WINDOW grp AS (PARTITION BY r.procedure_id, r.subject, r.grade)
        ), spread AS (
            SELECT stats.*, CASE WHEN g_n > 1 AND g_sq - g_mean * g_mean > {_MIN_VARIANCE}
                                 THEN SQRT(g_sq - g_mean * g_mean) END AS g_sd
              FROM stats
        )
        SELECT spread.*, (x - g_mean) / g_sd AS z FROM spread
    """


def organisation_indices(district_id: int, year: int) -> dict[int, OrganisationIndex]:
    """organisation id → its result index for `year` (organisations without a z-row are absent)."""
    sql = f"""
        SELECT organisation_id, SUM(participants * z) / SUM(participants), SUM(participants), COUNT(*)
          FROM ({_z_rows_sql()}) AS zr
         WHERE z IS NOT NULL
         GROUP BY organisation_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [district_id, year])
        return {
            org_id: OrganisationIndex(org_id, rounded(index), int(weight), int(count))
            for org_id, index, weight, count in cursor.fetchall()
        }


def subject_z(district_id: int, year: int) -> dict[tuple[int, str], Decimal]:
    """(organisation id, subject) → participants-weighted mean z of its rows of that subject in `year`."""
    sql = f"""
        SELECT organisation_id, subject, SUM(participants * z) / SUM(participants)
          FROM ({_z_rows_sql()}) AS zr
         WHERE z IS NOT NULL
         GROUP BY organisation_id, subject
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [district_id, year])
        return {(org_id, subject): rounded(z) for org_id, subject, z in cursor.fetchall()}


def z_rows(district_id: int, year: int, organisation_ids: list[int] | None = None) -> list[ZRow]:
    """The rows behind the indices (of some organisations only, when given), with their groups' numbers."""
    sql = f"SELECT * FROM ({_z_rows_sql()}) AS zr"
    params: list = [district_id, year]
    if organisation_ids is not None:
        if not organisation_ids:
            return []
        sql += f" WHERE organisation_id IN ({', '.join(['%s'] * len(organisation_ids))})"
        params += list(organisation_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        raw = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    procedures = dict(Procedure.objects.filter(pk__in={r["procedure_id"] for r in raw}).values_list("pk", "name"))
    rows = [
        ZRow(
            result_id=r["id"], organisation_id=r["organisation_id"], procedure=procedures[r["procedure_id"]],
            subject=r["subject"], grade=r["grade"], year=r["year"], participants=r["participants"],
            mean_score=Decimal(str(r["mean_score"])), group_mean=rounded(r["g_mean"]),
            group_sd=rounded(r["g_sd"]), group_size=int(r["g_n"]), z=rounded(r["z"]),
        )
        for r in raw
    ]
    rows.sort(key=lambda row: (row.organisation_id, row.procedure, row.subject, row.grade))
    return rows
