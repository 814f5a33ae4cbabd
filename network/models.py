"""Network interaction from results (seed 002's algorithm): assessment results → tiers → pairs of
organisations with mentors and joint activities → a base of effective practices.

The registry (clusters) keeps the effective tier of each cluster membership (`tier`, with its
`tier_source` and `tier_index`); this app keeps what the tier is computed from (results), why it
changed (TierChange), and what the district does about it (pairs, activities, practices, mentors).
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from clusters.models import (
    Cluster,
    ClusterMembership,
    District,
    Event,
    Organisation,
    Teacher,
    Tier,
    TierSource,
    year_validators,
)

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
MAX_GRADE = 11


# --- assessment results ----------------------------------------------------------------------


class Procedure(models.Model):
    """An assessment procedure: ОГЭ, ЕГЭ, ВПР, РДР, районная диагностика (shipped, `district` empty)
    or one a district adds for itself."""

    district = models.ForeignKey(
        District, verbose_name="район", on_delete=models.CASCADE, null=True, blank=True,
        related_name="assessment_procedures", help_text="Пусто — процедура доступна всем районам",
    )
    name = models.CharField("название", max_length=100)
    description = models.CharField("описание", max_length=300, blank=True)

    class Meta:
        verbose_name = "оценочная процедура"
        verbose_name_plural = "оценочные процедуры"
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="procedure_unique_name_per_district"),
            models.UniqueConstraint(fields=["name"], condition=Q(district__isnull=True),
                                    name="procedure_unique_shipped_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentResult(models.Model):
    """One organisation's result in one procedure × subject × grade × year (a row of the import)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.PROTECT, related_name="assessment_results"
    )
    procedure = models.ForeignKey(Procedure, verbose_name="процедура", on_delete=models.PROTECT,
                                  related_name="results")
    subject = models.CharField("предмет", max_length=100)
    grade = models.PositiveSmallIntegerField("класс", validators=[MinValueValidator(1), MaxValueValidator(MAX_GRADE)])
    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    participants = models.PositiveIntegerField("участников", validators=[MinValueValidator(1)])
    mean_score = models.DecimalField("средний балл", max_digits=6, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0"))])
    failed_share = models.DecimalField("доля не справившихся, %", max_digits=5, decimal_places=2,
                                       null=True, blank=True, validators=PERCENT)
    good_share = models.DecimalField("доля «4» и «5», %", max_digits=5, decimal_places=2,
                                     null=True, blank=True, validators=PERCENT)

    class Meta:
        verbose_name = "результат оценочной процедуры"
        verbose_name_plural = "результаты оценочных процедур"
        ordering = ["-year", "procedure__name", "subject", "grade", "organisation__code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "procedure", "subject", "grade", "year"],
                                    name="assessment_result_unique"),
        ]
        indexes = [models.Index(fields=["year", "procedure", "subject", "grade"], name="assessment_result_group")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.procedure}, {self.subject}, {self.grade} кл., {self.year}"


