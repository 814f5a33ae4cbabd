"""Forms of the reports pages: the kind, its parameters (declared by the kind, reports/kinds/), the
texts, the director's inputs and the list filter."""
from __future__ import annotations

from django import forms

from core.forms import DateInput

from . import kinds, sections
from .models import Report, ReportStatus


class ReportKindForm(forms.Form):
    kind = forms.ChoiceField(label="Вид справки", choices=kinds.choices, widget=forms.RadioSelect)


class ReportParametersForm(forms.Form):
    """What the report is about: the fields its kind's parameters declare, and a title."""

    title = forms.CharField(
        label="Заголовок", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Можно оставить пустым — заголовок составится по программе и периодам.",
    )

    def __init__(self, *args, user, kind: kinds.ReportKindSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields.update(kind.parameters.form_fields(user, kind))
        self.order_fields(["campaign", "programme", "scope_key", "periods", "title"])

    def clean(self):
        data = super().clean()
        for field_name, message in self.kind.parameters.clean_form(self.kind, data).items():
            self.add_error(field_name, message)
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
        help_text="Необязательно.",
    )

    def __init__(self, *args, report: Report, **kwargs):
        kwargs.setdefault("initial", {
            "title": report.title, "intro": report.intro, "conclusion": report.conclusion,
            "recommendations": report.recommendations,
        })
        super().__init__(*args, **kwargs)
        kind = kinds.get(report.kind)
        for name, label in kind.text_labels.items():
            self.fields[name].label = label
        for name, help_text in kind.text_help.items():
            self.fields[name].help_text = help_text
        self.section_keys = list(report.section_texts)
        for index, key in enumerate(self.section_keys):
            self.fields[f"section_{index}"] = forms.CharField(
                label=sections.label(report, key) or kind.section_label(key), required=False, initial=report.section_texts.get(key, ""),
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


class PaperNumberForm(forms.Form):
    """«Регистрация документа с номером из бумажного журнала»: the number and date of the journal."""

    number = forms.IntegerField(
        label="Номер в журнале исходящих", min_value=1,
        error_messages={"required": "Укажите номер из журнала.", "invalid": "Номер — целое число.",
                        "min_value": "Номер из журнала — целое число больше нуля."},
    )
    dated = forms.DateField(
        label="Дата регистрации", widget=DateInput(),
        error_messages={"required": "Укажите дату регистрации в журнале.", "invalid": "Введите дату."},
    )


class SignatureUploadForm(forms.Form):
    file = forms.FileField(label="Открепленная подпись (.sig)")


class SigningCertificateForm(forms.Form):
    """A signer's own PKCS#12 (.p12, .pfx) and its password (stored sealed, so signing takes one click)."""

    file = forms.FileField(
        label="Файл сертификата (.p12, .pfx)", max_length=255,
        error_messages={"required": "Выберите файл сертификата (.p12 или .pfx).", "empty": "Файл пустой."},
    )
    password = forms.CharField(
        label="Пароль файла", required=False, strip=False, widget=forms.PasswordInput(render_value=False),
        help_text="Пароль хранится в зашифрованном виде, чтобы подписывать справки одним нажатием.",
    )

    def clean_file(self):
        from .certificates import PKCS12_MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > PKCS12_MAX_BYTES:
            raise forms.ValidationError("Файл больше 256 КБ — это не файл PKCS#12 (.p12, .pfx) с сертификатом подписи.")
        return upload


def _with_all(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", required=False, choices=lambda: _with_all("все виды", kinds.choices()))
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "все статусы"), *ReportStatus.choices])
    year = forms.TypedChoiceField(label="Год", required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "все годы"), *((y, y) for y in years)]
