"""Questionnaires, survey campaigns and responses.

A questionnaire is a versioned form (sections → questions → options / grid rows). A campaign runs
one questionnaire in a district (or for chosen organisations) between two dates, for one of two
audiences: anonymous teachers (public link per campaign and organisation, nothing identifying
stored) or organisations (one response per organisation, filled by its school administrator).
Answers are rows — one per chosen option, grid cell, text or number — so results are GROUP BY
queries in the database.
"""
from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone


class Audience(models.TextChoices):
    TEACHERS = "teachers", "педагоги (анонимно, по ссылке)"
    ORGANISATION = "organisation", "организация (заполняет администратор ОУ)"


class Questionnaire(models.Model):
    district = models.ForeignKey(
        "clusters.District",
        verbose_name="район",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text="Пусто — общая анкета, доступная всем районам",
    )
    code = models.SlugField("код", max_length=80, help_text="Постоянный код анкеты; одинаков у всех версий")
    version = models.PositiveSmallIntegerField("версия", default=1)
    previous = models.ForeignKey(
        "self", verbose_name="предыдущая версия", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField("название", max_length=500)
    intro = models.TextField("обращение к респонденту", blank=True)
    outro = models.TextField("текст после отправки", blank=True, default="Благодарим за сотрудничество!")
    audience = models.CharField("кто заполняет", max_length=15, choices=Audience.choices, default=Audience.TEACHERS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "анкета"
        verbose_name_plural = "анкеты"
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code", "version"], name="questionnaire_unique_version"),
            models.UniqueConstraint(
                fields=["code", "version"], condition=Q(district__isnull=True), name="shared_questionnaire_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.version})" if self.version > 1 else self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire_detail", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.audience == Audience.TEACHERS

    def has_responses(self) -> bool:
        """Questions of a questionnaire with responses are frozen: answers must not change meaning."""
        return Response.objects.filter(campaign__questionnaire=self).exists()


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField("название раздела", max_length=500)
    description = models.TextField("пояснение", blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "раздел анкеты"
        verbose_name_plural = "разделы анкеты"
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", "один вариант"
    MULTIPLE = "multiple", "несколько вариантов"
    GRID = "grid", "таблица: один вариант в каждой строке"
    YES_NO_GRID = "yes_no_grid", "таблица: да/нет в каждой строке"
    TEXT = "text", "свободный ответ"
    NUMBER = "number", "число"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
GRID_KINDS = frozenset({QuestionKind.GRID, QuestionKind.YES_NO_GRID})


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, verbose_name="раздел", on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    code = models.SlugField("код", max_length=40, help_text="Постоянный код вопроса в анкете, например q5")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    text = models.TextField("вопрос")
    help_text = models.TextField("подсказка", blank=True)
    kind = models.CharField("тип", max_length=15, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    required = models.BooleanField("обязательный", default=True)
    allow_other = models.BooleanField("вариант «Другое» со своим текстом", default=False)
    other_label = models.CharField("подпись варианта «Другое»", max_length=300, blank=True, default="Другое")
    min_value = models.DecimalField("минимум", max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField("максимум", max_digits=12, decimal_places=2, null=True, blank=True)
    max_length = models.PositiveIntegerField("наибольшая длина ответа", default=2000, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "вопрос"
        verbose_name_plural = "вопросы"
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(max_value__gte=F("min_value")),
                name="question_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_grid(self) -> bool:
        return self.kind in GRID_KINDS

    # Templates ask these instead of comparing `kind` with literals.
    @property
    def is_single(self) -> bool:
        return self.kind == QuestionKind.SINGLE

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT

    @property
    def is_number(self) -> bool:
        return self.kind == QuestionKind.NUMBER


class Option(models.Model):
    """An answer option of a choice question, or a column of a grid question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField("вариант", max_length=500)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    points = models.DecimalField(
        "баллы", max_digits=8, decimal_places=2, null=True, blank=True,
        help_text="Для критериев: «наличие – 1 балл, отсутствие – 0 баллов»",
    )

    class Meta:
        verbose_name = "вариант ответа"
        verbose_name_plural = "варианты ответа"
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class GridRow(models.Model):
    """A row of a grid question; its columns are the question's options."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows")
    text = models.CharField("строка", max_length=500)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "строка таблицы"
        verbose_name_plural = "строки таблицы"
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class CampaignState(models.TextChoices):
    """Where a campaign is in its life, derived from its dates (surveys/workflow.py: what each allows)."""

    SCHEDULED = "scheduled", "запланирована"
    OPEN = "open", "идёт приём"
    CLOSED = "closed", "завершена"


class Campaign(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="анкета", on_delete=models.PROTECT, related_name="campaigns"
    )
    district = models.ForeignKey("clusters.District", verbose_name="район", on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField("название кампании", max_length=300)
    opens_at = models.DateTimeField("начало приёма ответов")
    closes_at = models.DateTimeField("окончание приёма ответов")
    organisations = models.ManyToManyField(
        "clusters.Organisation", verbose_name="организации", blank=True, related_name="campaigns",
        help_text="Пусто — все действующие организации района",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opening_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "кампания анкетирования"
        verbose_name_plural = "кампании анкетирования"
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="campaign_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign_detail", args=[self.pk])

    @property
    def audience(self) -> str:
        return self.questionnaire.audience

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def state(self, now=None) -> CampaignState:
        now = now or timezone.now()
        if now < self.opens_at:
            return CampaignState.SCHEDULED
        return CampaignState.OPEN if now < self.closes_at else CampaignState.CLOSED


def new_token() -> str:
    return secrets.token_urlsafe(12)


class CampaignLink(models.Model):
    """A public link of an anonymous campaign: one for the campaign, one per organisation.

    The organisation link lets results break down by organisation without identifying anyone.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(
        "clusters.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = "ссылка на анкету"
        verbose_name_plural = "ссылки на анкету"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="link_unique_per_organisation"),
            models.UniqueConstraint(fields=["campaign"], condition=Q(organisation__isnull=True),
                                    name="link_unique_general"),
        ]

    def __str__(self) -> str:
        return self.token

    def get_absolute_url(self) -> str:
        return reverse("survey_public:respond", args=[self.token])


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "отправлена"


class Response(models.Model):
    """One filled questionnaire.

    Anonymous responses keep only the campaign, the organisation of the link and the date — no
    user, no IP, no time of day. `submission_key` is the random part of the signed key the
    server issued with the form (surveys/submission_keys.py), so a double click, a retried POST
    or Back + «Отправить» stores one response. `public_id` is what URLs and exports show: the
    primary key is sequential and would tell the order answers came in (and, next to a web
    server's log, who sent which); a random UUID tells nothing.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "clusters.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    for_organisation = models.BooleanField(default=False, editable=False)
    status = models.CharField(max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.SUBMITTED)
    submitted_on = models.DateField("дата отправки", null=True, blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    public_id = models.UUIDField("код анкеты", default=uuid.uuid4, unique=True, editable=False)
    # Only organisation responses (not anonymous) record who last saved them.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ответ на анкету"
        verbose_name_plural = "ответы на анкеты"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], condition=Q(for_organisation=True),
                name="one_response_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(for_organisation=False) | Q(organisation__isnull=False),
                name="organisation_response_has_organisation",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="response_campaign_status_idx")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organisation or 'аноним'}"

    @property
    def is_draft(self) -> bool:
        return self.status == ResponseStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Answer(models.Model):
    """One answer atom: a chosen option, a grid cell, the text of «Другое», free text or a number.

    `campaign` repeats the response's campaign so results group without a join.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, null=True, blank=True, related_name="answers")
    row = models.ForeignKey(GridRow, on_delete=models.PROTECT, null=True, blank=True, related_name="answers")
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = "ответ на вопрос"
        verbose_name_plural = "ответы на вопросы"
        indexes = [
            models.Index(fields=["campaign", "question", "row", "option"], name="answer_campaign_counts_idx"),
            # The results page's first texts per question (surveys/results.py: free_texts).
            models.Index(fields=["campaign", "question", "id"], condition=Q(option__isnull=True, row__isnull=True),
                         name="answer_texts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.option or self.text or self.number}"


class NoticeKind(models.TextChoices):
    OPENING = "opening", "приглашение"
    REMINDER = "reminder", "напоминание"


class CampaignNotice(models.Model):
    """One e-mail about a campaign that reached one organisation's recipients.

    The hourly notifier (surveys/notifications.py) sends each organisation its notice separately
    and records it here, so a recipient the mail server refused is tried again next hour without
    sending the others theirs twice; the campaign is marked done only when nobody is left.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey("clusters.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = "уведомление о кампании"
        verbose_name_plural = "уведомления о кампаниях"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation", "kind"], name="notice_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organisation_id} ({self.get_kind_display()})"


class Measure(models.TextChoices):
    """What a row of AnswerCount counts (surveys/aggregates.py)."""

    RESPONSES = "r", "отправленные анкеты группы"
    ANSWERS = "a", "строки ответов на (вопрос, строку таблицы, вариант)"
    QUESTION = "q", "ответившие на вопрос; для чисел — сумма, минимум, максимум"


class AnswerCount(models.Model):
    """Counts of a campaign's submitted answers per organisation, kept up to date on submission.

    One row per (campaign, organisation, measure, question, grid row, option); organisation NULL is
    the general link's respondents. The results page sums these rows (a cluster is the sum of its
    organisations) instead of reading every Answer; surveys/aggregates.py writes them in the
    transaction that stores a response and rebuilds a campaign's rows from its answers after bulk
    loads (`manage.py rebuild_survey_counts`). NULL keys are 0 in the unique index, so one upsert
    adds a response's counts whatever its keys.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("clusters.Organisation", on_delete=models.CASCADE, null=True, related_name="+")
    measure = models.CharField(max_length=1, choices=Measure.choices)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, related_name="+")
    row = models.ForeignKey(GridRow, on_delete=models.CASCADE, null=True, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, related_name="+")
    count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    minimum = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    maximum = models.DecimalField(max_digits=14, decimal_places=4, null=True)

    class Meta:
        verbose_name = "счётчик ответов"
        verbose_name_plural = "счётчики ответов"
        constraints = [
            models.UniqueConstraint(
                F("campaign"), Coalesce("organisation", 0), F("measure"), Coalesce("question", 0),
                Coalesce("row", 0), Coalesce("option", 0), name="answer_count_unique_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.organisation_id}/{self.measure}/{self.question_id}: {self.count}"
