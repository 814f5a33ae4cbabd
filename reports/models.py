"""Analytical reports (справки): drafts, approval with an outgoing number, PDFs, signatures.

A report is built from monitoring or survey data of one district; its text parts (conclusion,
recommendations) are typed by a methodist. Approval takes a gapless number from the ИМЦ's
outgoing register; the final PDF is rendered by Celery, signed by the director (PAdES), and from
then on the report is immutable — a correction is a new report that names the one it replaces.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.formatting import document_ref
from core.jobs import ACTIVE_STATUSES, BackgroundJob


class ReportStatus(models.TextChoices):
    # «Справка» is feminine: «утверждена», «подписана».
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на утверждении"
    RETURNED = "returned", "возвращена на доработку"
    APPROVED = "approved", "утверждена"
    SIGNED = "signed", "подписана"


EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class ApprovalBlock(models.TextChoices):
    """The approval block at the top right of the first page (the kind's default, a report may override it).

    Seed 000 (Frunzensky справка) has none, seed 003 (Krasnoselsky analysis) «УТВЕРЖДЁН приказом … от 13.03.2024
    № 65», the others the director's «УТВЕРЖДАЮ» with the date of approval. The values are also
    reports.kinds.registry.APPROVAL_BLOCKS (the registry imports no model)."""

    NONE = "none", "без грифа утверждения"
    DIRECTOR = "director", "«УТВЕРЖДАЮ» — директор ИМЦ, дата утверждения"
    ORDER = "order", "«Утверждён приказом от … № …» — номер и дата приказа"


def new_verification_code() -> str:
    return secrets.token_urlsafe(9)


class OutgoingCounter(models.Model):
    """The ИМЦ's outgoing-documents register for one year: the last number given out.

    Numbers are taken under SELECT … FOR UPDATE inside the approving transaction, so two
    approvals at the same moment get consecutive numbers and a rolled-back approval frees its
    number again (gapless).
    """

    method_centre = models.ForeignKey(
        "clusters.MethodCentre", on_delete=models.CASCADE, related_name="outgoing_counters"
    )
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "журнал исходящих"
        verbose_name_plural = "журналы исходящих"
        constraints = [models.UniqueConstraint(fields=["method_centre", "year"], name="counter_unique_year")]

    def __str__(self) -> str:
        return f"{self.method_centre} {self.year}: {self.last_number}"


class Report(models.Model):
    district = models.ForeignKey("clusters.District", verbose_name="район", on_delete=models.PROTECT, related_name="reports")
    # A code of reports.kinds (no `choices`: the registry, not a migration, says which kinds exist;
    # clean() and the creation form check it).
    kind = models.CharField("вид", max_length=20)
    title = models.TextField("заголовок")
    # What the report is about (which fields apply depends on the kind).
    programme = models.ForeignKey(
        "monitoring.Programme", verbose_name="программа мониторинга", on_delete=models.PROTECT,
        null=True, blank=True, related_name="reports",
    )
    scope_key = models.CharField("объект", max_length=40, default="district")
    periods = models.ManyToManyField("monitoring.Period", verbose_name="периоды", blank=True, related_name="reports")
    campaign = models.ForeignKey(
        "surveys.Campaign", verbose_name="кампания анкетирования", on_delete=models.PROTECT,
        null=True, blank=True, related_name="reports",
    )
    intro = models.TextField("вступление", blank=True)
    conclusion = models.TextField("вывод", blank=True)
    recommendations = models.TextField("рекомендации и управленческие решения", blank=True)
    # Per-section texts (e.g. a conclusion per project of a development programme): {key: text}.
    section_texts = models.JSONField("тексты разделов", default=dict, blank=True)

    # Options of the document (reports/options.py); empty / None means «as the kind has it».
    approval_block = models.CharField("гриф утверждения", max_length=10, choices=ApprovalBlock.choices, blank=True)
    approval_order_number = models.CharField("номер приказа об утверждении", max_length=40, blank=True)
    approval_order_date = models.DateField("дата приказа об утверждении", null=True, blank=True)
    show_charts = models.BooleanField("графики", null=True, blank=True)
    # Keys of the kind's movable sections (and generated sections) in the order printed; [] — the kind's order.
    section_order = models.JSONField("порядок разделов", default=list, blank=True)

    status = models.CharField("статус", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    return_comment = models.TextField("комментарий директора", blank=True)
    outgoing_year = models.PositiveSmallIntegerField("год регистрации", null=True, blank=True, editable=False)
    outgoing_number = models.PositiveIntegerField("исходящий номер", null=True, blank=True, editable=False)
    outgoing_label = models.CharField("номер", max_length=40, blank=True, editable=False)
    dated = models.DateField("дата", null=True, blank=True, editable=False)
    replaces = models.ForeignKey(
        "self", verbose_name="заменяет", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    verification_code = models.CharField(max_length=20, unique=True, default=new_verification_code, editable=False)
    # The portal's address printed into the final PDF (verification link and QR code), fixed at
    # approval: PORTAL_BASE_URL, or the approving request's address (core/links.py). Empty on reports
    # approved before it was stored: they use the current PORTAL_BASE_URL.
    public_base_url = models.CharField("адрес портала в документе", max_length=200, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="автор", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    submitted_at = models.DateTimeField("отправлен на утверждение", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="утвердил", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="подписал", on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    signed_at = models.DateTimeField("подписан", null=True, blank=True)
    published_to_schools = models.BooleanField("доступен администраторам ОУ", default=False)

    class Meta:
        verbose_name = "справка"
        verbose_name_plural = "справки"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "outgoing_year", "outgoing_number"], condition=Q(outgoing_number__isnull=False),
                name="report_number_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.outgoing_label:
            return f"{self.title} {document_ref(self.outgoing_label, self.dated)}"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        from .kinds import find

        if find(self.kind) is None:
            raise ValidationError({"kind": f"Неизвестный вид справки: «{self.kind}»."})

    @property
    def kind_label(self) -> str:
        """The kind's name from the registry (the raw code if its module is gone)."""
        from .kinds import find

        spec = find(self.kind)
        return spec.label if spec else self.kind

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_returned(self) -> bool:
        return self.status == ReportStatus.RETURNED

    @property
    def is_signed(self) -> bool:
        return self.status == ReportStatus.SIGNED


class FileRole(models.TextChoices):
    DRAFT_PDF = "draft_pdf", "проект (PDF)"
    FINAL_PDF = "final_pdf", "утверждённая справка (PDF)"
    SIGNED_PDF = "signed_pdf", "подписанная справка (PDF)"
    XLSX = "xlsx", "таблицы (XLSX)"
    DETACHED_SIGNATURE = "detached_sig", "открепленная подпись (.sig)"


def report_file_path(instance: ReportFile, filename: str) -> str:
    return f"reports/{instance.report.district_id}/{instance.report_id}/{filename}"


class ReportFile(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=15, choices=FileRole.choices)
    file = models.FileField(upload_to=report_file_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the portal read from the signature this file carries (the signed PDF's CMS, a detached
    # .sig and the result of its check): the verification page shows this, never the user record.
    signature = models.JSONField("сведения о подписи", default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = "файл справки"
        verbose_name_plural = "файлы справок"
        ordering = ["-created_at"]
        constraints = [
            # One current file per role; a re-rendered draft replaces the previous draft row.
            models.UniqueConstraint(fields=["report", "role"], name="report_file_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.get_role_display()}"


class RenderJob(BackgroundJob):
    """One request to render a report's PDF (and XLSX); the page polls its status."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="render_jobs")
    target = models.CharField(max_length=15, choices=FileRole.choices)

    status_element_id = "render-status"
    task_name = "reports.tasks.render_report"
    lock_namespace = 5_050_505  # «render jobs» (reports/tasks.py holds it while rendering)

    class Meta:
        verbose_name = "задание формирования документа"
        verbose_name_plural = "задания формирования документов"
        ordering = ["-created_at"]
        constraints = [
            # One active job per report and target: a double click does not render twice.
            models.UniqueConstraint(
                fields=["report", "target"], condition=Q(status__in=list(ACTIVE_STATUSES)),
                name="one_pending_render_job",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.target} {self.status}"

    @property
    def subject(self) -> str:
        return self.get_target_display()

    @property
    def poll_url(self) -> str:
        # ?poll=1: the status view reloads the page once the new file is there.
        return reverse("reports:render_job_status", args=[self.pk]) + "?poll=1"


class DownloadLog(models.Model):
    report_file = models.ForeignKey(ReportFile, on_delete=models.CASCADE, related_name="downloads")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="downloads")
    role = models.CharField(max_length=15, choices=FileRole.choices)
    sha256 = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "скачивание"
        verbose_name_plural = "журнал скачиваний"
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.report_id} {self.downloaded_at:%d.%m.%Y %H:%M}"


class ReportEvent(models.Model):
    """The workflow history: created, submitted, returned (with the comment), approved, signed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "событие документа"
        verbose_name_plural = "события документов"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class SigningCredential(models.Model):
    """A signer's own PKCS#12 (key + certificate), sealed with SIGNING_CREDENTIALS_KEY (Fernet).

    The file and its password are stored only as Fernet tokens (reports/certificates.py), so the
    director signs with one click and the database alone opens neither. The certificate's public
    facts are copied out for the profile page and the admin list; signing reads them from the
    unsealed certificate itself. `version` grows with every replacement: the per-process cache of
    opened keys (reports/signing.py) is keyed by (id, version, fingerprint).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="владелец", on_delete=models.CASCADE, related_name="signing_credential",
    )
    pkcs12_token = models.BinaryField("PKCS#12 (зашифрован)", editable=False)
    password_token = models.BinaryField("пароль PKCS#12 (зашифрован)", editable=False)
    version = models.PositiveIntegerField("версия", default=1, editable=False)
    subject = models.CharField("владелец сертификата", max_length=300, editable=False)
    issuer = models.CharField("издатель", max_length=300, editable=False)
    serial = models.CharField("серийный номер", max_length=80, editable=False)
    not_before = models.DateTimeField("действует с", editable=False)
    not_after = models.DateTimeField("действует по", editable=False)
    fingerprint = models.CharField("SHA-256 сертификата", max_length=64, editable=False)
    uploaded_at = models.DateTimeField("загружен", auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="загрузил", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )

    class Meta:
        verbose_name = "сертификат подписи"
        verbose_name_plural = "сертификаты подписи"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.subject} (№ {self.serial})"
