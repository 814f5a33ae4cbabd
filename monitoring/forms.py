"""The plan/fact entry grid: one field pair per indicator × period, parsed the Russian way."""
from __future__ import annotations

from django import forms

from core import formatting
from core.forms import PortalForm

from .calculations import parse_number
from .selectors import Table
from .services import CellInput
from .units import Unit

YES_NO_CHOICES = [("", "—"), ("1", "да"), ("0", "нет")]


def _name(kind: str, indicator_id: int, period_id: int) -> str:
    return f"{kind}_{indicator_id}_{period_id}"


class PlanFactGridForm(PortalForm):
    """Rows = indicators, columns = periods × (plan, fact). Computed facts are read-only."""

    reason = forms.CharField(label="Причина изменения", max_length=300, required=False,
                             help_text="Попадёт в историю изменений")

    def __init__(self, *args, table: Table, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.locked_fields: dict[str, object] = {}  # field name → the approval that locks it
        for row in table.rows:
            indicator = row.indicator
            for cell in row.cells:
                value = cell.value
                locked = cell.locked
                for kind in ("plan", "fact"):
                    read_only = locked or (kind == "fact" and indicator.is_computed)
                    initial = getattr(value, kind) if value else None
                    name = _name(kind, indicator.pk, cell.period.pk)
                    self.fields[name] = self._number_field(
                        indicator, initial, read_only, f"{indicator.code} {cell.period.label} {kind}"
                    )
                    if locked:
                        self.locked_fields[name] = cell.approval
                self.fields[_name("comment", indicator.pk, cell.period.pk)] = forms.CharField(
                    required=False, max_length=1000, initial=value.comment if value else "", disabled=locked,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "комментарий"}),
                )
                self.fields[_name("version", indicator.pk, cell.period.pk)] = forms.IntegerField(
                    required=False, initial=value.version if value else None, widget=forms.HiddenInput
                )

    @staticmethod
    def _number_field(indicator, initial, read_only: bool, label: str) -> forms.Field:
        attrs = {"class": "form-control form-control-sm text-end", "aria-label": label}
        if indicator.unit == Unit.YES_NO:
            field = forms.ChoiceField(choices=YES_NO_CHOICES, required=False, disabled=read_only,
                                      widget=forms.Select(attrs={**attrs, "class": "form-select form-select-sm"}))
            field.initial = "" if initial is None else str(int(initial))
            return field
        shown = "" if initial is None else formatting.exact(initial)
        return forms.CharField(required=False, disabled=read_only, initial=shown, max_length=30,
                               widget=forms.TextInput(attrs={**attrs, "inputmode": "decimal"}))

    def field_for(self, kind: str, indicator_id: int, period_id: int):
        return self[_name(kind, indicator_id, period_id)]

    def clean(self):
        from .services import locked_message

        cleaned = super().clean()
        for name, field in self.fields.items():
            if not name.startswith(("plan_", "fact_")):
                continue
            if name in self.locked_fields:
                # The period was approved after this grid was opened: a change there is refused.
                if self._posted_change(name, field):
                    self.add_error(name, locked_message(self.locked_fields[name]))
            elif not field.disabled:
                try:
                    cleaned[name] = parse_number(cleaned.get(name))
                except ValueError as error:
                    self.add_error(name, str(error))
        return cleaned

    def _posted_change(self, name: str, field: forms.Field) -> bool:
        if name not in self.data:
            return False
        try:
            return parse_number(self.data.get(name)) != parse_number(field.initial)
        except ValueError:
            return True

    def cells(self) -> list[CellInput]:
        """What to save: every editable cell with the version the user saw."""
        cells = []
        for row in self.table.rows:
            for cell in row.cells:
                if cell.locked:
                    continue  # locked periods are shown, not submitted
                ids = (row.indicator.pk, cell.period.pk)
                fact = None if row.indicator.is_computed else self.cleaned_data.get(_name("fact", *ids))
                cells.append(CellInput(
                    indicator=row.indicator,
                    period=cell.period,
                    plan=self.cleaned_data.get(_name("plan", *ids)),
                    fact=fact,
                    comment=self.cleaned_data.get(_name("comment", *ids), "") or "",
                    seen_version=self.cleaned_data.get(_name("version", *ids)),
                ))
        return cells

    def attach_cell_errors(self, cells: list[CellInput]) -> None:
        """The service's errors of each cell ("plan"/"fact" → messages) beside that cell's input."""
        for cell in cells:
            for kind, messages in cell.errors.items():
                for message in messages:
                    self.add_error(_name(kind, cell.indicator.pk, cell.period.pk), message)


class PlanFactImportForm(PortalForm):
    # Empty files reach the importer, which explains the refusal like any other unreadable file.
    file = forms.FileField(label="Файл XLSX (Показатель, Период, Объект, План, Факт)", allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
