"""The registry scope: a whole district, one cluster of a year, or one organisation.

Monitoring keeps plan/fact per scope, survey results are narrowed to one, and a report names the
scope it is about — all with the same keys, which appear in URLs (`?scope=`, `?group=`) and are
stored in `monitoring.Value.scope_key` and `reports.Report.scope_key`:

    "district"          the whole district (the district itself is known from the context:
                        the programme's, the campaign's, the user's)
    "cluster:12"        the cluster with pk 12 (a cluster belongs to one year)
    "organisation:7"    the organisation with pk 7

An empty key means the district too (survey results send `?group=` empty for «Все ответы»).

Design. `Scope` is a value object: kind, id, label, district and, for a cluster, its year — no
queries. `core` imports nothing of the portal's, so the reads that need the registry's models
live in the registry's selectors (`clusters/selectors.py`): `scope_from_key(key, district=…)`
(parse and check that the object belongs to the district), `scope_choices(district, year=…,
organisations=…)` (the district, its clusters, its organisations as `Scope` objects in picker
order) and `scope_organisation_ids(scope)` (the organisations a scope covers; None for the whole
district, which also covers what belongs to no organisation, e.g. answers over a general link).
The apps above wrap these: monitoring turns a foreign key into a 404 and formats its picker,
surveys groups its filter and names the district «Все ответы». The `of_*` constructors read the
usual attributes of a registry object (pk, name, year, district_id) without importing its class.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import models
from django.utils.text import capfirst


class ScopeKind(models.TextChoices):
    DISTRICT = "district", "район"
    CLUSTER = "cluster", "кластер"
    ORGANISATION = "organisation", "организация"


DISTRICT_KEY = ScopeKind.DISTRICT.value


class ScopeNotFound(LookupError):
    """A key that is malformed or names nothing in the district (the caller answers 404)."""


def scope_key(kind: str, object_id: int | None = None) -> str:
    """"district", "cluster:12" or "organisation:7" — the one spelling of a scope in URLs and rows."""
    if kind == ScopeKind.DISTRICT:
        return DISTRICT_KEY
    if kind in (ScopeKind.CLUSTER, ScopeKind.ORGANISATION) and object_id is not None:
        return f"{kind}:{object_id}"
    raise ValueError(f"No scope key for kind {kind!r} and id {object_id!r}")


def parse_scope_key(key: str | None) -> tuple[str, int | None]:
    """("district", None), ("cluster", 12) or ("organisation", 7); ScopeNotFound if malformed."""
    key = (key or "").strip()
    if key in ("", DISTRICT_KEY):
        return ScopeKind.DISTRICT, None
    kind, _, raw_id = key.partition(":")
    if kind in (ScopeKind.CLUSTER, ScopeKind.ORGANISATION) and raw_id.isascii() and raw_id.isdigit():
        return ScopeKind(kind), int(raw_id)
    raise ScopeNotFound(f"Malformed scope key {key!r}")


@dataclass(frozen=True)
class Scope:
    kind: str
    id: int  # the pk of the district, the cluster or the organisation
    label: str  # what pages print: «Кировский», «кластер «Север» (2021)», «ГБОУ СОШ № 1»
    district_id: int
    year: int | None = None  # a cluster's year
    name: str = ""  # the object's own name (a picker shows «Кластер 2021: Север»)

    @classmethod
    def of_district(cls, district, *, label: str | None = None) -> Scope:
        return cls(ScopeKind.DISTRICT, district.pk, label or district.name, district.pk, name=district.name)

    @classmethod
    def of_cluster(cls, cluster, *, label: str | None = None) -> Scope:
        default = f"кластер «{cluster.name}» ({cluster.year})"
        return cls(ScopeKind.CLUSTER, cluster.pk, label or default, cluster.district_id, cluster.year, cluster.name)

    @classmethod
    def of_organisation(cls, organisation, *, label: str | None = None) -> Scope:
        name = organisation.short_name
        return cls(ScopeKind.ORGANISATION, organisation.pk, label or name, organisation.district_id, name=name)

    @property
    def key(self) -> str:
        return scope_key(self.kind, None if self.is_district else self.id)

    @property
    def is_district(self) -> bool:
        return self.kind == ScopeKind.DISTRICT

    @property
    def is_cluster(self) -> bool:
        return self.kind == ScopeKind.CLUSTER

    @property
    def is_organisation(self) -> bool:
        return self.kind == ScopeKind.ORGANISATION

    @property
    def title(self) -> str:
        """The label as a heading: «Кластер «Север» (2021)»."""
        return capfirst(self.label)

    @property
    def cluster_id(self) -> int | None:
        return self.id if self.is_cluster else None

    @property
    def organisation_id(self) -> int | None:
        return self.id if self.is_organisation else None

    def relabelled(self, label: str) -> Scope:
        """The same scope under another label (survey results call the district «Все ответы»)."""
        return replace(self, label=label)

    def __str__(self) -> str:
        return self.label
