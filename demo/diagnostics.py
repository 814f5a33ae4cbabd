"""The Sayansk diagnostics demo (seed 001): individual results that reproduce the city's competency index.

`load_diagnostics_demo()` runs after the registry demo (`manage.py load_demo`). In the Sayansk district it runs
three campaigns of the eight-group competency instrument (2016/17, 2018/19, 2019/20) and three of the
two-component digital competence instrument (2017/18, 2018/19, 2019/20) over a growing share of the city's
teachers (350 → 526 → 582 of 608, the project's members). Every participant has an Invitation (submitted, a
random token hash — nobody can open these links), an Answer per item and an AreaScore per area, stored in the
shapes the submission service writes: an item's score is option i of k → i / (k − 1) (diagnostics.scoring),
an area's index the mean of its item scores rounded to three decimals.

The answers are drawn with a seeded random.Random (each teacher has an overall tilt, each area its own noise),
then nudged: while the mean of the stored area indices of an area misses the seed's number (rounded to three
decimals, so it also rounds to the printed two), one answer of a random teacher moves one option up or down.
The means are thus computed from individual results, not typed; the numbers typed into monitoring
(demo/monitoring_data.py, COMPETENCY_LEVELS and the digital indicators) are left as they are.

Campaigns are matched on (district, instrument, title) and filled only when this run creates them, so a
second run adds nothing. The instruments are the shipped ones (diagnostics/instruments_shipped.py, installed
here if a database lacks them).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from clusters.models import District, Organisation, Teacher
from demo.registry.districts import SAYANSK
from diagnostics import scoring
from diagnostics.instruments_shipped import create_shipped_instruments
from diagnostics.models import (
    Answer,
    AreaScore,
    DiagnosticCampaign,
    Instrument,
    Invitation,
    InvitationStatus,
    Item,
)

from . import diagnostics_data as data

SEED = 20161
TOLERANCE = Decimal("0.0004")  # the mean lands within 0.0004 of the target: rounds to it at 3 (and 2) places
MAX_NUDGES = 200_000
BATCH = 5000


class DiagnosticsDemoError(RuntimeError):
    pass


@dataclass
class DiagnosticsDemoStats:
    created: Counter = field(default_factory=Counter)

    def line(self, district: District) -> str:
        campaigns = DiagnosticCampaign.objects.filter(district=district)
        invitations = Invitation.objects.filter(campaign__district=district)
        totals = (
            ("кампаний", campaigns.count()),
            ("прошли диагностику", invitations.filter(status=InvitationStatus.SUBMITTED).count()),
            ("ответов", Answer.objects.filter(invitation__campaign__district=district).count()),
            ("индексов по группам", AreaScore.objects.filter(invitation__campaign__district=district).count()),
        )
        added = sum(self.created.values())
        return (f"Диагностика ({district.name}): " + ", ".join(f"{label} — {n}" for label, n in totals)
                + (f"; создано строк: {added}." if added else "; всё уже было."))


def load_diagnostics_demo(*, stdout: TextIO | None = None) -> DiagnosticsDemoStats:
    """Create the Sayansk campaigns that are missing, with their results; idempotent."""
    stats = DiagnosticsDemoStats()
    with transaction.atomic():
        district = District.objects.get(code=SAYANSK)
        teachers = _teacher_order(district)
        for spec in data.CAMPAIGNS:
            instrument = _instrument(spec.instrument_code)
            campaign, created = _campaign(district, instrument, spec)
            if created:
                _fill(campaign, spec, teachers[:spec.teachers], stats)
    if stdout is not None:
        stdout.write(stats.line(district) + "\n")
    return stats


def reset_diagnostics_demo() -> int:
    """Delete the Sayansk campaigns (they protect the district) with their invitations, answers and indices."""
    deleted, _ = DiagnosticCampaign.objects.filter(district__code=SAYANSK).delete()
    return deleted


# --- instruments, campaigns ----------------------------------------------------------------------


def _instrument(code: str) -> Instrument:
    """The shipped instrument of the code (newest version), installed first if the database lacks it."""
    create_shipped_instruments()  # creates only what is missing by (code, version)
    instrument = Instrument.objects.filter(code=code, district__isnull=True).order_by("-version").first()
    if instrument is None:
        raise DiagnosticsDemoError(f"the shipped instrument «{code}» is missing (diagnostics/instruments_shipped.py)")
    return instrument


def _aware(parts: tuple[int, int, int], hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*parts, hour))


def _campaign(district: District, instrument: Instrument, spec: data.CampaignSpec):
    existing = DiagnosticCampaign.objects.filter(district=district, instrument=instrument, title=spec.title).first()
    if existing is not None:
        return existing, False
    campaign = DiagnosticCampaign(district=district, instrument=instrument, title=spec.title, year=spec.year,
                                  period_label=spec.label, opens_at=_aware(spec.opens),
                                  closes_at=_aware(spec.closes, 18))
    campaign.full_clean()
    campaign.save()
    return campaign, True


def _teacher_order(district: District) -> list[tuple[int, int]]:
    """(teacher id, organisation id) of the city's active teachers in a fixed random order: each campaign takes
    the first N, so the participants of an earlier year take part again later."""
    rows = list(Teacher.objects.filter(organisation__district=district, is_active=True)
                .order_by("organisation__code", "personnel_number").values_list("id", "organisation_id"))
    random.Random(SEED).shuffle(rows)
    return rows


# --- answers -------------------------------------------------------------------------------------


@dataclass
class _AreaItems:
    area_id: int
    code: str
    item_ids: list[int]
    scale: str

    @property
    def top(self) -> int:
        return len(scoring.options(self.scale)) - 1


def _area_items(instrument: Instrument, codes) -> list[_AreaItems]:
    rows = Item.objects.filter(instrument=instrument, area__code__in=codes).order_by("position", "pk") \
        .values_list("id", "area_id", "area__code", "scale")
    groups: dict[str, _AreaItems] = {}
    for item_id, area_id, code, scale in rows:
        groups.setdefault(code, _AreaItems(area_id, code, [], scale)).item_ids.append(item_id)
    missing = set(codes) - set(groups)
    if missing:
        raise DiagnosticsDemoError(f"instrument {instrument.code} has no items in {sorted(missing)}")
    return [groups[code] for code in codes]


def _index(choices: list[int], scale: str) -> Decimal:
    scores = [scoring.option_score(scale, choice) for choice in choices]
    return scoring.rounded(sum(scores, Decimal(0)) / len(scores))


def draw_area(rng: random.Random, group: _AreaItems, target: Decimal, tilts: list[float]) -> list[list[int]]:
    """Each teacher's options for the area's items, nudged until the mean of their indices rounds to `target`."""
    top = group.top
    answers = []
    for tilt in tilts:
        level = min(max(float(target) + tilt + rng.gauss(0, 0.08), 0.0), 1.0)
        answers.append([min(max(round(level * top + rng.gauss(0, 0.6)), 0), top) for _ in group.item_ids])
    indices = [_index(choices, group.scale) for choices in answers]
    total = sum(indices, Decimal(0))
    count = len(answers)
    for _ in range(MAX_NUDGES):
        gap = total / count - target
        if abs(gap) <= TOLERANCE:
            return answers
        step = -1 if gap > 0 else 1
        who = rng.randrange(count)
        position = rng.randrange(len(group.item_ids))
        moved = answers[who][position] + step
        if not 0 <= moved <= top:
            continue
        answers[who][position] = moved
        new_index = _index(answers[who], group.scale)
        total += new_index - indices[who]
        indices[who] = new_index
    raise DiagnosticsDemoError(f"the mean of {group.code} did not reach {target}")


def _fill(campaign: DiagnosticCampaign, spec: data.CampaignSpec, teachers: list[tuple[int, int]],
          stats: DiagnosticsDemoStats) -> None:
    rng = random.Random(f"{SEED}-{spec.instrument_code}-{spec.year}")
    campaign.organisations.set(Organisation.objects.filter(id__in={org for _, org in teachers}))
    groups = _area_items(campaign.instrument, list(spec.targets))
    tilts = [rng.gauss(0, 0.12) for _ in teachers]
    drawn = {group.code: draw_area(rng, group, spec.targets[group.code], tilts) for group in groups}

    span = (campaign.closes_at - campaign.opens_at).total_seconds()
    invitations = []
    for teacher_id, _ in teachers:
        submitted = campaign.opens_at + dt.timedelta(seconds=rng.uniform(0, span * 0.9))
        invitations.append(Invitation(
            campaign=campaign, teacher_id=teacher_id, status=InvitationStatus.SUBMITTED,
            token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
            consent_at=submitted - dt.timedelta(minutes=rng.randint(5, 25)), submitted_at=submitted,
        ))
    invitations = Invitation.objects.bulk_create(invitations, batch_size=BATCH)

    answers, area_scores = [], []
    for row, invitation in enumerate(invitations):
        for group in groups:
            choices = drawn[group.code][row]
            answers += [Answer(invitation_id=invitation.pk, item_id=item_id, choice=choice,
                               score=scoring.option_score(group.scale, choice))
                        for item_id, choice in zip(group.item_ids, choices, strict=True)]
            area_scores.append(AreaScore(invitation_id=invitation.pk, area_id=group.area_id,
                                         score=_index(choices, group.scale), items=len(choices)))
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    AreaScore.objects.bulk_create(area_scores, batch_size=BATCH)
    stats.created["кампаний"] += 1
    stats.created["ссылок"] += len(invitations)
    stats.created["ответов"] += len(answers)
    stats.created["индексов по группам"] += len(area_scores)
