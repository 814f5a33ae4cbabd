"""factory_boy factories for the network app (results, tiers, pairs, practices, mentors).

`result(org, subject, mean, …)` is the short way the tests write a results table worked out by hand.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from network import models as n
from tests.factories import ClusterFactory, DistrictFactory, OrganisationFactory, TeacherFactory


def procedure(name: str = "ОГЭ") -> n.Procedure:
    """A shipped procedure (created by the network migration)."""
    return n.Procedure.objects.get(district=None, name=name)


class ProcedureFactory(DjangoModelFactory):
    """A district's own procedure (the shipped ones come from the migration: use `procedure(name)`)."""

    class Meta:
        model = n.Procedure

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda i: f"Диагностика № {i}")


class AssessmentResultFactory(DjangoModelFactory):
    class Meta:
        model = n.AssessmentResult

    organisation = factory.SubFactory(OrganisationFactory)
    procedure = factory.LazyFunction(lambda: procedure("ОГЭ"))
    subject = "Математика"
    grade = 9
    year = 2020
    participants = 50
    mean_score = Decimal("3.80")
    failed_share = Decimal("5.00")
    good_share = Decimal("60.00")


def result(organisation, subject: str, mean, *, participants: int = 50, year: int = 2020,
           procedure_name: str = "ОГЭ", grade: int = 9, **extra) -> n.AssessmentResult:
    return AssessmentResultFactory(organisation=organisation, subject=subject, mean_score=Decimal(str(mean)),
                                   participants=participants, year=year, procedure=procedure(procedure_name),
                                   grade=grade, **extra)


class TierSettingsFactory(DjangoModelFactory):
    class Meta:
        model = n.TierSettings
        django_get_or_create = ("district",)

    district = factory.SubFactory(DistrictFactory)


class OrganisationPairFactory(DjangoModelFactory):
    class Meta:
        model = n.OrganisationPair

    cluster = factory.SubFactory(ClusterFactory)
    mentor_organisation = factory.SubFactory(OrganisationFactory, district=factory.SelfAttribute("..cluster.district"))
    mentee_organisation = factory.SubFactory(OrganisationFactory, district=factory.SelfAttribute("..cluster.district"))
    subject = "Математика"
    goal = "Повысить долю обучающихся, справившихся с ОГЭ по математике"
    status = n.PairStatus.ACTIVE
    starts_on = datetime.date(2021, 9, 1)


class PairActivityFactory(DjangoModelFactory):
    class Meta:
        model = n.PairActivity

    pair = factory.SubFactory(OrganisationPairFactory)
    form = n.ActivityForm.MUTUAL_VISIT
    topic = "Взаимопосещение уроков математики"
    held_on = datetime.date(2021, 10, 14)
    responsible = "Петрова И.С."


class PracticeTagFactory(DjangoModelFactory):
    class Meta:
        model = n.PracticeTag

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda i: f"метка {i}")


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = n.Practice

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda i: f"Практика формирующего оценивания № {i}")
    authors = "Петрова И.С., Сидоров А.А."
    organisation = factory.SubFactory(OrganisationFactory, district=factory.SelfAttribute("..district"))
    subject = "Математика"
    form = n.PracticeForm.METHOD
    year = 2021
    description = "Приёмы формирующего оценивания на уроках математики в 5–9 классах."


class MentorProfileFactory(DjangoModelFactory):
    class Meta:
        model = n.MentorProfile

    teacher = factory.SubFactory(TeacherFactory)
    subjects = "Математика, Физика"
    competencies = "Подготовка к ОГЭ, формирующее оценивание"
