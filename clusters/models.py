"""The district registry: organisations, yearly clusters, communities, teachers and their growth.

Everything else in the portal (monitoring, surveys, reports) is computed from these tables, so
history is kept by year or by dates rather than overwritten.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.reversing import reverse_ids
from core.roles import Role
from core.search import SearchTextMixin, SearchTextQuerySet

YOUNG_TEACHER_AGE = 35  # «молодой педагог»: under 35
MIN_YEAR, MAX_YEAR = 2000, 2100


def year_validators() -> list:
    return [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class Region(models.Model):
    name = models.CharField("регион", max_length=200, unique=True)

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    region = models.ForeignKey(Region, verbose_name="регион", on_delete=models.PROTECT, related_name="districts")
    name = models.CharField("район", max_length=200)
    code = models.SlugField("код", max_length=50, unique=True)

    class Meta:
        verbose_name = "район"
        verbose_name_plural = "районы"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="district_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


class MethodCentre(models.Model):
    """The district's ИМЦ; its requisites print on the letterhead of every справка."""

    district = models.OneToOneField(
        District, verbose_name="район", on_delete=models.CASCADE, related_name="method_centre"
    )
    full_name = models.TextField("полное наименование")
    short_name = models.CharField("краткое наименование", max_length=200)
    address = models.CharField("адрес", max_length=300)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    okpo = models.CharField("ОКПО", max_length=14, blank=True)
    ogrn = models.CharField("ОГРН", max_length=15, blank=True)
    inn = models.CharField("ИНН", max_length=12, blank=True)
    kpp = models.CharField("КПП", max_length=9, blank=True)
    director_name = models.CharField("ФИО директора", max_length=200)
    director_position = models.CharField("должность директора", max_length=300, default="Директор")
    outgoing_prefix = models.CharField(
        "префикс исходящих номеров", max_length=20, blank=True, default="1-",
        help_text="Номер справки печатается как префикс + порядковый номер за год: «1-854»",
    )

    class Meta:
        verbose_name = "ИМЦ"
        verbose_name_plural = "ИМЦ"

    def __str__(self) -> str:
        return self.short_name


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "школа"
    KINDERGARTEN = "kindergarten", "ДОУ"
    SUPPLEMENTARY = "supplementary", "УДО"
    OTHER = "other", "другое"


class Organisation(SearchTextMixin, models.Model):
    district = models.ForeignKey(
        District, verbose_name="район", on_delete=models.PROTECT, related_name="organisations"
    )
    code = models.CharField("код", max_length=50, help_text="Код организации, уникальный в районе")
    short_name = models.CharField("краткое наименование", max_length=200)
    full_name = models.TextField("полное наименование")
    kind = models.CharField("тип", max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.SCHOOL)
    address = models.CharField("адрес", max_length=300, blank=True)
    email = models.EmailField("e-mail", blank=True)
    is_active = models.BooleanField("действующая", default=True)

    # The list's search box (core/search.py): normalised code, short_name, full_name, address.
    SEARCH_FIELDS = ('code', 'short_name', 'full_name', 'address')
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="organisation_unique_code")]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse_ids("clusters:organisation_detail", self.pk)


class Tier(models.TextChoices):
    """Tier of an organisation inside its cluster (seed 000)."""

    TOP = "top", "ТОП"
    SYNCHRONOUS = "synchronous", "синхронная"
    LAGGING = "lagging", "отстающая"


class TierSource(models.TextChoices):
    """Where a membership's tier comes from (network app, docs/domain.md «Уровни по результатам»)."""

    MANUAL = "manual", "задан вручную"
    COMPUTED = "computed", "по результатам"
    OVERRIDE = "override", "изменён методистом"


