"""What a methodist chooses when creating a справка, per source of data: a programme with its
periods (and a scope), a survey campaign, or a year of diagnostic results.

A kind's spec names one of these objects; it gives the creation form its fields (`form_fields`),
checks the form (`clean_form`: field → message) and, in the service, checks and normalises the
choice again (`validate` → `Chosen`), because a service must not trust a form.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django import forms
from django.http import Http404

from reports.errors import ReportError, ReportForbiddenError

if TYPE_CHECKING:
    from imc_portal.models import User
    from monitoring.models import Period, Programme
    from surveys.models import Campaign

    from .registry import ReportKindSpec

DISTRICT = "district"


@dataclass(frozen=True)
class Chosen:
    """A kind's parameters after validation: periods in time order, unused ones empty."""

    programme: Programme | None = None
    scope_key: str = DISTRICT
    periods: list[Period] = field(default_factory=list)
    campaign: Campaign | None = None
    year: int | None = None


def programme_scope(programme: Programme, scope_key: str):
    """The monitoring scope of a key within the programme's district, or a refusal."""
    from monitoring.selectors import scope_from_key

    try:
        return scope_from_key(programme, scope_key)
    except Http404:
        raise ReportError("Такого объекта мониторинга нет в вашем районе.") from None


class PeriodChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Period) -> str:
        return f"{obj.programme.name}: {obj.label}"


@dataclass(frozen=True)
class ProgrammeParameters:
    """A programme of the user's district, some of its periods and (optionally) a scope.

    programme_label         the programme field's label
    with_scope              whether the report may be about a cluster or an organisation
    all_periods_when_empty  no period chosen means every period of the programme
    periods_help            the periods field's help ({minimum}: the kind's min_periods)
    """

    programme_label: str = "Программа мониторинга"
    with_scope: bool = True
    all_periods_when_empty: bool = False
    periods_help: str = "Отметьте периоды одной программы."
    uses_periods = True

    def form_fields(self, user: User, spec: ReportKindSpec) -> dict[str, forms.Field]:
        from monitoring.models import Period, Programme
        from monitoring.selectors import programmes_for_user, scope_choices

        programmes = programmes_for_user(user).order_by("name")
        fields: dict[str, forms.Field] = {
            "programme": forms.ModelChoiceField(label=self.programme_label, queryset=programmes),
            "periods": PeriodChoiceField(
                label="Периоды", widget=forms.CheckboxSelectMultiple,
                queryset=Period.objects.filter(programme__in=programmes).select_related("programme")
                .order_by("programme__name", "ends_on"),
                required=not self.all_periods_when_empty,
                help_text=self.periods_help.format(minimum=spec.min_periods),
            ),
        }
        if self.with_scope:
            # Scopes depend only on the district, which every programme offered here shares.
            fields["scope_key"] = forms.ChoiceField(
                label="Объект", choices=scope_choices(Programme(district=user.district)), initial=DISTRICT,
                # ~140 objects: searchable in place (static/js/typeahead.js)
                widget=forms.Select(attrs={"data-typeahead-local": ""}),
            )
        return fields

    def clean_form(self, spec: ReportKindSpec, data: dict) -> dict[str, str]:
        programme, periods = data.get("programme"), data.get("periods")
        if not (programme and periods):
            return {}
        foreign = [p for p in periods if p.programme_id != programme.pk]
        if foreign:
            return {"periods": "Отметьте периоды выбранной программы: "
                               + ", ".join(f"{p.programme.name}: {p.label}" for p in foreign) + " — из другой."}
        if len(periods) < spec.min_periods:
            return {"periods": spec.too_few_periods_message(len(periods))}
        return {}

    def validate(self, *, user: User, spec: ReportKindSpec, programme: Programme | None = None,
                 scope_key: str = DISTRICT, periods: Iterable[Period] = (), campaign=None) -> Chosen:
        if programme is None:
            raise ReportError("Выберите программу.")
        if programme.district_id != user.district_id:
            raise ReportForbiddenError("Программа другого района.")
        periods = sorted(periods, key=lambda p: (p.ends_on, p.pk))
        if any(p.programme_id != programme.pk for p in periods):
            raise ReportError("Выбранные периоды относятся к другой программе.")
        if not self.with_scope:
            scope_key = DISTRICT
        if not periods and self.all_periods_when_empty:
            periods = list(programme.periods.order_by("ends_on"))
        if not periods:
            raise ReportError("Выберите хотя бы один период.")
        if len(periods) < spec.min_periods:
            raise ReportError(spec.too_few_periods_message(len(periods)))
        programme_scope(programme, scope_key)
        return Chosen(programme=programme, scope_key=scope_key, periods=periods)


