"""Forms of the consultations log and teachers' achievements (their choices scoped to the user)."""
from __future__ import annotations

from django import forms

from clusters.forms import ORGANISATION_SEARCH, TEACHER_SEARCH
from core.forms import PersonChoiceField, PortalModelForm
from core.widgets import TypeaheadSelect

from .models import Achievement, AchievementKind, Consultation, ConsultationKind
from .services import journal

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(PortalModelForm):
    """Teachers are ticked in a checklist filtered by organisation and name; «Показать педагогов» re-renders the
    form with what was typed kept (no JS needed), the checklist lists the filter's teachers and the ticked ones."""

    teacher_organisation = forms.ModelChoiceField(label="Организация педагогов", required=False,
                                                  queryset=None, empty_label="— выберите —",
                                                  widget=TypeaheadSelect(ORGANISATION_SEARCH,
                                                                         placeholder="Название или код"))
    teacher_search = forms.CharField(label="ФИО педагога содержит", required=False, max_length=100)

    class Meta:
        model = Consultation
        fields = ["held_on", "kind", "topic", "methodist", "methodist_name", "organisation", "teachers", "notes"]
        widgets = {"held_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3}),
                   "organisation": TypeaheadSelect(ORGANISATION_SEARCH, placeholder="Название или код")}
        field_classes = {"methodist": PersonChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["teachers"].queryset = journal.journal_teachers(user)
        self.fields["teachers"].required = False  # the kind's own rule says how many, in Russian
        self.fields["methodist"].queryset = journal.district_methodists(user.district_id)
        self.fields["methodist"].label_from_instance = lambda u: u.display_name or u.username
        self.fields["methodist"].required = False
        organisations = journal.journal_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].help_text = "Где проходила консультация (необязательно)"
        self.fields["teacher_organisation"].queryset = organisations

    def chosen_teacher_ids(self) -> set[int]:
        if self.is_bound:
            return {int(v) for v in self.data.getlist(self.add_prefix("teachers")) if str(v).isdigit()}
        return set(self.instance.teachers.values_list("pk", flat=True)) if self.instance.pk else set()

    def checklist(self) -> tuple[list, int]:
        organisation_id = None
        search = ""
        if self.is_bound:
            raw = self.data.get(self.add_prefix("teacher_organisation"), "")
            organisation_id = int(raw) if str(raw).isdigit() else None
            search = self.data.get(self.add_prefix("teacher_search"), "")
        return journal.teacher_checklist(self.fields["teachers"].queryset, organisation_id=organisation_id,
                                         search=search, chosen_ids=self.chosen_teacher_ids())

    def clean(self):
        data = super().clean()
        teachers = data.get("teachers") or []
        kind = data.get("kind")
        if kind == ConsultationKind.INDIVIDUAL and len(teachers) != 1:
            self.add_error("teachers", "Индивидуальная консультация — ровно один педагог: отметьте одного.")
        elif kind == ConsultationKind.THEMATIC and not teachers:
            self.add_error("teachers", "Отметьте хотя бы одного педагога тематической консультации.")
        methodist, name = data.get("methodist"), (data.get("methodist_name") or "").strip()
        if methodist is None and not name:
            self.add_error("methodist", "Выберите методиста или впишите ФИО консультанта.")
        elif methodist is not None and name:
            self.add_error("methodist_name", "Укажите консультанта один раз: методиста из списка или ФИО.")
        return data

    def save(self, commit=True):
        self.instance.district_id = self.user.district_id
        teachers = self.cleaned_data.get("teachers") or []
        if self.instance.organisation_id is None and len({t.organisation_id for t in teachers}) == 1:
            # An individual consultation (or a school's thematic one) belongs to the teachers' organisation.
            self.instance.organisation_id = teachers[0].organisation_id
        return super().save(commit)


class AchievementForm(PortalModelForm):
    class Meta:
        model = Achievement
        fields = ["teacher", "kind", "title", "venue", "year", "level", "result"]
        widgets = {"teacher": TypeaheadSelect(TEACHER_SEARCH, placeholder="Фамилия, имя или табельный номер")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = journal.journal_teachers(user, for_achievements=True)
        self.fields["teacher"].label_from_instance = lambda t: f"{t.full_name} — {t.organisation.short_name}"
        self.fields["result"].help_text = "Для конкурса обязательно; у публикации результата нет"

    def clean(self):
        data = super().clean()
        kind, result = data.get("kind"), data.get("result")
        if kind == AchievementKind.COMPETITION and not result:
            self.add_error("result", "Укажите результат конкурса: участник, призёр или победитель.")
        elif kind == AchievementKind.PUBLICATION and result:
            self.add_error("result", "У публикации нет результата — оставьте поле пустым.")
        return data