# Seed 000's table: who each tier is and what it does in the cluster.
TIER_DESCRIPTIONS: dict[str, tuple[str, str, str]] = {
    Tier.TOP: (
        "ТОП-организации",
        "Достижение наиболее значимых результатов по решению заявленной проблематики",
        "Тьюторы для района по выбранной теме. Горизонтальное обучение. Диссеминация опыта. "
        "Помощь в разработке ИОМ",
    ),
    Tier.SYNCHRONOUS: (
        "Синхронные организации",
        "Имеющие средние показатели",
        "Участвуют во взаимоапробации, объединяются в микрогруппы для взаимовыявления проблем. "
        "Объединяются в рабочие группы",
    ),
    Tier.LAGGING: (
        "Отстающие организации",
        "Испытывающие проблемы в реализации методического проекта",
        "Реализуют ИОМ. Повышают квалификацию. Изучают опыт ТОП-организаций.",
    ),
}


class Cluster(SearchTextMixin, models.Model):
    """A yearly professional network community of organisations around one theme."""

    district = models.ForeignKey(District, verbose_name="район", on_delete=models.PROTECT, related_name="clusters")
    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    name = models.CharField("название", max_length=300)
    description = models.TextField("направление работы", blank=True)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="куратор-методист",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_clusters",
    )

    # The list's search box (core/search.py): normalised name, description.
    SEARCH_FIELDS = ('name', 'description')
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "кластер"
        verbose_name_plural = "кластеры"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "name"], name="cluster_unique_name_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse_ids("clusters:cluster_detail", self.pk)


