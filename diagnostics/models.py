"""Self-diagnostics of professional deficits and competencies (seed 004's «районная система онлайн
самодиагностики», seed 001's competency index) → personal results → ИОМ built from them.

An instrument is versioned and scored: each item belongs to an area (a deficit or competency group) and each
answer is scored 0–1 (a Likert scale of k options maps option i to i / (k − 1)). A teacher answers through a
personal link of a campaign (no account); on submission the answers are scored and one AreaScore per area is
stored, so every roll-up (deficit map, competency index, indicators) aggregates AreaScore rows in the database.
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
    Community,
    District,
    Event,
    IndividualRoute,
    Organisation,
    Teacher,
    TrainingCompletion,
    TrainingProgram,
    year_validators,
)

SCORE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Family(models.TextChoices):
    """What an instrument (and its areas) measures."""

    TEACHER_DEFICITS = "teacher_deficits", "дефициты педагога"
    HEAD_DEFICITS = "head_deficits", "дефициты руководителя"
    COMPETENCIES = "competencies", "профессиональные компетенции"
    DIGITAL = "digital", "цифровая компетентность"


class Area(models.Model):
    """A deficit or competency group: «предметные», «методологические», «знаниевый компонент…».

    Shared by every version of the instruments of its family, so a teacher's index in an area can be
    followed over years; training programmes are tagged with the areas they address."""

    code = models.SlugField("код", max_length=50, unique=True)
    name = models.CharField("название", max_length=150)
    family = models.CharField("семейство", max_length=30, choices=Family.choices)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    recommendation = models.TextField("адресные рекомендации при дефиците", blank=True)
    training_programs = models.ManyToManyField(
        TrainingProgram, verbose_name="программы ПК, устраняющие дефицит", blank=True, related_name="areas"
    )

    class Meta:
        verbose_name = "группа компетенций"
        verbose_name_plural = "группы компетенций и дефицитов"
        ordering = ["family", "position", "name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    TEACHER = "teacher", "педагоги"
    HEAD = "head", "руководители организаций"


class Scale(models.TextChoices):
    """Answer scales; option i of k scores i / (k − 1) (scoring.py)."""

    LIKERT4 = "likert4", "4 уровня (не владею … владею свободно)"
    LIKERT5 = "likert5", "5 уровней (совсем нет … полностью)"
    YES_NO = "yes_no", "да / нет"


class Instrument(models.Model):
    """A versioned diagnostic instrument; shipped ones have no district, a district may copy and edit its own.
    Once anybody has answered a version, its items are frozen (edit a new version instead)."""

    district = models.ForeignKey(District, verbose_name="район", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="diagnostic_instruments", help_text="Пусто — поставляется с порталом")
    code = models.SlugField("код", max_length=50)
    version = models.PositiveSmallIntegerField("версия", default=1)
    title = models.CharField("название", max_length=300)
    family = models.CharField("что измеряет", max_length=30, choices=Family.choices)
    audience = models.CharField("для кого", max_length=20, choices=Audience.choices, default=Audience.TEACHER)
    description = models.TextField("описание", blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "диагностический инструмент"
        verbose_name_plural = "диагностические инструменты"
        ordering = ["family", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code", "version"], name="instrument_unique_version"),
            models.UniqueConstraint(fields=["code", "version"], condition=Q(district__isnull=True),
                                    name="instrument_unique_shipped_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (версия {self.version})"


class Item(models.Model):
    """One statement of an instrument, in one area. `levels` / `professions` restrict it to a variant
    (seed 004's «проекции»): empty means every level / profession."""

    instrument = models.ForeignKey(Instrument, verbose_name="инструмент", on_delete=models.CASCADE,
                                   related_name="items")
    area = models.ForeignKey(Area, verbose_name="группа", on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    text = models.TextField("утверждение")
    scale = models.CharField("шкала", max_length=20, choices=Scale.choices, default=Scale.LIKERT4)
    levels = models.JSONField("уровни образования", default=list, blank=True)
    professions = models.JSONField("профессии", default=list, blank=True)

    class Meta:
        verbose_name = "утверждение"
        verbose_name_plural = "утверждения"
        ordering = ["instrument", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class EducationLevel(models.TextChoices):
    """Seed 004's level «проекции»."""

    PRESCHOOL = "preschool", "дошкольное образование"
    BASIC = "basic", "основное общее образование"
    SECONDARY = "secondary", "среднее общее образование"
    SUPPLEMENTARY = "supplementary", "дополнительное образование детей"


class Profession(models.TextChoices):
    """Seed 004's profession «проекции»."""

    TEACHER = "teacher", "учитель"
    PSYCHOLOGIST = "psychologist", "педагог-психолог"
    SPEECH_THERAPIST = "speech_therapist", "учитель-логопед"
    SOCIAL_PEDAGOGUE = "social_pedagogue", "социальный педагог"
    TUTOR = "tutor", "тьютор"
    EDUCATOR = "educator", "воспитатель"


class LevelSettings(models.Model):
    """A district's thresholds of a profile's levels: «дефицит» below `deficit_below`, «высокий» from `high_from`."""

    district = models.OneToOneField(District, verbose_name="район", on_delete=models.CASCADE,
                                    related_name="diagnostic_levels")
    deficit_below = models.DecimalField("дефицит — индекс ниже", max_digits=3, decimal_places=2,
                                        default=Decimal("0.5"), validators=SCORE)
    high_from = models.DecimalField("высокий — индекс от", max_digits=3, decimal_places=2,
                                    default=Decimal("0.8"), validators=SCORE)

    class Meta:
        verbose_name = "пороги уровней диагностики"
        verbose_name_plural = "пороги уровней диагностики"
        constraints = [models.CheckConstraint(condition=Q(deficit_below__lt=F("high_from")),
                                              name="diagnostic_levels_ordered")]

    def __str__(self) -> str:
        return f"Пороги уровней диагностики: {self.district}"

    def clean(self) -> None:
        if self.deficit_below is not None and self.high_from is not None and self.deficit_below >= self.high_from:
            raise ValidationError({"high_from": "Порог высокого уровня должен быть выше порога дефицита."})


class DiagnosticCampaign(models.Model):
    """A district's diagnostic campaign: one instrument version (and variant) for the teachers of some
    organisations, each invited by a personal link."""

    district = models.ForeignKey(District, verbose_name="район", on_delete=models.PROTECT,
                                 related_name="diagnostic_campaigns")
    instrument = models.ForeignKey(Instrument, verbose_name="инструмент", on_delete=models.PROTECT,
                                   related_name="campaigns")
    title = models.CharField("название", max_length=300)
    year = models.PositiveSmallIntegerField("год", validators=year_validators(),
                                            help_text="Год, к которому относятся результаты (индекс по годам)")
    period_label = models.CharField("период", max_length=20, blank=True, help_text="Например, 2019/20")
    level = models.CharField("уровень образования", max_length=20, choices=EducationLevel.choices, blank=True)
    profession = models.CharField("профессия", max_length=30, choices=Profession.choices, blank=True)
    organisations = models.ManyToManyField(Organisation, verbose_name="организации", related_name="+")
    opens_at = models.DateTimeField("начало")
    closes_at = models.DateTimeField("окончание")
    closed_at = models.DateTimeField("закрыта досрочно", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="создал", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "диагностическая кампания"
        verbose_name_plural = "диагностические кампании"
        ordering = ["-opens_at"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")),
                                              name="diagnostic_campaign_dates_ordered")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("diagnostics:campaign_detail", args=[self.pk])


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "приглашён"
    DECLINED = "declined", "отказался"
    DRAFT = "draft", "начал заполнять"
    SUBMITTED = "submitted", "прошёл диагностику"


class Invitation(models.Model):
    """A teacher's personal link to a campaign. Only a hash of the token is stored; the link is shown once
    (e-mail or the printable list) and stops working after submission."""

    campaign = models.ForeignKey(DiagnosticCampaign, verbose_name="кампания", on_delete=models.CASCADE,
                                 related_name="invitations")
    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.CASCADE,
                                related_name="diagnostic_invitations")
    token_hash = models.CharField("хеш ссылки", max_length=64, unique=True)
    status = models.CharField("статус", max_length=20, choices=InvitationStatus.choices,
                              default=InvitationStatus.INVITED)
    consent_at = models.DateTimeField("согласие дано", null=True, blank=True)
    declined_at = models.DateTimeField("отказ", null=True, blank=True)
    emailed_at = models.DateTimeField("ссылка отправлена", null=True, blank=True)
    reminded_at = models.DateTimeField("напоминание", null=True, blank=True)
    submitted_at = models.DateTimeField("отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "персональная ссылка"
        verbose_name_plural = "персональные ссылки"
        ordering = ["campaign", "teacher__full_name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "teacher"], name="invitation_unique_teacher")]
        indexes = [models.Index(fields=["campaign", "status"], name="invitation_campaign_status")]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.campaign}"


class Answer(models.Model):
    invitation = models.ForeignKey(Invitation, verbose_name="ссылка", on_delete=models.CASCADE,
                                   related_name="answers")
    item = models.ForeignKey(Item, verbose_name="утверждение", on_delete=models.PROTECT, related_name="answers")
    choice = models.PositiveSmallIntegerField("выбранный вариант (с нуля)")
    score = models.DecimalField("балл 0–1", max_digits=4, decimal_places=3, validators=SCORE)

    class Meta:
        verbose_name = "ответ"
        verbose_name_plural = "ответы"
        constraints = [models.UniqueConstraint(fields=["invitation", "item"], name="diagnostic_answer_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


class AreaScore(models.Model):
    """A submitted diagnosis's index in one area: the mean score of the area's answered items (0–1)."""

    invitation = models.ForeignKey(Invitation, verbose_name="ссылка", on_delete=models.CASCADE,
                                   related_name="area_scores")
    area = models.ForeignKey(Area, verbose_name="группа", on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField("индекс", max_digits=4, decimal_places=3, validators=SCORE)
    items = models.PositiveSmallIntegerField("утверждений")

    class Meta:
        verbose_name = "индекс по группе"
        verbose_name_plural = "индексы по группам"
        constraints = [models.UniqueConstraint(fields=["invitation", "area"], name="area_score_unique")]
        indexes = [models.Index(fields=["area", "invitation"], name="area_score_area")]

    def __str__(self) -> str:
        return f"{self.area}: {self.score}"


# --- ИОМ built from a diagnosis ------------------------------------------------------------------


class RouteOrigin(models.Model):
    """Where a route (clusters.IndividualRoute) came from and who approved it: a route proposed from a
    diagnosis waits for the school administrator's approval."""

    route = models.OneToOneField(IndividualRoute, verbose_name="ИОМ", on_delete=models.CASCADE,
                                 related_name="origin")
    invitation = models.ForeignKey(Invitation, verbose_name="диагностика", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="routes")
    proposed_at = models.DateTimeField("предложен", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="утвердил", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)

    class Meta:
        verbose_name = "происхождение ИОМ"
        verbose_name_plural = "происхождение ИОМ"

    def __str__(self) -> str:
        return f"Происхождение {self.route}"


class StepKind(models.TextChoices):
    COURSE = "course", "курс повышения квалификации"
    MENTOR = "mentor", "работа с наставником"
    COMMUNITY = "community", "участие в сообществе"
    EVENT = "event", "мероприятие"
    OTHER = "other", "другое"


class StepStatus(models.TextChoices):
    PLANNED = "planned", "запланирован"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнен"
    CANCELLED = "cancelled", "отменён"


class RouteStep(models.Model):
    """A step of an ИОМ: a course (completed when the training registry records it), a mentor, a community,
    an event or free text; with the area it addresses, a deadline and a status."""

    route = models.ForeignKey(IndividualRoute, verbose_name="ИОМ", on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    kind = models.CharField("вид", max_length=20, choices=StepKind.choices, default=StepKind.OTHER)
    area = models.ForeignKey(Area, verbose_name="группа", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="route_steps")
    title = models.TextField("содержание")
    training_program = models.ForeignKey(TrainingProgram, verbose_name="курс", on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="route_steps")
    mentor = models.ForeignKey(Teacher, verbose_name="наставник", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="route_steps_as_mentor")
    community = models.ForeignKey(Community, verbose_name="сообщество", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="route_steps")
    event = models.ForeignKey(Event, verbose_name="мероприятие", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="route_steps")
    due_on = models.DateField("срок", null=True, blank=True)
    status = models.CharField("статус", max_length=20, choices=StepStatus.choices, default=StepStatus.PLANNED)
    completion = models.ForeignKey(TrainingCompletion, verbose_name="пройденный курс", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="route_steps")
    completed_on = models.DateField("выполнен", null=True, blank=True)

    class Meta:
        verbose_name = "шаг ИОМ"
        verbose_name_plural = "шаги ИОМ"
        ordering = ["route", "position", "pk"]

    def __str__(self) -> str:
        return self.title[:80]
