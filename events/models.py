"""The ИМЦ's year of work around its events (issue 13): registrations and attendance of the registry's events
(clusters.Event, which holds the plan: form, date and time, place, capacity, status), certificates of participation
or of short-term professional development, the consultations log and teachers' achievements.

Layer: above reports (certificates are rendered by reports' PDF pipeline, signed with the district's certificate
and verified on the справки's public page); reports never imports this app — the monitoring справка gets its
«Формы взаимодействия» section through the section registry events fills at start-up.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from clusters.models import ActivityLevel, District, Event, Organisation, Teacher
from core.jobs import ACTIVE_STATUSES, BackgroundJob
from core.search import SearchTextMixin, SearchTextQuerySet


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "зарегистрирован"
    WAITLISTED = "waitlisted", "в листе ожидания"
    CANCELLED = "cancelled", "отменена"


class Registration(models.Model):
    """A place at an event: a registry teacher (registered by their school administrator or a methodist) or a
    person outside the registry (the public event page: name, organisation, e-mail, consent)."""

    event = models.ForeignKey(Event, verbose_name="мероприятие", on_delete=models.CASCADE,
                              related_name="registrations")
    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="event_registrations")
    full_name = models.CharField("ФИО", max_length=300, blank=True)
    organisation_name = models.CharField("организация", max_length=500, blank=True)
    email = models.EmailField("e-mail", blank=True)
    status = models.CharField("статус", max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="зарегистрировал",
                                      on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("зарегистрирован", auto_now_add=True)
    consent_at = models.DateTimeField("согласие на обработку ПДн", null=True, blank=True)
    # The QR of the confirmation: a methodist's phone opens /events/checkin/<ticket>/ at the venue.
    ticket_hash = models.CharField("хеш билета", max_length=64, unique=True)
    reminded_at = models.DateTimeField("напоминание отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "регистрация на мероприятие"
        verbose_name_plural = "регистрации на мероприятия"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "teacher"], condition=Q(teacher__isnull=False),
                                    name="registration_teacher_once"),
            models.UniqueConstraint(fields=["event", "email"], condition=Q(teacher__isnull=True) & ~Q(email=""),
                                    name="registration_external_email_once"),
            models.CheckConstraint(condition=Q(teacher__isnull=False) | ~Q(full_name=""),
                                   name="registration_has_a_person"),
        ]

    def __str__(self) -> str:
        return self.person_name

    @property
    def person_name(self) -> str:
        return self.teacher.full_name if self.teacher_id else self.full_name


class CheckInMethod(models.TextChoices):
    LIST = "list", "отметка по списку"
    QR = "qr", "QR-код на входе"


class Attendance(models.Model):
    """A person present at a held event: a registry teacher or an external participant (registered or not)."""

    event = models.ForeignKey(Event, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="attendances")
    registration = models.OneToOneField(Registration, verbose_name="регистрация", on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="attendance")
    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="event_attendances")
    full_name = models.CharField("ФИО", max_length=300, blank=True)
    organisation_name = models.CharField("организация", max_length=500, blank=True)
    method = models.CharField("способ отметки", max_length=8, choices=CheckInMethod.choices,
                              default=CheckInMethod.LIST)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="отметил", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    checked_at = models.DateTimeField("отмечен", auto_now_add=True)

    class Meta:
        verbose_name = "присутствие на мероприятии"
        verbose_name_plural = "присутствие на мероприятиях"
        ordering = ["checked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "teacher"], condition=Q(teacher__isnull=False),
                                    name="attendance_teacher_once"),
            models.CheckConstraint(condition=Q(teacher__isnull=False) | ~Q(full_name=""),
                                   name="attendance_has_a_person"),
        ]

    def __str__(self) -> str:
        return self.person_name

    @property
    def person_name(self) -> str:
        return self.teacher.full_name if self.teacher_id else self.full_name


class CertificateKind(models.TextChoices):
    PARTICIPATION = "participation", "сертификат участника"
    SHORT_TRAINING = "short_training", "сертификат о краткосрочном повышении квалификации"


class Certificate(models.Model):
    """A certificate issued to one attendee, numbered in the district's register of the year, rendered as a PDF
    (signed when the district has a signing certificate) and verified at /v/<verification_code>/."""

    attendance = models.OneToOneField(Attendance, verbose_name="участник", on_delete=models.PROTECT,
                                      related_name="certificate")
    event = models.ForeignKey(Event, verbose_name="мероприятие", on_delete=models.PROTECT,
                              related_name="certificates")
    district = models.ForeignKey(District, verbose_name="район", on_delete=models.PROTECT,
                                 related_name="certificates")
    kind = models.CharField("вид", max_length=16, choices=CertificateKind.choices)
    hours = models.PositiveSmallIntegerField("объём, ч", null=True, blank=True)
    recipient_name = models.CharField("кому выдан", max_length=300)
    year = models.PositiveSmallIntegerField("год регистрации")
    sequence = models.PositiveIntegerField("порядковый номер")
    number = models.CharField("номер", max_length=40)
    verification_code = models.CharField("код проверки", max_length=20, unique=True)
    pdf = models.FileField("PDF", upload_to="certificates/%Y/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    signed = models.BooleanField("подписан ЭП", default=False)
    issued_at = models.DateTimeField("выдан", auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="выдал", on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    # The teacher's professional-development record (clusters.TrainingCompletion) a short-training one counts in.
    training_completion = models.OneToOneField("clusters.TrainingCompletion", verbose_name="запись о ПК",
                                               on_delete=models.SET_NULL, null=True, blank=True,
                                               related_name="event_certificate")

    class Meta:
        verbose_name = "сертификат"
        verbose_name_plural = "сертификаты"
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "sequence"], name="certificate_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.recipient_name}"


class CertificateJob(BackgroundJob):
    """Rendering (and signing) the PDFs an issue of an event's certificates left to make; the page polls it.
    A job row first, the Celery message second (core/outbox.py): a broker outage or a dead worker delays the
    PDFs, the sweeper sends the job again."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="certificate_jobs")

    status_element_id = "certificates-status"
    task_name = "events.certificate_tasks.render_certificates"
    lock_namespace = 5_050_513  # «certificate jobs» (events/certificate_tasks.py holds it while rendering)

    class Meta:
        verbose_name = "задание выпуска сертификатов"
        verbose_name_plural = "задания выпуска сертификатов"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event"], condition=Q(status__in=list(ACTIVE_STATUSES)),
                                    name="one_pending_certificate_job"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.status}"

    @property
    def subject(self) -> str:
        return "Сертификаты"

    @property
    def poll_url(self) -> str:
        return reverse("events:certificates_job_status", args=[self.pk])