class ClusterMembership(models.Model):
    """An organisation in a cluster for the cluster's year, with its theme, project and tier."""

    cluster = models.ForeignKey(Cluster, verbose_name="кластер", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.PROTECT, related_name="cluster_memberships"
    )
    theme = models.TextField("методическая тема")
    project = models.CharField("проект", max_length=500, blank=True)
    tier = models.CharField("уровень", max_length=20, choices=Tier.choices, default=Tier.SYNCHRONOUS)
    # Set by the network app: how the tier was decided and the result index it came from (year − 1).
    tier_source = models.CharField("основание уровня", max_length=20, choices=TierSource.choices,
                                   default=TierSource.MANUAL)
    tier_index = models.DecimalField("индекс результатов", max_digits=7, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = "участие в кластере"
        verbose_name_plural = "участие в кластерах"
        ordering = ["cluster", "organisation__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "organisation"], name="membership_unique_per_cluster"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.cluster}"

    def clean(self) -> None:
        if self.cluster_id and self.organisation_id and self.cluster.district_id != self.organisation.district_id:
            raise ValidationError("Организация и кластер должны относиться к одному району.")


class CommunityKind(models.TextChoices):
    RMO = "rmo", "РМО"
    GPPO = "gppo", "ГППО"
    GMO_ASSOCIATION = "gmo_association", "ГМО-ассоциация"
    NETWORK = "network", "сетевое сообщество"
    CREATIVE_GROUP = "creative_group", "творческая группа"
    YOUNG_TEACHERS_CLUB = "young_teachers_club", "клуб молодых педагогов"
    PERMANENT_SEMINAR = "permanent_seminar", "постоянно действующий семинар"
    CROSS_FUNCTIONAL_TEAM = "cross_functional_team", "кросс-функциональная команда"


class Community(SearchTextMixin, models.Model):
    """A professional community of teachers (РМО, ГППО, network community …)."""

    district = models.ForeignKey(
        District, verbose_name="район", on_delete=models.PROTECT, related_name="communities"
    )
    kind = models.CharField("вид", max_length=30, choices=CommunityKind.choices)
    name = models.CharField("название", max_length=300)
    topic = models.TextField("тема / проблема", blank=True)
    leader = models.ForeignKey(
        "Teacher",
        verbose_name="руководитель",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_communities",
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="куратор-методист",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_communities",
    )
    started_on = models.DateField("начало работы", null=True, blank=True)
    ended_on = models.DateField("окончание работы", null=True, blank=True)

    # The list's search box (core/search.py): normalised name, topic.
    SEARCH_FIELDS = ('name', 'topic')
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "профессиональное сообщество"
        verbose_name_plural = "профессиональные сообщества"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "kind", "name"], name="community_unique_name"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="community_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        # Names usually carry the kind already («ГППО учителей математики»).
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_ids("clusters:community_detail", self.pk)


class QualificationCategory(models.TextChoices):
    HIGHEST = "highest", "высшая"
    FIRST = "first", "первая"
    NONE = "none", "нет"


class Education(models.TextChoices):
    HIGHER = "higher", "высшее"
    VOCATIONAL = "vocational", "среднее профессиональное"
    OTHER = "other", "другое"


class Teacher(SearchTextMixin, models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.PROTECT, related_name="teachers"
    )
    personnel_number = models.CharField(
        "табельный номер", max_length=50, help_text="Уникален внутри организации"
    )
    full_name = models.CharField("ФИО", max_length=300)
    position = models.CharField("должность", max_length=200)
    # Where personal diagnostic links are sent (otherwise the school administrator hands them out).
    email = models.EmailField("e-mail", blank=True)
    subject_area = models.CharField("предметная область", max_length=200, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        "педагогический стаж, лет", null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    birth_year = models.PositiveSmallIntegerField(
        "год рождения", null=True, blank=True, validators=[MinValueValidator(1930), MaxValueValidator(2015)]
    )
    category = models.CharField(
        "квалификационная категория",
        max_length=10,
        choices=QualificationCategory.choices,
        default=QualificationCategory.NONE,
    )
    education = models.CharField("образование", max_length=20, choices=Education.choices, blank=True)
    is_active = models.BooleanField("работает", default=True)

    # The list's search box (core/search.py): normalised full_name, personnel_number, position, subject_area.
    SEARCH_FIELDS = ('full_name', 'personnel_number', 'position', 'subject_area')
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "педагог"
        verbose_name_plural = "педагоги"
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "personnel_number"], name="teacher_unique_personnel_number"
            ),
        ]
        indexes = [
            # The district's active-teacher count (home, issue 15.3): an index-only scan per organisation
            # instead of a scan of the whole table (id included: the count reads COUNT(id)).
            models.Index(fields=["organisation"], include=["id"], condition=models.Q(is_active=True),
                         name="teacher_active_by_org"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse_ids("clusters:teacher_detail", self.pk)

    def age_in(self, year: int) -> int | None:
        return year - self.birth_year if self.birth_year else None

    @property
    def is_young(self) -> bool:
        age = self.age_in(timezone.localdate().year)
        return age is not None and age < YOUNG_TEACHER_AGE


class CommunityMemberRole(models.TextChoices):
    MEMBER = "member", "участник"
    LEADER = "leader", "руководитель"
    DEPUTY = "deputy", "заместитель руководителя"


class CommunityMembership(models.Model):
    community = models.ForeignKey(Community, verbose_name="сообщество", on_delete=models.CASCADE, related_name="memberships")
    teacher = models.ForeignKey(
        Teacher, verbose_name="педагог", on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField("роль", max_length=10, choices=CommunityMemberRole.choices, default=CommunityMemberRole.MEMBER)
    joined_on = models.DateField("дата вступления")
    left_on = models.DateField("дата выхода", null=True, blank=True)

    class Meta:
        verbose_name = "участие в сообществе"
        verbose_name_plural = "участие в сообществах"
        ordering = ["community", "teacher__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "teacher", "joined_on"], name="community_membership_unique"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="community_membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.community}"

    def clean(self) -> None:
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "Дата выхода раньше даты вступления."})


class TrainingProgram(SearchTextMixin, models.Model):
    """A professional-development course (ДПП ПК), e.g. 36 or 72 hours."""

    title = models.CharField("название программы", max_length=500)
    hours = models.PositiveSmallIntegerField("объём, ч", validators=[MinValueValidator(1), MaxValueValidator(2000)])
    provider = models.CharField("организация, проводившая обучение", max_length=300)
    # The district whose methodists keep this entry; empty = the shared catalogue (read-only).
    district = models.ForeignKey(
        District, verbose_name="район", on_delete=models.PROTECT, null=True, blank=True,
        related_name="training_programs",
    )

    # The list's search box (core/search.py): normalised title, provider.
    SEARCH_FIELDS = ('title', 'provider')
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "программа повышения квалификации"
        verbose_name_plural = "программы повышения квалификации"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "hours", "provider"], name="training_program_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} ч)"


