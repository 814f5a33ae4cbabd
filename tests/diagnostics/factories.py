"""factory_boy factories for diagnostics; `area(code)` gives a shipped area (created by migration/post_migrate)."""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from diagnostics import models as d
from tests.factories import DistrictFactory, TeacherFactory


def area(code: str) -> d.Area:
    return d.Area.objects.get(code=code)


class InstrumentFactory(DjangoModelFactory):
    class Meta:
        model = d.Instrument

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda i: f"instrument-{i}")
    version = 1
    title = factory.Sequence(lambda i: f"Самодиагностика профессиональных дефицитов № {i}")
    family = d.Family.TEACHER_DEFICITS
    audience = d.Audience.TEACHER


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = d.Item

    instrument = factory.SubFactory(InstrumentFactory)
    area = factory.LazyFunction(lambda: area("methodical"))
    position = factory.Sequence(lambda i: i)
    text = factory.Sequence(lambda i: f"Я умею проектировать урок в логике системно-деятельностного подхода ({i})")
    scale = d.Scale.LIKERT4


class DiagnosticCampaignFactory(DjangoModelFactory):
    class Meta:
        model = d.DiagnosticCampaign

    district = factory.SubFactory(DistrictFactory)
    instrument = factory.SubFactory(InstrumentFactory, district=factory.SelfAttribute("..district"))
    title = "Самодиагностика педагогов 2021"
    year = 2021
    period_label = "2021/22"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = d.Invitation

    campaign = factory.SubFactory(DiagnosticCampaignFactory)
    teacher = factory.SubFactory(TeacherFactory)
    token_hash = factory.Sequence(lambda i: hashlib.sha256(f"token-{i}".encode()).hexdigest())


class AreaScoreFactory(DjangoModelFactory):
    class Meta:
        model = d.AreaScore

    invitation = factory.SubFactory(InvitationFactory, status=d.InvitationStatus.SUBMITTED)
    area = factory.LazyFunction(lambda: area("methodical"))
    score = Decimal("0.625")
    items = 4
