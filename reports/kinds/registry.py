"""The registry of report kinds: what makes a справка of one kind different from another.

Each module of `reports/kinds/` declares one `ReportKindSpec` and registers it, the way
`monitoring/computations.py` registers calculations. Services, forms, the context builder, XLSX,
rendering and views ask this registry and never branch on a kind's code, so a new kind is its
module plus its print template (docs/architecture.md, «Where to add … a report kind»).

A spec is checked when it is registered — at start-up, since `ReportsConfig.ready()` imports every
kind module — so a kind without a help text, a template or XLSX sheets never reaches a page or a
Celery worker. `reports.checks` also checks that every template exists.

This module imports nothing of the portal at run time, so anything may import it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.xlsx import XlsxSheet
    from monitoring.models import Period
    from reports.models import Report

    from .parameters import Chosen, Parameters

# Report.kind is a CharField(max_length=20): a code must fit, and it names the template and URLs.
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
TEXT_FIELDS = ("title", "intro", "conclusion", "recommendations")
# The approval blocks a document may carry (reports.models.ApprovalBlock has the same values and their labels).
APPROVAL_NONE, APPROVAL_DIRECTOR, APPROVAL_ORDER = "none", "director", "order"
APPROVAL_BLOCKS = (APPROVAL_NONE, APPROVAL_DIRECTOR, APPROVAL_ORDER)


class KindSpecError(ValueError):
    """A kind that cannot work (a programming error, raised at start-up)."""


class UnknownKind(LookupError):
    """A code that no module registered."""


@dataclass(frozen=True)
class ReportKindSpec:
    """Everything a kind of справка declares.

    code            stored in Report.kind; letters, digits, «_»
    label           the kind's name in lists, the kind picker and the filter
    help            one or two sentences under the label in the kind picker
    heading         the first line of the printed title («АНАЛИТИЧЕСКАЯ СПРАВКА»), "" for none;
                    a title that already starts with it does not repeat it
    template        the print template (PDF and preview), extending reports/pdf/base.html
    parameters      what a methodist chooses on creation, with its form fields and validation
                    (reports.kinds.parameters: ProgrammeParameters, CampaignParameters)
    build_context   report → the body's context (the document frame is shared)
    sheets          report → XlsxSheet functions, the tables offered beside the PDF (at least one;
                    «О справке» is added to every workbook)
    suggested_title Chosen → a starting title (without the heading) for a new report
    prefill         (report, periods) → None: texts filled in before the draft is first saved
    approval_block  the default approval block: "none", "director" («УТВЕРЖДАЮ» with the director's name and
                    the date of approval, on the final document) or "order" («УТВЕРЖДЁН приказом … от … № …»
                    with the order typed on the document); True/False mean "director"/"none"; a report may
                    override it (reports/options.py)
    approval_word   the participle of the "order" block, agreeing with the document («УТВЕРЖДЕНА» справка,
                    «УТВЕРЖДЁН» анализ)
    has_charts      whether the kind draws charts (then a report may leave them out)
    charts_by_default  whether a new report of the kind shows them
    movable_sections   key → label of the body's blocks a report may put in another order, in the kind's
                    order; sections other apps generate (reports.sections) join them after
                    `generated_after` (at the end when empty). The template prints `body_sections`.
    min_periods     the fewest periods the kind makes sense with (0: the kind uses no periods)
    too_few_periods the refusal when fewer are chosen ({minimum}, {chosen})
    conclusion_required   whether «Вывод» must be filled in before submitting
    publishable     whether the director may publish a signed one to the district's school administrators
    text_labels, text_help  overrides of the text editor's labels / help texts by field name
    section_labels  labels of known Report.section_texts keys; others use section_label_template
    position        the order of kinds in the picker and the filter
    """

    code: str
    label: str
    help: str
    heading: str
    template: str
    parameters: Parameters
    build_context: Callable[[Report], dict]
    sheets: tuple[Callable[[Report], XlsxSheet], ...]
    suggested_title: Callable[[Chosen], str]
    prefill: Callable[[Report, list[Period]], None] | None = None
    approval_block: str | bool = APPROVAL_DIRECTOR
    approval_word: str = "УТВЕРЖДЕНА"
    has_charts: bool = False
    charts_by_default: bool = True
    movable_sections: Mapping[str, str] = field(default_factory=dict)
    generated_after: str = ""
    min_periods: int = 0
    too_few_periods: str = "Нужно не меньше {minimum} периодов (выбрано: {chosen})."
    conclusion_required: bool = True
    publishable: bool = True  # False: results of other organisations' teachers, never shown to schools
    text_labels: Mapping[str, str] = field(default_factory=dict)
    text_help: Mapping[str, str] = field(default_factory=dict)
    section_labels: Mapping[str, str] = field(default_factory=dict)
    section_label_template: str = "Вывод по разделу «{key}»"
    position: int = 100

    def __post_init__(self) -> None:
        problems = list(_problems(self))
        if problems:
            raise KindSpecError(f"Report kind {self.code!r}: " + "; ".join(problems))
        if isinstance(self.approval_block, bool):
            object.__setattr__(self, "approval_block", APPROVAL_DIRECTOR if self.approval_block else APPROVAL_NONE)
        # Frozen means frozen: nobody changes a registered kind's labels at run time.
        for name in ("text_labels", "text_help", "section_labels", "movable_sections"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        object.__setattr__(self, "sheets", tuple(self.sheets))

    def section_label(self, key: str) -> str:
        return self.section_labels.get(key) or self.section_label_template.format(key=key)

    def too_few_periods_message(self, chosen: int) -> str:
        return self.too_few_periods.format(minimum=self.min_periods, chosen=chosen)


def _identity_problems(spec: ReportKindSpec) -> list[str]:
    problems = []
    if not isinstance(spec.code, str) or not CODE_PATTERN.match(spec.code):
        problems.append("code must be 1–20 lowercase letters, digits or «_», starting with a letter")
    problems += [f"{name} is required" for name in ("label", "help", "template")
                 if not str(getattr(spec, name) or "").strip()]
    if spec.template and not str(spec.template).endswith(".html"):
        problems.append("template must be an .html template name")
    return problems


def _function_problems(spec: ReportKindSpec) -> list[str]:
    problems = [f"{name} must be callable" for name in ("build_context", "suggested_title")
                if not callable(getattr(spec, name))]
    if spec.prefill is not None and not callable(spec.prefill):
        problems.append("prefill must be callable or None")
    if not spec.sheets or not all(callable(sheet) for sheet in spec.sheets):
        problems.append("sheets must name at least one XLSX sheet function")
    return problems


def _parameter_problems(spec: ReportKindSpec) -> list[str]:
    problems = []
    if not hasattr(spec.parameters, "validate") or not hasattr(spec.parameters, "form_fields"):
        problems.append("parameters must be a reports.kinds.parameters object")
    if not isinstance(spec.min_periods, int) or spec.min_periods < 0:
        problems.append("min_periods must be a non-negative integer")
    elif spec.min_periods and not getattr(spec.parameters, "uses_periods", False):
        problems.append("min_periods needs parameters that choose periods")
    unknown = (set(spec.text_labels) | set(spec.text_help)) - set(TEXT_FIELDS)
    if unknown:
        problems.append(f"text_labels/text_help name unknown fields: {', '.join(sorted(unknown))}")
    return problems


def _option_problems(spec: ReportKindSpec) -> list[str]:
    problems = []
    if not isinstance(spec.approval_block, bool) and spec.approval_block not in APPROVAL_BLOCKS:
        problems.append(f"approval_block must be one of {', '.join(APPROVAL_BLOCKS)}")
    if not str(spec.approval_word or "").strip():
        problems.append("approval_word is required")
    if spec.generated_after and spec.generated_after not in spec.movable_sections:
        problems.append("generated_after must name one of movable_sections")
    return problems


def _problems(spec: ReportKindSpec) -> list[str]:
    return [*_identity_problems(spec), *_function_problems(spec), *_parameter_problems(spec), *_option_problems(spec)]


_REGISTRY: dict[str, ReportKindSpec] = {}


def register(spec: ReportKindSpec) -> ReportKindSpec:
    """Add a kind; registering another spec under a taken code is a programming error."""
    if not isinstance(spec, ReportKindSpec):
        raise KindSpecError(f"register() takes a ReportKindSpec, not {type(spec).__name__}")
    existing = _REGISTRY.get(spec.code)
    if existing is not None and existing is not spec:
        raise KindSpecError(f"Report kind {spec.code!r} is registered twice")
    _REGISTRY[spec.code] = spec
    return spec


def unregister(code: str) -> None:
    """Remove a kind (tests register a kind of their own and take it away again)."""
    _REGISTRY.pop(code, None)


def find(code: Any) -> ReportKindSpec | None:
    return _REGISTRY.get(code) if isinstance(code, str) else None


def get(code: str) -> ReportKindSpec:
    spec = find(code)
    if spec is None:
        raise UnknownKind(f"Report kind {code!r} is not registered (reports/kinds/)")
    return spec


def all_kinds() -> list[ReportKindSpec]:
    """The registered kinds in the picker's order."""
    return sorted(_REGISTRY.values(), key=lambda spec: (spec.position, spec.label))


def choices() -> list[tuple[str, str]]:
    """(code, label) for the kind picker, the list filter and Report.kind's validation."""
    return [(spec.code, spec.label) for spec in all_kinds()]
