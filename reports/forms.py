"""Forms of the reports pages: the kind, the parameters of each kind, the texts, the director's inputs."""
from __future__ import annotations

from django import forms

from monitoring.models import Period, Programme
from monitoring.selectors import programmes_for_user, scope_choices
from surveys.selectors import campaigns_for_user

from .models import Report, ReportKind, ReportStatus
from .services import COMPARATIVE_MIN_PERIODS, SECTION_LABELS

KIND_HELP = {
    ReportKind.MONITORING: "План и факт показателей программы по годам, вывод о достижении, кластеры года "
                           "с числом организаций, роли уровней, графики динамики.",
    ReportKind.DEVELOPMENT: "Таблица по каждому проекту с баллами самооценки на контрольных точках и вывод по проекту.",
    ReportKind.SURVEY: "Ответы кампании анкетирования: доли по вопросам, участие организаций.",
    ReportKind.COMPARATIVE: f"Показатели программы за {COMPARATIVE_MIN_PERIODS} и более периодов, "
                            "рекомендации и управленческие решения.",
}


class ReportKindForm(forms.Form):
    kind = forms.ChoiceField(label="Вид справки", choices=ReportKind.choices, widget=forms.RadioSelect)


class PeriodChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Period) -> str:
        return f"{obj.programme.name}: {obj.label}"


class ReportParametersForm(forms.Form):
    """What the report is about; which fields appear depends on the kind."""

    title = forms.CharField(
        label="Заголовок", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Можно оставить пустым — заголовок составится по программе и периодам.",
    )

    def __init__(self, *args, user, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == ReportKind.SURVEY:
            self.fields["campaign"] = forms.ModelChoiceField(
                label="Кампания анкетирования", queryset=campaigns_for_user(user).order_by("-opens_at"),
            )
        else:
            programmes = programmes_for_user(user).order_by("name")
            self.fields["programme"] = forms.ModelChoiceField(
                label="Программа развития" if kind == ReportKind.DEVELOPMENT else "Программа мониторинга",
                queryset=programmes,
            )
            self.fields["periods"] = PeriodChoiceField(
                label="Периоды", widget=forms.CheckboxSelectMultiple,
                queryset=Period.objects.filter(programme__in=programmes).select_related("programme")
                .order_by("programme__name", "ends_on"),
                required=kind != ReportKind.DEVELOPMENT,
                help_text=(f"Не меньше {COMPARATIVE_MIN_PERIODS} периодов." if kind == ReportKind.COMPARATIVE
                           else "Пусто — все контрольные точки программы." if kind == ReportKind.DEVELOPMENT
                           else "Отметьте периоды одной программы."),
            )
            if kind != ReportKind.DEVELOPMENT:
                # Scopes depend only on the district, which every programme offered here shares.
                self.fields["scope_key"] = forms.ChoiceField(
                    label="Объект", choices=scope_choices(Programme(district=user.district)), initial="district",
                )
        self.order_fields(["campaign", "programme", "scope_key", "periods", "title"])

    def clean(self):
        data = super().clean()
        programme, periods = data.get("programme"), data.get("periods")
        if programme and periods:
            foreign = [p for p in periods if p.programme_id != programme.pk]
            if foreign:
                self.add_error("periods", "Отметьте периоды выбранной программы: "
                               + ", ".join(f"{p.programme.name}: {p.label}" for p in foreign) + " — из другой.")
            elif self.kind == ReportKind.COMPARATIVE and len(periods) < COMPARATIVE_MIN_PERIODS:
                self.add_error("periods", f"Для сравнительного анализа нужно не меньше {COMPARATIVE_MIN_PERIODS} "
                                          f"периодов (выбрано: {len(periods)}).")
        return data


class ReportTextsForm(forms.Form):
    """The texts a methodist edits while the report is a draft (or returned)."""

    title = forms.CharField(label="Заголовок", widget=forms.Textarea(attrs={"rows": 2}))
    intro = forms.CharField(label="Вступление", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    conclusion = forms.CharField(
        label="Вывод", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Составлен по достижению показателей; его можно дополнить или переписать.",
    )
    recommendations = forms.CharField(
        label="Рекомендации и управленческие решения", required=False, widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, report: Report, **kwargs):
        kwargs.setdefault("initial", {
            "title": report.title, "intro": report.intro, "conclusion": report.conclusion,
            "recommendations": report.recommendations,
        })
        super().__init__(*args, **kwargs)
        self.section_keys = list(report.section_texts)
        if report.kind != ReportKind.COMPARATIVE:
            self.fields["recommendations"].help_text = "Необязательно."
        if report.kind == ReportKind.DEVELOPMENT:
            self.fields["conclusion"].label = "Общий вывод по программе"
            self.fields["conclusion"].help_text = ""
        for index, key in enumerate(self.section_keys):
            label = SECTION_LABELS.get(key) or f"Вывод по проекту «{key}»"
            self.fields[f"section_{index}"] = forms.CharField(
                label=label, required=False, initial=report.section_texts.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {name: data[name] for name in ("title", "intro", "conclusion", "recommendations")}
        if self.section_keys:
            changes["section_texts"] = {key: data[f"section_{i}"] for i, key in enumerate(self.section_keys)}
        return changes


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Укажите, что нужно исправить: комментарий обязателен."},
    )


class SignatureUploadForm(forms.Form):
    file = forms.FileField(label="Открепленная подпись (.sig)")


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", required=False, choices=[("", "все виды"), *ReportKind.choices])
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "все статусы"), *ReportStatus.choices])
    year = forms.TypedChoiceField(label="Год", required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "все годы"), *((y, y) for y in years)]