class TrainingCompletion(SearchTextMixin, models.Model):
    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.CASCADE, related_name="training_completions")
    program = models.ForeignKey(
        TrainingProgram, verbose_name="программа", on_delete=models.PROTECT, related_name="completions"
    )
    completed_on = models.DateField("дата окончания")
    based_on_diagnostics = models.BooleanField("по результатам диагностики дефицитов", default=False)
    certificate_number = models.CharField("номер удостоверения", max_length=100, blank=True)

    # The list's search box (core/search.py): normalised certificate_number.
    SEARCH_FIELDS = ('certificate_number',)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "повышение квалификации"
        verbose_name_plural = "повышение квалификации"
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "program", "completed_on"], name="training_completion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.program} ({self.completed_on:%d.%m.%Y})"


class Deficit(models.TextChoices):
    """Professional deficits diagnosed for teachers and managers (docs/domain.md)."""

    SUBJECT = "subject", "предметные"
    METHODICAL = "methodical", "методические"
    PSYCHO_PEDAGOGICAL = "psycho_pedagogical", "психолого-педагогические"
    COMMUNICATIVE = "communicative", "коммуникативные"
    MANAGERIAL = "managerial", "управленческие"
    INFORMATIONAL = "informational", "информационные"


class RouteStatus(models.TextChoices):
    PLANNED = "planned", "запланирован"
    ACTIVE = "active", "реализуется"
    COMPLETED = "completed", "завершён"
    CANCELLED = "cancelled", "отменён"


class IndividualRoute(SearchTextMixin, models.Model):
    """ИОМ — a teacher's individual educational route built from diagnosed deficits."""

    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.CASCADE, related_name="routes")
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    deficits = models.JSONField("устраняемые дефициты", default=list, blank=True)
    goals = models.TextField("цели и мероприятия", blank=True)
    status = models.CharField("статус", max_length=10, choices=RouteStatus.choices, default=RouteStatus.ACTIVE)

    # The list's search box (core/search.py): normalised goals.
    SEARCH_FIELDS = ('goals',)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "ИОМ"
        verbose_name_plural = "ИОМ"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="route_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"ИОМ {self.teacher} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание раньше начала."})
        unknown = set(self.deficits or []) - set(Deficit.values)
        if unknown:
            raise ValidationError({"deficits": f"Неизвестные дефициты: {', '.join(sorted(unknown))}."})

    def deficit_labels(self) -> list[str]:
        return [Deficit(code).label for code in self.deficits if code in Deficit.values]


class ActivityLevel(models.TextChoices):
    """Level of an event or an innovation site: ОУ / район / город / регион / РФ."""

    ORGANISATION = "organisation", "ОУ"
    DISTRICT = "district", "район"
    CITY = "city", "город"
    REGION = "region", "регион"
    FEDERAL = "federal", "РФ"


