"""Forms of the reports pages: the kind, its parameters (declared by the kind, reports/kinds/), the
texts, the director's inputs and the list filter."""
from __future__ import annotations

from django import forms

from core.forms import DateInput, PortalForm

from . import kinds, options, sections
from .models import ApprovalBlock, Report, ReportStatus


class ReportKindForm(PortalForm):
    kind = forms.ChoiceField(label="Вид справки", choices=kinds.choices, widget=forms.RadioSelect)


class ReportParametersForm(PortalForm):
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


class ReportTextsForm(PortalForm):
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


class ReportOptionsForm(PortalForm):
    """«Параметры документа»: the approval block (the kind's or another), the order it was approved by, charts."""

    approval_block = forms.ChoiceField(label="Гриф утверждения", required=False, widget=forms.RadioSelect)
    approval_order_number = forms.CharField(
        label="Номер приказа", required=False, max_length=options.ORDER_NUMBER_MAX_LENGTH,
        help_text="Для грифа «утверждён приказом»: как в приказе, например 65 или 01-05/65.",
        error_messages={"max_length": f"Номер приказа — не длиннее {options.ORDER_NUMBER_MAX_LENGTH} символов."},
    )
    approval_order_date = forms.DateField(
        label="Дата приказа", required=False, widget=DateInput(),
        error_messages={"invalid": "Введите дату приказа, например 13.03.2024."},
    )
    show_charts = forms.BooleanField(label="Графики в документе", required=False)

    def __init__(self, *args, report: Report, **kwargs):
        self.report = report
        self.kind = kinds.get(report.kind)
        kwargs.setdefault("initial", {
            "approval_block": report.approval_block, "approval_order_number": report.approval_order_number,
            "approval_order_date": report.approval_order_date, "show_charts": options.charts_shown(report),
        })
        super().__init__(*args, **kwargs)
        default = ApprovalBlock(self.kind.approval_block).label
        self.fields["approval_block"].choices = [("", f"как принято для этого вида справок: {default}"),
                                                 *ApprovalBlock.choices]
        if self.kind.has_charts:
            self.fields["show_charts"].help_text = (
                "Для этого вида справок графики по умолчанию " + ("включены." if self.kind.charts_by_default
                                                                  else "выключены."))
        else:
            del self.fields["show_charts"]

    def clean_approval_order_number(self):
        return (self.cleaned_data.get("approval_order_number") or "").strip()

    def clean(self):
        data = super().clean()
        mode = data.get("approval_block") or self.kind.approval_block
        if mode == ApprovalBlock.ORDER:
            for name, message in options.order_refusals(data.get("approval_order_number", ""),
                                                         data.get("approval_order_date")).items():
                if name not in self.errors:
                    self.add_error(name, message)
        return data

    def show_charts_value(self) -> bool | None:
        """None when the box says what the kind does anyway (the report then follows the kind)."""
        if "show_charts" not in self.fields:
            return None
        shown = bool(self.cleaned_data.get("show_charts"))
        return None if shown == self.kind.charts_by_default else shown


class ReturnForm(PortalForm):
    comment = forms.CharField(
        label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Укажите, что нужно исправить: комментарий обязателен."},
    )


class PaperNumberForm(PortalForm):
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


class SignatureUploadForm(PortalForm):
    file = forms.FileField(label="Открепленная подпись (.sig)")


class SigningCertificateForm(PortalForm):
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


class ReportFilterForm(PortalForm):
    kind = forms.ChoiceField(label="Вид", required=False, choices=lambda: _with_all("все виды", kinds.choices()))
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "все статусы"), *ReportStatus.choices])
    year = forms.TypedChoiceField(label="Год", required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "все годы"), *((y, y) for y in years)]