class TierSettings(models.Model):
    """A district's thresholds of the tier method (docs/domain.md, «Уровни по результатам»)."""

    district = models.OneToOneField(District, verbose_name="район", on_delete=models.CASCADE,
                                    related_name="tier_settings")
    top_threshold = models.DecimalField("порог ТОП (индекс не ниже)", max_digits=4, decimal_places=2,
                                        default=Decimal("0.5"))
    lagging_threshold = models.DecimalField("порог отстающих (индекс не выше)", max_digits=4, decimal_places=2,
                                            default=Decimal("-0.5"))
    max_mentees = models.PositiveSmallIntegerField(
        "отстающих на одну ТОП-организацию", default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        verbose_name = "настройки уровней"
        verbose_name_plural = "настройки уровней"
        constraints = [
            models.CheckConstraint(condition=Q(lagging_threshold__lt=F("top_threshold")),
                                   name="tier_settings_thresholds_ordered"),
        ]

    def __str__(self) -> str:
        return f"Настройки уровней: {self.district}"

    def clean(self) -> None:
        if self.top_threshold is not None and self.lagging_threshold is not None \
                and self.lagging_threshold >= self.top_threshold:
            raise ValidationError({"lagging_threshold": "Порог отстающих должен быть ниже порога ТОП."})


class TierChange(models.Model):
    """History of a membership's tier: every computation that changed it and every override, with the reason."""

    membership = models.ForeignKey(ClusterMembership, verbose_name="участие в кластере", on_delete=models.CASCADE,
                                   related_name="tier_changes")
    tier = models.CharField("уровень", max_length=20, choices=Tier.choices)
    previous_tier = models.CharField("прежний уровень", max_length=20, choices=Tier.choices, blank=True)
    source = models.CharField("источник", max_length=20, choices=TierSource.choices)
    index = models.DecimalField("индекс результатов", max_digits=7, decimal_places=3, null=True, blank=True)
    reason = models.TextField("основание", blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="изменил", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "изменение уровня"
        verbose_name_plural = "история уровней"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.membership}: {self.get_tier_display()}"


# --- pairs ----------------------------------------------------------------------------------------


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", "предложена"
    ACTIVE = "active", "действует"
    COMPLETED = "completed", "завершена"
    REJECTED = "rejected", "отклонена"


class OrganisationPair(models.Model):
    """Наставническая пара ОУ: a ТОП organisation helps a lagging one in a subject, inside a cluster."""

    cluster = models.ForeignKey(Cluster, verbose_name="кластер", on_delete=models.CASCADE, related_name="pairs")
    mentor_organisation = models.ForeignKey(Organisation, verbose_name="ТОП-организация", on_delete=models.PROTECT,
                                            related_name="pairs_as_mentor")
    mentee_organisation = models.ForeignKey(Organisation, verbose_name="отстающая организация",
                                            on_delete=models.PROTECT, related_name="pairs_as_mentee")
    subject = models.CharField("предмет", max_length=100, blank=True)
    advantage = models.DecimalField("преимущество по z", max_digits=7, decimal_places=3, null=True, blank=True,
                                    help_text="Разница z ТОП-организации и отстающей в предмете пары")
    goal = models.TextField("цель", blank=True)
    status = models.CharField("статус", max_length=20, choices=PairStatus.choices, default=PairStatus.PROPOSED)
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("окончание", null=True, blank=True)
    mentor_teachers = models.ManyToManyField(Teacher, verbose_name="педагоги-наставники", blank=True,
                                             related_name="organisation_pairs")
    rejection_reason = models.TextField("причина отклонения", blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="решение принял",
                                   on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("решение принято", null=True, blank=True)

    class Meta:
        verbose_name = "наставническая пара ОУ"
        verbose_name_plural = "наставнические пары ОУ"
        ordering = ["cluster", "mentee_organisation__code"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor_organisation=F("mentee_organisation")), name="pair_not_self"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on")), name="pair_dates_ordered"),
            # One open pair (proposed or active) per mentee in a cluster.
            models.UniqueConstraint(fields=["cluster", "mentee_organisation"],
                                    condition=Q(status__in=["proposed", "active"]), name="pair_one_open_per_mentee"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_organisation} → {self.mentee_organisation} ({self.cluster.year})"

    def get_absolute_url(self) -> str:
        return reverse("network:pair_detail", args=[self.pk])


class ActivityForm(models.TextChoices):
    MUTUAL_VISIT = "mutual_visit", "взаимопосещение"
    MASTER_CLASS = "master_class", "мастер-класс"
    CONSULTATION = "consultation", "консультация"
    MUTUAL_TRIAL = "mutual_trial", "взаимоапробация"
    JOINT_PROJECT = "joint_project", "совместный проект"
    SEMINAR = "seminar", "семинар"
    OTHER = "other", "другое"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    DONE = "done", "проведено"
    CANCELLED = "cancelled", "отменено"


class PairActivity(models.Model):
    """A joint activity of a pair's plan (seed 002: взаимопосещение, мастер-класс, консультация…)."""

    pair = models.ForeignKey(OrganisationPair, verbose_name="пара", on_delete=models.CASCADE,
                             related_name="activities")
    form = models.CharField("форма", max_length=20, choices=ActivityForm.choices)
    topic = models.CharField("тема", max_length=300)
    held_on = models.DateField("дата")
    responsible = models.CharField("ответственный", max_length=300, blank=True)
    status = models.CharField("статус", max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    result = models.TextField("результат", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="изменил", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "мероприятие пары"
        verbose_name_plural = "мероприятия пар"
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.topic} ({self.held_on:%d.%m.%Y})"


# --- practices and mentors -------------------------------------------------------------------------


class PracticeForm(models.TextChoices):
    LESSON = "lesson", "урок / занятие"
    MASTER_CLASS = "master_class", "мастер-класс"
    METHOD = "method", "методическая разработка"
    PROGRAM = "program", "программа"
    PROJECT = "project", "проект"
    VIDEO = "video", "видеоурок"
    MANAGEMENT = "management", "управленческая практика"
    OTHER = "other", "другое"


class PracticeTag(models.Model):
    district = models.ForeignKey(District, verbose_name="район", on_delete=models.CASCADE,
                                 related_name="practice_tags")
    name = models.CharField("метка", max_length=60)

    class Meta:
        verbose_name = "метка практики"
        verbose_name_plural = "метки практик"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="practice_tag_unique")]

    def __str__(self) -> str:
        return self.name


class Practice(models.Model):
    """An effective practice or product of the district's base (seed 002, step «база практик»)."""

    district = models.ForeignKey(District, verbose_name="район", on_delete=models.PROTECT, related_name="practices")
    title = models.CharField("название", max_length=300)
    authors = models.CharField("авторы", max_length=500)
    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="practices")
    cluster = models.ForeignKey(Cluster, verbose_name="кластер", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="practices")
    subject = models.CharField("предмет", max_length=100, blank=True)
    form = models.CharField("форма", max_length=20, choices=PracticeForm.choices)
    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    description = models.TextField("описание")
    tags = models.ManyToManyField(PracticeTag, verbose_name="метки", blank=True, related_name="practices")
    pairs = models.ManyToManyField(OrganisationPair, verbose_name="пары", blank=True, related_name="practices")
    event = models.ForeignKey(Event, verbose_name="мероприятие", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="practices")
    is_verified = models.BooleanField("проверено методистом", default=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="проверил", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField("проверено", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="добавил", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("добавлено", auto_now_add=True)
    # Lower-cased title, authors, subject, description and tags, kept by the service that saves a practice:
    # SQLite's LIKE ignores case only for Latin letters, so «формирующ» must find «Формирующее» on both backends.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = "практика"
        verbose_name_plural = "база практик"
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:practice_detail", args=[self.pk])

    def clean(self) -> None:
        if self.organisation_id and self.district_id and self.organisation.district_id != self.district_id:
            raise ValidationError({"organisation": "Организация другого района."})
        if self.cluster_id and self.district_id and self.cluster.district_id != self.district_id:
            raise ValidationError({"cluster": "Кластер другого района."})


def practice_file_path(instance: PracticeFile, filename: str) -> str:
    return f"practices/{instance.practice_id}/{filename}"


class PracticeFile(models.Model):
    practice = models.ForeignKey(Practice, verbose_name="практика", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("файл", upload_to=practice_file_path, max_length=300)
    original_name = models.CharField("имя файла", max_length=255)
    content_type = models.CharField("тип", max_length=100)
    size = models.PositiveBigIntegerField("размер, байт")
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "файл практики"
        verbose_name_plural = "файлы практик"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class MentorProfile(models.Model):
    """A teacher in the district's base of mentors, with what they can share."""

    teacher = models.OneToOneField(Teacher, verbose_name="педагог", on_delete=models.CASCADE,
                                   related_name="mentor_profile")
    subjects = models.CharField("предметы", max_length=300, help_text="Через запятую")
    competencies = models.TextField("чем может поделиться", blank=True)
    is_active = models.BooleanField("готов наставлять", default=True)

    class Meta:
        verbose_name = "наставник"
        verbose_name_plural = "база наставников"
        ordering = ["teacher__full_name"]

    def __str__(self) -> str:
        return str(self.teacher)

    @property
    def subject_list(self) -> list[str]:
        return [s.strip() for s in self.subjects.split(",") if s.strip()]
