"""Monitoring: programmes of indicators, periods, plan/fact values with provenance, approval locks.

A value is one indicator × period × scope (the district, one of its clusters, one organisation).
Facts keep where they came from (numerator/denominator of a computation, or who typed them), and
every change is kept in ValueChange, so a director can see why a number is what it is.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.jobs import ACTIVE_STATUSES, BackgroundJob
from core.scope import Scope, ScopeKind, scope_key

from .units import STORED_DECIMALS, Direction, Unit


class PeriodKind(models.TextChoices):
    YEAR = "year", "календарный год"
    ACADEMIC_YEAR = "academic_year", "учебный год"
    CHECKPOINT = "checkpoint", "контрольная точка"


class Programme(models.Model):
    """A monitoring programme («Эффективность сетевого взаимодействия педагогов» …) of a district."""

    district = models.ForeignKey(
        "clusters.District", verbose_name="район", on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.SlugField("код", max_length=60)
    name = models.CharField("название", max_length=300)
    period_kind = models.CharField("вид периода", max_length=20, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    description = models.TextField("описание", blank=True)

    class Meta:
        verbose_name = "программа мониторинга"
        verbose_name_plural = "программы мониторинга"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="programme_unique_code")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("monitoring:programme_detail", args=[self.pk])


class Period(models.Model):
    """A calendar year (2021), an academic year (2019/20) or a dated checkpoint (Декабрь 2021)."""

    programme = models.ForeignKey(Programme, verbose_name="программа", on_delete=models.CASCADE, related_name="periods")
    label = models.CharField("период", max_length=40)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")

    class Meta:
        verbose_name = "период"
        verbose_name_plural = "периоды"
        ordering = ["programme", "ends_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "label"], name="period_unique_label"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="period_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def year(self) -> int:
        """The year a yearly registry fact (cluster membership) is taken from: the period's end."""
        return self.ends_on.year


class Source(models.TextChoices):
    COMPUTED = "computed", "вычисляется"
    ENTERED = "entered", "вводится методистом"