class InnovationProject(SearchTextMixin, models.Model):
    """Innovation activity: a project, possibly with the status of an innovation site."""

    district = models.ForeignKey(
        District, verbose_name="район", on_delete=models.PROTECT, related_name="innovation_projects"
    )
    title = models.CharField("название", max_length=500)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name="ведущая организация",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="innovation_projects",
    )
    level = models.CharField("уровень площадки", max_length=20, choices=ActivityLevel.choices, default=ActivityLevel.DISTRICT)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание", null=True, blank=True)
    participants = models.ManyToManyField(
        Teacher, verbose_name="участники", through="InnovationParticipation", related_name="innovation_projects"
    )

    # The list's search box (core/search.py): normalised title.
    SEARCH_FIELDS = ('title',)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "инновационный проект"
        verbose_name_plural = "инновационные проекты"
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="innovation_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_ids("clusters:innovation_detail", self.pk)


class InnovationParticipation(models.Model):
    project = models.ForeignKey(InnovationProject, verbose_name="проект", on_delete=models.CASCADE, related_name="participations")
    teacher = models.ForeignKey(
        Teacher, verbose_name="педагог", on_delete=models.CASCADE, related_name="innovation_participations"
    )
    role = models.CharField("роль в проекте", max_length=200, blank=True)

    class Meta:
        verbose_name = "участие в инновационном проекте"
        verbose_name_plural = "участие в инновационных проектах"
        constraints = [
            models.UniqueConstraint(fields=["project", "teacher"], name="innovation_participation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.project}"


class Mentorship(SearchTextMixin, models.Model):
    """Наставничество: a mentor and a (usually young) teacher."""

    mentor = models.ForeignKey(Teacher, verbose_name="наставник", on_delete=models.CASCADE, related_name="mentorships_as_mentor")
    mentee = models.ForeignKey(
        Teacher, verbose_name="наставляемый", on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание", null=True, blank=True)
    notes = models.TextField("примечание", blank=True)

    # The list's search box (core/search.py): normalised notes.
    SEARCH_FIELDS = ('notes',)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "наставничество"
        verbose_name_plural = "наставничество"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="mentorship_not_self"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="mentorship_dates_ordered"
            ),
            models.UniqueConstraint(fields=["mentor", "mentee", "starts_on"], name="mentorship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    def clean(self) -> None:
        if self.mentor_id and self.mentor_id == self.mentee_id:
            raise ValidationError("Наставник и наставляемый должны быть разными педагогами.")
        if self.mentor_id and self.mentee_id and self.mentor.organisation.district_id != self.mentee.organisation.district_id:
            raise ValidationError("Наставник и наставляемый должны работать в одном районе.")


class EventForm(models.TextChoices):
    SEMINAR = "seminar", "семинар"
    MASTER_CLASS = "master_class", "мастер-класс"
    CONFERENCE = "conference", "конференция"
    FESTIVAL = "festival", "фестиваль"
    COMPETITION = "competition", "конкурс"
    OPEN_LESSON = "open_lesson", "открытый урок"
    WEBINAR = "webinar", "вебинар"
    EXPEDITION = "expedition", "экспедиция"
    METHODICAL_LANDING = "methodical_landing", "методический десант"
    ROUND_TABLE = "round_table", "круглый стол"
    DIALOGUE_TABLE = "dialogue_table", "диалоговый стол"
    FORUM = "forum", "форум"
    CONSULTATION_INDIVIDUAL = "consultation_individual", "консультация индивидуальная"
    CONSULTATION_THEMATIC = "consultation_thematic", "консультация тематическая"
    MUTUAL_VISIT = "mutual_visit", "взаимопосещение"
    MUTUAL_TESTING = "mutual_testing", "взаимоапробация"
    VIDEO_LESSON = "video_lesson", "видеоурок"
    METHODICAL_DAY = "methodical_day", "методический день"
    OTHER = "other", "другое"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    HELD = "held", "проведено"
    CANCELLED = "cancelled", "отменено"


class DistrictEventForm(models.Model):
    """A form of event a district added to the shipped ones (EventForm); its events have form «другое» and
    point here for the name."""

    district = models.ForeignKey(District, verbose_name="район", on_delete=models.CASCADE,
                                 related_name="event_forms")
    name = models.CharField("название формы", max_length=100)

    class Meta:
        verbose_name = "форма мероприятия района"
        verbose_name_plural = "формы мероприятий района"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="district_event_form_unique")]

    def __str__(self) -> str:
        return self.name


class Event(SearchTextMixin, models.Model):
    district = models.ForeignKey(District, verbose_name="район", on_delete=models.PROTECT, related_name="events")
    title = models.CharField("название", max_length=500)
    form = models.CharField("форма", max_length=30, choices=EventForm.choices)
    level = models.CharField("уровень", max_length=20, choices=ActivityLevel.choices, default=ActivityLevel.DISTRICT)
    held_on = models.DateField("дата проведения")
    organisers = models.ManyToManyField(
        Organisation, verbose_name="организаторы", blank=True, related_name="organised_events"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name="кластер", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    community = models.ForeignKey(
        Community, verbose_name="сообщество", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    participants_count = models.PositiveIntegerField("число участников", default=0)
    description = models.TextField("описание", blank=True)
    # --- the annual plan (issue 13) ---
    custom_form = models.ForeignKey(DistrictEventForm, verbose_name="форма района", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="events")
    status = models.CharField("статус", max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED)
    starts_at = models.TimeField("начало", null=True, blank=True)
    ends_at = models.TimeField("окончание", null=True, blank=True)
    place = models.CharField("место проведения", max_length=300, blank=True)
    online_url = models.URLField("ссылка на онлайн-трансляцию", max_length=500, blank=True)
    audience = models.CharField("целевая аудитория", max_length=300, blank=True)
    capacity = models.PositiveIntegerField("число мест", null=True, blank=True,
                                           help_text="Пусто — без ограничения")
    organised_by_imc = models.BooleanField("организатор — ИМЦ", default=True)
    result = models.TextField("результат", blank=True)
    hours = models.PositiveSmallIntegerField(
        "объём, ч", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text="Для сертификатов о краткосрочном повышении квалификации (неформальное образование)")
    registration_open = models.BooleanField("открыта регистрация", default=False)
    public_registration = models.BooleanField("регистрация участников не из реестра", default=False)
    public_code = models.CharField("код публичной страницы", max_length=24, unique=True, null=True, blank=True)
    pupils_count = models.PositiveIntegerField("обучающихся-участников", default=0)

    # The list's search box (core/search.py): normalised title, description.
    SEARCH_FIELDS = ('title', 'description')
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse_ids("clusters:event_detail", self.pk)

    @property
    def form_label(self) -> str:
        """The form as printed: a district's own form by its name (select_related("custom_form") in lists)."""
        if self.custom_form_id:
            return self.custom_form.name
        return self.get_form_display()


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar year — the window "in year Y" means throughout."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class ExportLog(models.Model):
    """One download of a registry list that holds personal data (152-ФЗ): who took which records.

    Written by the XLSX exports marked `personal_data` (clusters/views/io.py) after the file is built,
    never edited: the admin shows it read-only to the portal administrator. The user's name, role and
    district are copied, so the entry still says who it was after the account is changed or deleted.
    """

    exported_at = models.DateTimeField("когда", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="пользователь", on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    username = models.CharField("логин", max_length=150)
    role = models.CharField("роль", max_length=20, choices=Role.choices, blank=True)
    district = models.ForeignKey(
        District, verbose_name="район", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    list_name = models.CharField("список (код)", max_length=50, db_index=True)
    list_title = models.CharField("список", max_length=200)
    query_string = models.TextField("фильтр (параметры запроса)", blank=True)
    row_count = models.PositiveIntegerField("строк выгружено")

    class Meta:
        verbose_name = "выгрузка персональных данных"
        verbose_name_plural = "журнал выгрузок персональных данных"
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"{self.username}: {self.list_title}, {self.row_count} ({timezone.localtime(self.exported_at):%d.%m.%Y %H:%M})"