@dataclass(frozen=True)
class CampaignParameters:
    """A survey campaign of the user's district; the report is about the whole district."""

    campaign_label: str = "Кампания анкетирования"
    uses_periods = False

    def form_fields(self, user: User, spec: ReportKindSpec) -> dict[str, forms.Field]:
        from surveys.selectors import campaigns_for_user

        return {"campaign": forms.ModelChoiceField(
            label=self.campaign_label, queryset=campaigns_for_user(user).order_by("-opens_at"),
        )}

    def clean_form(self, spec: ReportKindSpec, data: dict) -> dict[str, str]:
        return {}

    def validate(self, *, user: User, spec: ReportKindSpec, programme=None, scope_key: str = DISTRICT,
                 periods: Iterable[Period] = (), campaign: Campaign | None = None) -> Chosen:
        if campaign is None:
            raise ReportError("Выберите кампанию анкетирования.")
        if campaign.district_id != user.district_id:
            raise ReportForbiddenError("Кампания анкетирования другого района.")
        return Chosen(campaign=campaign)


YEAR_KEY_PREFIX = "year:"


def year_key(year: int) -> str:
    """How a report of a year stores it: Report has no year field, so «year:2021» goes into Report.scope_key
    (a correction copies it with the other parameters)."""
    return f"{YEAR_KEY_PREFIX}{year}"


def year_of_key(key: str | None) -> int | None:
    """2021 for «year:2021»; None for anything else."""
    raw = (key or "").strip()
    if not raw.startswith(YEAR_KEY_PREFIX):
        return None
    digits = raw[len(YEAR_KEY_PREFIX):]
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) == 4 else None


@dataclass(frozen=True)
class DiagnosticYearParameters:
    """A year of the district's diagnostic campaigns (DiagnosticCampaign.year) with submitted results of one of
    `families` (diagnostics.models.Family values); the report is about the whole district. The form field is
    named `scope_key` because that is where the year is stored (see `year_key`)."""

    families: tuple[str, ...]
    year_label: str = "Год диагностики"
    uses_periods = False

    def years(self, district_id: int | None) -> list[int]:
        """Years with results, newest first (a query per family)."""
        from diagnostics.rollups import years_with_results

        if district_id is None:
            return []
        return sorted({y for family in self.families for y in years_with_results(district_id, family)}, reverse=True)

    def form_fields(self, user: User, spec: ReportKindSpec) -> dict[str, forms.Field]:
        years = self.years(user.district_id)
        help_text = ("Год диагностических кампаний, по результатам которых составляется справка." if years else
                     "В районе ещё нет результатов диагностики: справку можно составить после первой кампании.")
        return {"scope_key": forms.ChoiceField(
            label=self.year_label, choices=[(year_key(y), str(y)) for y in years], help_text=help_text,
            error_messages={"required": "Выберите год диагностики.",
                            "invalid_choice": "За этот год в районе нет результатов диагностики."},
        )}

    def clean_form(self, spec: ReportKindSpec, data: dict) -> dict[str, str]:
        return {}

    def validate(self, *, user: User, spec: ReportKindSpec, programme=None, scope_key: str = DISTRICT,
                 periods: Iterable[Period] = (), campaign=None) -> Chosen:
        year = year_of_key(scope_key)
        if year is None:
            raise ReportError("Выберите год диагностики.")
        if year not in self.years(user.district_id):
            raise ReportError(f"За {year} год в районе нет результатов диагностики профессиональных дефицитов "
                              "педагогов: выберите другой год.")
        return Chosen(scope_key=year_key(year), year=year)


Parameters = ProgrammeParameters | CampaignParameters | DiagnosticYearParameters