class Indicator(models.Model):
    """An indicator of a programme.

    On PostgreSQL its table also holds `district_id`, its programme's district, filled by a trigger
    and kept by a foreign key (programme, district) → the programme (migration 0006); Django does not
    read it. It lets one foreign key check a value's indicator and district together.
    """

    programme = models.ForeignKey(
        Programme, verbose_name="программа", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField("код", max_length=80)
    name = models.TextField("название")
    section = models.CharField(
        "раздел", max_length=300, blank=True, help_text="Группа показателей, например проект программы развития"
    )
    unit = models.CharField("единица", max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    direction = models.CharField("направление", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField("знаков после запятой", default=1)
    method = models.TextField("методика расчёта", blank=True)
    source = models.CharField("источник", max_length=10, choices=Source.choices, default=Source.ENTERED)
    calculation = models.CharField(
        "функция расчёта", max_length=80, blank=True, help_text="Для вычисляемых: код зарегистрированной функции"
    )
    # What a calculation reads (e.g. the questionnaire and options a survey-based share counts); the
    # calculation registers their schema and check (computations.py).
    parameters = models.JSONField("параметры расчёта", default=dict, blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(source="entered") | ~Q(calculation=""), name="computed_indicator_has_calculation"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .computations import registered_calculations

        if self.source == Source.COMPUTED and self.calculation not in registered_calculations():
            raise ValidationError({"calculation": "Такой функции расчёта нет."})

    @property
    def is_computed(self) -> bool:
        return self.source == Source.COMPUTED

    @property
    def calculation_label(self) -> str:
        """The calculation as users read it («Доля педагогов — …»), not its code."""
        from .computations import registered_calculations

        if not self.calculation:
            return ""
        return registered_calculations().get(self.calculation) or f"{self.calculation} — функция не зарегистрирована"


class ScopedModel(models.Model):
    """Rows tied to one scope: the district itself, one cluster or one organisation of it.

    `scope_key` ("district", "cluster:12", "organisation:7") makes one unique key work on SQLite
    and PostgreSQL alike, where a nullable foreign key in a unique constraint would not.
    """

    district = models.ForeignKey("clusters.District", verbose_name="район", on_delete=models.PROTECT, related_name="+")
    scope_kind = models.CharField("уровень", max_length=15, choices=ScopeKind.choices, default=ScopeKind.DISTRICT)
    cluster = models.ForeignKey(
        "clusters.Cluster", verbose_name="кластер", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "clusters.Organisation",
        verbose_name="организация",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scope_key = models.CharField(max_length=40, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.scope_key = scope_key_for(self.scope_kind, self.cluster_id, self.organisation_id)
        super().save(*args, **kwargs)

    @property
    def scope(self) -> Scope:
        if self.scope_kind == ScopeKind.CLUSTER:
            return Scope.of_cluster(self.cluster)
        if self.scope_kind == ScopeKind.ORGANISATION:
            return Scope.of_organisation(self.organisation)
        return Scope.of_district(self.district)

    def scope_label(self) -> str:
        if self.scope_kind == ScopeKind.CLUSTER:
            return f"кластер «{self.cluster.name}»"
        if self.scope_kind == ScopeKind.ORGANISATION:
            return str(self.organisation)
        return str(self.district)


def scope_key_for(kind: str, cluster_id: int | None = None, organisation_id: int | None = None) -> str:
    return scope_key(kind, {ScopeKind.CLUSTER: cluster_id, ScopeKind.ORGANISATION: organisation_id}.get(kind))


def scope_fields(scope: Scope) -> dict:
    """The ScopedModel fields of a row in `scope` (for Value(...) and PeriodApproval(...))."""
    return {
        "district_id": scope.district_id,
        "scope_kind": scope.kind,
        "cluster_id": scope.cluster_id,
        "organisation_id": scope.organisation_id,
    }


def scope_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=(
                Q(scope_kind="district", cluster__isnull=True, organisation__isnull=True)
                | Q(scope_kind="cluster", cluster__isnull=False, organisation__isnull=True)
                | Q(scope_kind="organisation", cluster__isnull=True, organisation__isnull=False)
            ),
            name=f"{prefix}_scope_consistent",
        )
    ]


class Value(ScopedModel):
    """Plan and fact of one indicator for one period and scope.

    Indexed for what is asked of it (migration 0005): the unique key (indicator, period, scope) also
    serves «the values of an indicator», (period, scope) «the values of a period» and a scope's grid;
    the organisation, and the cluster and typist where there is one, are indexed for the database's
    checks when one of those is deleted. A recompute writes thousands of rows at once, and each index
    is one more entry per row.
    """

    # Covered by the unique key and value_period_scope_idx (prefixes), or by no query: no index of their own.
    # The district, the indicator and the period are checked together on PostgreSQL, once per statement
    # by triggers (migrations 0006, 0007), not by a foreign key each checking every row: the indicator
    # must be of the value's district (its programme's). Deleting keeps Django's PROTECT and CASCADE.
    district = models.ForeignKey(
        "clusters.District", verbose_name="район", on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", verbose_name="кластер", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="показатель", on_delete=models.CASCADE, related_name="values", db_index=False,
        db_constraint=False,
    )
    period = models.ForeignKey(
        Period, verbose_name="период", on_delete=models.CASCADE, related_name="values", db_index=False,
        db_constraint=False,
    )
    plan = models.DecimalField("план", max_digits=14, decimal_places=STORED_DECIMALS, null=True, blank=True)
    fact = models.DecimalField("факт", max_digits=14, decimal_places=STORED_DECIMALS, null=True, blank=True)
    numerator = models.DecimalField("числитель", max_digits=14, decimal_places=STORED_DECIMALS, null=True, blank=True)
    denominator = models.DecimalField("знаменатель", max_digits=14, decimal_places=STORED_DECIMALS, null=True, blank=True)
    fact_source = models.CharField("источник факта", max_length=10, choices=Source.choices, default=Source.ENTERED)
    comment = models.TextField("комментарий", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="изменил", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)
    computed_at = models.DateTimeField("вычислено", null=True, blank=True)
    # Optimistic lock: a grid remembers the versions it showed and refuses to overwrite newer ones.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        ordering = ["indicator__position", "period__ends_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "scope_key"], name="value_unique_per_scope"),
            *scope_constraints("value"),
        ]
        indexes = [
            models.Index(fields=["period", "scope_key"], name="value_period_scope_idx"),
            # Partial: only the rows that have one (computed rows have no typist, organisation rows no cluster).
            models.Index(fields=["cluster"], condition=Q(cluster__isnull=False), name="value_cluster_idx"),
            models.Index(fields=["updated_by"], condition=Q(updated_by__isnull=False), name="value_updated_by_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.scope_key}"


class ValueChange(models.Model):
    """History of a value: who changed what, when, from what to what, and why."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField("поле", max_length=10)
    old = models.DecimalField("было", max_digits=14, decimal_places=STORED_DECIMALS, null=True, blank=True)
    new = models.DecimalField("стало", max_digits=14, decimal_places=STORED_DECIMALS, null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    changed_at = models.DateTimeField("когда", auto_now_add=True)
    reason = models.CharField("причина", max_length=300, blank=True)

    class Meta:
        verbose_name = "изменение значения"
        verbose_name_plural = "история значений"
        ordering = ["-changed_at", "-pk"]
        # A recompute's history has no author: only typed changes are indexed by who made them.
        indexes = [
            models.Index(fields=["changed_by"], condition=Q(changed_by__isnull=False), name="valuechange_changed_by_idx")
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"

    @property
    def field_label(self) -> str:
        """«план» or «факт», as the history page names the changed number."""
        return "план" if self.field == "plan" else "факт"


class PeriodApproval(ScopedModel):
    """The director's approval of a programme's period for a scope; while active, values are locked."""

    period = models.ForeignKey(Period, verbose_name="период", on_delete=models.CASCADE, related_name="approvals")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="утвердил", on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("утверждено", auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="снял утверждение",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField("утверждение снято", null=True, blank=True)

    class Meta:
        verbose_name = "утверждение периода"
        verbose_name_plural = "утверждения периодов"
        ordering = ["-approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scope_key"], condition=Q(revoked_at__isnull=True), name="one_active_approval"
            ),
            *scope_constraints("approval"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.scope_key}"


class RecomputeJob(BackgroundJob):
    """One «Пересчитать» run (or a nightly one): its progress is what the page polls."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="recompute_jobs")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    status_element_id = "recompute-status"
    task_name = "monitoring.tasks.recompute_job"

    class Meta:
        verbose_name = "задание пересчёта"
        verbose_name_plural = "задания пересчёта"
        ordering = ["-created_at"]
        constraints = [
            # One pending recompute per programme: two presses of «Пересчитать» make one job,
            # enforced by the database (a partial unique index), not by check-then-insert.
            models.UniqueConstraint(
                fields=["programme"], condition=Q(status__in=list(ACTIVE_STATUSES)),
                name="one_pending_recompute_job",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.get_status_display()}"

    @property
    def subject(self) -> str:
        return "Пересчёт"

    @property
    def poll_url(self) -> str:
        return reverse("monitoring:recompute_status", args=[self.pk])