class CertificateCounter(models.Model):
    """The district's certificate register: the last number given in a year (taken under a row lock)."""

    district = models.ForeignKey(District, verbose_name="район", on_delete=models.CASCADE,
                                 related_name="certificate_counters")
    year = models.PositiveSmallIntegerField("год")
    last = models.PositiveIntegerField("последний номер", default=0)

    class Meta:
        verbose_name = "журнал сертификатов"
        verbose_name_plural = "журналы сертификатов"
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="certificate_counter_unique")]

    def __str__(self) -> str:
        return f"{self.district}: {self.year} — №{self.last}"


class ConsultationKind(models.TextChoices):
    INDIVIDUAL = "individual", "индивидуальная"
    THEMATIC = "thematic", "тематическая"


class Consultation(SearchTextMixin, models.Model):
    """An individual or thematic consultation a methodist gave (seed 004's criterion counts the teachers)."""

    district = models.ForeignKey(District, verbose_name="район", on_delete=models.PROTECT,
                                 related_name="consultations")
    kind = models.CharField("вид", max_length=12, choices=ConsultationKind.choices)
    topic = models.CharField("тема", max_length=500)
    held_on = models.DateField("дата")
    methodist = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="методист", on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="consultations_given")
    methodist_name = models.CharField("консультант", max_length=300, blank=True,
                                      help_text="Если консультировал не пользователь портала")
    teachers = models.ManyToManyField(Teacher, verbose_name="педагоги", related_name="consultations", blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name="организация", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="consultations")
    notes = models.TextField("содержание, итоги", blank=True)
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    # The journal's search box (core/search.py): the topic and an outside consultant's name, normalised.
    SEARCH_FIELDS = ("topic", "methodist_name")
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "консультация"
        verbose_name_plural = "консультации"
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d.%m.%Y})"


class AchievementKind(models.TextChoices):
    PUBLICATION = "publication", "публикация"
    COMPETITION = "competition", "конкурс"


class CompetitionResult(models.TextChoices):
    PARTICIPANT = "participant", "участник"
    PRIZE = "prize", "призёр"
    WINNER = "winner", "победитель"


class Achievement(SearchTextMixin, models.Model):
    """A teacher's publication (title, where, year) or participation in a competition (level, result)."""

    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.CASCADE,
                                related_name="achievements")
    kind = models.CharField("вид", max_length=12, choices=AchievementKind.choices)
    title = models.CharField("название", max_length=500)
    venue = models.CharField("где (издание, организатор)", max_length=500, blank=True)
    year = models.PositiveSmallIntegerField("год", validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    level = models.CharField("уровень", max_length=20, choices=ActivityLevel.choices, blank=True)
    result = models.CharField("результат", max_length=12, choices=CompetitionResult.choices, blank=True)
    event = models.ForeignKey(Event, verbose_name="мероприятие реестра", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="achievements")
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    # The list's search box (core/search.py): the title and where it was published or held, normalised.
    SEARCH_FIELDS = ("title", "venue")
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        verbose_name = "достижение педагога"
        verbose_name_plural = "достижения педагогов"
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="publication") | ~Q(result=""),
                                   name="achievement_competition_has_result"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"
