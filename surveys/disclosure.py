"""Which groups of an anonymous campaign may be shown: k-anonymity with secondary suppression.

Pure functions over counts (no database), so the rule is tested on its own and the results page,
the XLSX, the participation tables and the survey-based indicators ask the same question.

Why a minimum group size is not enough: a cluster {A (5 respondents), Z (1)} shows 6, A shows 5,
so Z's answers are the cluster's minus A's. Whatever is shown, a reader can add and subtract the
shown groups; what they can isolate are the *residuals*: for each shown group, its respondents
minus those of its nearest shown subgroups. The rule (docs/domain.md, «Questionnaires»):

    a group is shown only if it has at least K respondents, and for every shown group (the whole
    campaign included) the residual is either empty or has at least K respondents.

The groups must nest (a laminar family: the whole campaign ⊇ clusters ⊇ organisations); then every
set a reader can derive is a union of residuals, so none has between 1 and K−1 respondents. A
cluster that overlaps another shown cluster without nesting is not shown (the larger one wins).
The whole campaign (the root) is always shown — its totals are what the campaign is for — and a
residual that is too small is fixed by hiding the smallest shown subgroup of that parent, until
the residual is large enough or nothing is left to hide.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

K_ANONYMITY = 5  # the smallest group of anonymous respondents shown on its own
ROOT = "campaign"  # the key of the whole campaign among the nodes


@dataclass(frozen=True)
class Node:
    """A group: its key (e.g. ("organisation", 7)), its members (atoms), and its level (0 = root)."""

    key: Hashable
    members: frozenset
    level: int


def _laminar(nodes: list[Node]) -> list[Node]:
    """Keep nodes that nest with every kept one (nodes come largest first)."""
    kept: list[Node] = []
    for node in nodes:
        if all(node.members <= other.members or node.members.isdisjoint(other.members) for other in kept):
            kept.append(node)
    return kept


def _parents(nodes: list[Node]) -> dict[Hashable, Hashable | None]:
    """Each node's smallest enclosing node (nodes sorted largest first; the first is the root)."""
    parents: dict[Hashable, Hashable | None] = {nodes[0].key: None}
    for index, node in enumerate(nodes[1:], start=1):
        enclosing = [other for other in nodes[:index] if node.members <= other.members]
        parents[node.key] = enclosing[-1].key  # the latest enclosing one is the smallest (laminar)
    return parents


def _nearest_shown(key: Hashable, parents: Mapping, shown: set) -> Hashable | None:
    parent = parents[key]
    while parent is not None and parent not in shown:
        parent = parents[parent]
    return parent


def _too_small_residuals(parents: Mapping, shown: set, size: Mapping, k: int) -> dict:
    """Shown parent → its shown children, for every parent whose residual has 1 … k−1 respondents."""
    children: dict[Hashable, list[Hashable]] = {}
    for key in shown:
        parent = _nearest_shown(key, parents, shown)
        if parent is not None:
            children.setdefault(parent, []).append(key)
    return {
        parent: kids for parent, kids in children.items()
        if 0 < size[parent] - sum(size[kid] for kid in kids) < k
    }


def disclosed(counts: Mapping[Hashable, int], groups: Mapping[Hashable, Iterable[Hashable]], k: int,
              *, levels: Mapping[Hashable, int] | None = None) -> frozenset:
    """The keys of `groups` that may be shown.

    `counts`: respondents per atom (an organisation, or None for a general link's responses).
    `groups`: group key → its atoms (an organisation's group is itself; a cluster, its members).
    `levels`: optional rank among groups with the same members (a cluster of one organisation
    before that organisation); lower comes first. The whole campaign is every atom and always shown.
    """
    levels = levels or {}
    size = {ROOT: sum(counts.values())}
    candidates = []
    for key, atoms in groups.items():
        members = frozenset(a for a in atoms if counts.get(a, 0) > 0)
        size[key] = sum(counts[a] for a in members)
        if size[key] >= k:
            candidates.append(Node(key, members, levels.get(key, 1)))
    candidates.sort(key=lambda n: (-len(n.members), -size[n.key], n.level, repr(n.key)))
    root = Node(ROOT, frozenset(a for a, n in counts.items() if n > 0), 0)
    nodes = [root, *_laminar(candidates)]
    parents = _parents(nodes)
    shown = {node.key for node in nodes}
    while True:
        violations = _too_small_residuals(parents, shown, size, k)
        if not violations:
            break
        for kids in violations.values():
            shown.discard(min(kids, key=lambda key: (size[key], repr(key))))
    shown.discard(ROOT)
    return frozenset(shown)


@dataclass(frozen=True)
class Disclosure:
    """What one anonymous campaign may show: organisations and clusters (by id) and their counts."""

    organisations: frozenset[int]
    clusters: frozenset[int]
    counts: Mapping[int | None, int]

    def shows_organisation(self, organisation_id: int | None) -> bool:
        return organisation_id in self.organisations

    def shows_cluster(self, cluster_id: int) -> bool:
        return cluster_id in self.clusters


def campaign_disclosure(counts: Mapping[int | None, int], clusters: Mapping[int, Iterable[int]], k: int) -> Disclosure:
    """The rule for organisations (atoms, None = a general link) and clusters of one year."""
    groups: dict[Hashable, Iterable[Hashable]] = {("organisation", pk): [pk] for pk in counts if pk is not None}
    groups.update({("cluster", pk): list(members) for pk, members in clusters.items()})
    levels = {key: (1 if key[0] == "cluster" else 2) for key in groups}
    shown = disclosed(counts, groups, k, levels=levels)
    return Disclosure(
        organisations=frozenset(pk for kind, pk in shown if kind == "organisation"),
        clusters=frozenset(pk for kind, pk in shown if kind == "cluster"),
        counts=dict(counts),
    )


def everything(counts: Mapping[int | None, int], clusters: Mapping[int, Iterable[int]]) -> Disclosure:
    """Organisation campaigns are answered in the organisation's name: nothing is hidden."""
    return Disclosure(frozenset(pk for pk in counts if pk is not None), frozenset(clusters), dict(counts))
