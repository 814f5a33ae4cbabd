"""factory_boy factories for the registry (clusters) and users; other apps have tests/<app>/factories.py."""
import datetime

import factory
from factory.django import DjangoModelFactory

from clusters import models as m
from core.permissions import role_can
from core.roles import Role
from imc_portal.models import User

TEST_PASSWORD = "test-pass-123"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = m.Region
        django_get_or_create = ("name",)

    name = "Санкт-Петербург"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = m.District

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Район № {n}")
    code = factory.Sequence(lambda n: f"district-{n}")


class MethodCentreFactory(DjangoModelFactory):
    class Meta:
        model = m.MethodCentre

    district = factory.SubFactory(DistrictFactory)
    full_name = factory.LazyAttribute(lambda o: f"ГБУ ДППО ЦПКС «Информационно-методический центр» {o.district.name}")
    short_name = "ГБУ «ИМЦ»"
    address = "192241, Санкт-Петербург, ул. Турку, д. 20, корп. 2, лит. А"
    phone = "(812) 705-60-35"
    email = "info@imc.example"
    okpo = "02087152"
    ogrn = "1027807973181"
    inn = "7816157263"
    kpp = "781601001"
    director_name = "О.А. Римкявичене"
    director_position = "Директор ГБУ «ИМЦ»"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = m.Organisation

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"OU{n:04d}")
    short_name = factory.Sequence(lambda n: f"ГБОУ СОШ № {n}")
    full_name = factory.LazyAttribute(lambda o: f"Государственное бюджетное общеобразовательное учреждение {o.short_name}")
    kind = m.OrganisationKind.SCHOOL
    address = "Санкт-Петербург"
    email = factory.Sequence(lambda n: f"school{n}@example.org")
    is_active = True


class TeacherFactory(DjangoModelFactory):
    class Meta:
        model = m.Teacher

    organisation = factory.SubFactory(OrganisationFactory)
    personnel_number = factory.Sequence(lambda n: f"T{n:05d}")
    full_name = factory.Sequence(lambda n: f"Иванова Анна Петровна {n}")
    position = "учитель"
    subject_area = "математика"
    experience_years = 10
    birth_year = 1980
    category = m.QualificationCategory.FIRST


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = m.Cluster

    district = factory.SubFactory(DistrictFactory)
    year = 2021
    name = factory.Sequence(lambda n: f"Кластер {n}")


class ClusterMembershipFactory(DjangoModelFactory):
    class Meta:
        model = m.ClusterMembership

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory, district=factory.SelfAttribute("..cluster.district"))
    theme = "Формирование функциональной грамотности"
    project = ""
    tier = m.Tier.SYNCHRONOUS


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = m.Community

    district = factory.SubFactory(DistrictFactory)
    kind = m.CommunityKind.RMO
    name = factory.Sequence(lambda n: f"РМО учителей предмета {n}")
    topic = "Современный урок"


class CommunityMembershipFactory(DjangoModelFactory):
    class Meta:
        model = m.CommunityMembership

    community = factory.SubFactory(CommunityFactory)
    teacher = factory.SubFactory(
        TeacherFactory, organisation__district=factory.SelfAttribute("...community.district")
    )
    joined_on = datetime.date(2021, 1, 15)


class TrainingProgramFactory(DjangoModelFactory):
    class Meta:
        model = m.TrainingProgram

    title = factory.Sequence(lambda n: f"Программа повышения квалификации {n}")
    hours = 36
    provider = "ГБУ ДППО ЦПКС «ИМЦ»"


class TrainingCompletionFactory(DjangoModelFactory):
    class Meta:
        model = m.TrainingCompletion

    teacher = factory.SubFactory(TeacherFactory)
    program = factory.SubFactory(TrainingProgramFactory)
    completed_on = datetime.date(2021, 5, 20)


class IndividualRouteFactory(DjangoModelFactory):
    class Meta:
        model = m.IndividualRoute

    teacher = factory.SubFactory(TeacherFactory)
    starts_on = datetime.date(2021, 1, 10)
    ends_on = datetime.date(2021, 12, 20)
    deficits = ["methodical"]
    status = m.RouteStatus.ACTIVE


class InnovationProjectFactory(DjangoModelFactory):
    class Meta:
        model = m.InnovationProject

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Инновационный проект {n}")
    starts_on = datetime.date(2020, 9, 1)
    ends_on = datetime.date(2022, 6, 30)


class MentorshipFactory(DjangoModelFactory):
    class Meta:
        model = m.Mentorship

    mentor = factory.SubFactory(TeacherFactory)
    mentee = factory.SubFactory(TeacherFactory, organisation=factory.SelfAttribute("..mentor.organisation"))
    starts_on = datetime.date(2021, 9, 1)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = m.Event

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Семинар {n}")
    form = m.EventForm.SEMINAR
    level = m.ActivityLevel.DISTRICT
    held_on = datetime.date(2021, 3, 18)
    participants_count = 40


class UserFactory(DjangoModelFactory):
    """A methodist by default; a district role gets a district, a school administrator an
    organisation (User.clean demands them) unless the test names its own."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Мария"
    last_name = "Смирнова"
    role = Role.METHODIST
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda o: role_can(o.role, "account.works_in_organisation")),
        yes_declaration=factory.SubFactory(OrganisationFactory),
        no_declaration=None,
    )
    district = factory.Maybe(
        factory.LazyAttribute(lambda o: o.organisation is not None),
        yes_declaration=factory.SelfAttribute("organisation.district"),
        no_declaration=factory.Maybe(
            factory.LazyAttribute(lambda o: role_can(o.role, "account.works_in_district")),
            yes_declaration=factory.SubFactory(DistrictFactory),
            no_declaration=None,
        ),
    )
    # The city level belongs to a region, not a district (User.clean).
    region = factory.Maybe(
        factory.LazyAttribute(lambda o: role_can(o.role, "account.works_in_region")),
        yes_declaration=factory.SubFactory(RegionFactory),
        no_declaration=None,
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create:
            obj.save()
