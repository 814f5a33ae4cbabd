"""The annual plan: the year's list and month calendar, an event's page (with the panels other areas add),
create / edit / status for methodists, the district's own forms, XLSX export and import, the printed plan."""
from __future__ import annotations

import contextlib
import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views import View

from clusters.models import DistrictEventForm, EventForm
from core import formatting, xlsx
from core.errors import AppError
from core.mixins import CapabilityRequiredMixin
from core.permissions import can

from .. import panels, selectors
from ..forms_plan import DistrictEventFormForm, PlanEventForm, PlanFilterForm, PlanUploadForm
from ..imports import PlanImport, import_plan
from ..services import plan as service

VIEW, PLAN = selectors.VIEW, selectors.PLAN
MIN_YEAR, MAX_YEAR = 2000, 2100
FILTER_KEYS = ("form", "status", "organiser")


def _year(request) -> tuple[int, str | None]:
    """The plan's year from ?year= (default: this year); a bad value falls back with a note."""
    today = timezone.localdate()
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        return today.year, None
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw), None
    return today.year, f"Год «{raw[:20]}» указан неверно (допустимо {MIN_YEAR}–{MAX_YEAR}) — показан {today.year} год."


def _month(request, year: int) -> tuple[int, str | None]:
    """?month=2021-03 within the plan's year; otherwise this month (in this year) or January."""
    today = timezone.localdate()
    default = today.month if today.year == year else 1
    raw = (request.GET.get("month") or "").strip()
    if not raw:
        return default, None
    try:
        parsed = datetime.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return default, f"Месяц «{raw[:20]}» указан неверно (нужно, например, {year}-03)."
    if parsed.year != year:
        return default, f"Месяц {raw} не относится к {year} году."
    return parsed.month, None


def _plan_state(request):
    """Year, filters and the events they select, with notes about ignored parameters."""
    year, note = _year(request)
    filters, notes = selectors.PlanFilters.from_query(request.GET, request.user.district_id)
    if note:
        notes.insert(0, note)
    return year, filters, notes


def _filter_query(request, **extra) -> str:
    query = {key: request.GET[key] for key in FILTER_KEYS if request.GET.get(key)}
    query.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(query)


class PlanView(CapabilityRequiredMixin, View):
    capability = VIEW

    def get(self, request):
        year, filters, notes = _plan_state(request)
        events = selectors.plan_events(request.user, year, filters)
        month_view = request.GET.get("view") == "month"
        context = {
            "title": f"План мероприятий на {year} год", "year": year, "notes": notes,
            "filter_form": PlanFilterForm(request.GET or None, district_id=request.user.district_id),
            "filtered": any((filters.form, filters.status, filters.organiser)),
            "can_plan": can(request.user, PLAN), "month_view": month_view, "count": len(events),
            "export_query": _filter_query(request, year=year),
            "years": [year - 1, year + 1],
        }
        if month_view:
            month, note = _month(request, year)
            if note:
                notes.append(note)
            in_month = [e for e in events if e.held_on.month == month]
            context.update({
                "month": month, "month_name": selectors.MONTHS[month - 1], "weekdays": selectors.WEEKDAYS,
                "weeks": selectors.month_grid(in_month, year, month), "month_events": in_month,
                "months": [(m, name, f"{year}-{m:02d}") for m, name in enumerate(selectors.MONTHS, start=1)],
                "prev_month": f"{year}-{month - 1:02d}" if month > 1 else None,
                "next_month": f"{year}-{month + 1:02d}" if month < 12 else None,
                "month_query": _filter_query(request, year=year, view="month"),
            })
        else:
            for event in events:
                event.organiser_names = selectors.organiser_names(event)
            context["months"] = selectors.by_month(events)
        context["list_query"] = _filter_query(request, year=year)
        context["calendar_query"] = _filter_query(request, year=year, view="month")
        return render(request, "events/plan.html", context)


class EventDetailView(CapabilityRequiredMixin, View):
    capability = VIEW

    def get(self, request, pk: int):
        event = get_object_or_404(selectors.events_for_user(request.user), pk=pk)
        shown = [{"name": p.name, "html": render_to_string(p.template, p.context, request=request)}
                 for p in panels.panels_for(event, request.user)]
        return render(request, "events/detail.html", {
            "event": event, "title": event.title, "organisers": selectors.organiser_names(event),
            "can_plan": can(request.user, PLAN), "panels": shown, "today": timezone.localdate(),
            "public_url": reverse("events_public:event", args=[event.public_code])
            if event.public_registration and event.public_code and _has_public_page() else "",
        })


def _has_public_page() -> bool:
    """The public page is another area's URL; the card links to it once it exists."""
    from django.urls import NoReverseMatch

    try:
        reverse("events_public:event", args=["x" * 22])
    except NoReverseMatch:
        return False
    return True


class _EventFormView(CapabilityRequiredMixin, View):
    capability = PLAN
    title = ""

    def _render(self, request, form, event=None):
        return render(request, "events/event_form.html", {"form": form, "event": event, "title": self.title,
                                                           "forms_url": reverse("events:forms")})


class EventCreateView(_EventFormView):
    title = "Новое мероприятие плана"

    def get(self, request):
        initial = {}
        raw = request.GET.get("date", "")
        with contextlib.suppress(ValueError):  # «Добавить» on a calendar day; a bad date just leaves it empty
            initial["held_on"] = datetime.date.fromisoformat(raw) if raw else None
        return self._render(request, PlanEventForm(user=request.user, initial=initial))

    def post(self, request):
        form = PlanEventForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form)
        event = service.save_event(form)
        messages.success(request, f"Мероприятие «{event.title}» добавлено в план.")
        return redirect("events:detail", pk=event.pk)


class EventUpdateView(_EventFormView):
    title = "Изменение мероприятия"

    def _event(self, request, pk):
        return get_object_or_404(selectors.events_for_user(request.user), pk=pk)

    def get(self, request, pk: int):
        event = self._event(request, pk)
        return self._render(request, PlanEventForm(instance=event, user=request.user), event)

    def post(self, request, pk: int):
        event = self._event(request, pk)
        form = PlanEventForm(request.POST, instance=event, user=request.user)
        if not form.is_valid():
            return self._render(request, form, event)
        service.save_event(form)
        messages.success(request, "Изменения сохранены.")
        return redirect("events:detail", pk=event.pk)


class EventStatusView(CapabilityRequiredMixin, View):
    """POST action=held|cancel|plan; a refusal is a message on the event's page."""

    capability = PLAN
    http_method_names = ["post"]

    def post(self, request, pk: int):
        event = get_object_or_404(selectors.events_for_user(request.user), pk=pk)
        try:
            text = service.change_status(event, request.POST.get("action", ""))
        except AppError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, text)
        return redirect("events:detail", pk=event.pk)


# --- the district's own forms ------------------------------------------------------------------


class FormsView(CapabilityRequiredMixin, View):
    """List of the district's own forms (with use counts), the shipped ones for reference, and «add»."""

    capability = PLAN

    def _render(self, request, form):
        return render(request, "events/plan_forms.html", {
            "title": "Формы мероприятий района", "form": form,
            "own": selectors.district_forms_with_use(request.user.district_id),
            "shipped": [str(label) for label in EventForm.labels],
        })

    def get(self, request):
        return self._render(request, DistrictEventFormForm(district=request.user.district))

    def post(self, request):
        form = DistrictEventFormForm(request.POST, district=request.user.district)
        if not form.is_valid():
            return self._render(request, form)
        created = form.save()
        messages.success(request, f"Форма «{created.name}» добавлена.")
        return redirect("events:forms")


class FormRenameView(CapabilityRequiredMixin, View):
    capability = PLAN

    def _object(self, request, pk):
        return get_object_or_404(DistrictEventForm, pk=pk, district_id=request.user.district_id)

    def _render(self, request, form, obj):
        return render(request, "events/plan_form_rename.html",
                      {"title": f"Переименование формы «{obj.name}»", "form": form, "object": obj})

    def get(self, request, pk: int):
        obj = self._object(request, pk)
        return self._render(request, DistrictEventFormForm(instance=obj, district=request.user.district), obj)

    def post(self, request, pk: int):
        obj = self._object(request, pk)
        old = obj.name
        form = DistrictEventFormForm(request.POST, instance=obj, district=request.user.district)
        if not form.is_valid():
            return self._render(request, form, obj)
        form.save()
        messages.success(request, f"Форма «{old}» переименована в «{obj.name}».")
        return redirect("events:forms")


class FormDeleteView(CapabilityRequiredMixin, View):
    capability = PLAN
    http_method_names = ["post"]

    def post(self, request, pk: int):
        obj = get_object_or_404(DistrictEventForm, pk=pk, district_id=request.user.district_id)
        name = obj.name
        try:
            service.delete_district_form(obj)
        except AppError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Форма «{name}» удалена.")
        return redirect("events:forms")


# --- export, print, import ---------------------------------------------------------------------


class PlanXlsxView(CapabilityRequiredMixin, View):
    capability = VIEW

    def get(self, request):
        year, filters, _ = _plan_state(request)
        events = selectors.plan_events(request.user, year, filters)
        return xlsx.xlsx_response(service.plan_xlsx(events, year), f"plan_{year}.xlsx")


class PlanPdfView(CapabilityRequiredMixin, View):
    capability = VIEW

    def get(self, request):
        year, filters, _ = _plan_state(request)
        events = selectors.plan_events(request.user, year, filters)
        content = service.render_plan_pdf(request.user.district, events, year)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=f"plan_{year}.pdf")
        return response


class PlanImportView(CapabilityRequiredMixin, View):
    capability = PLAN

    def _render(self, request, form, result=None):
        columns = [{"header": c.header, "required": c.required, "hint": c.hint} for c in PlanImport.columns]
        return render(request, "events/plan_import.html", {
            "title": "Импорт плана мероприятий", "form": form, "result": result, "columns": columns,
            "own_forms": [f.name for f in selectors.district_forms(request.user.district_id)],
            "max_upload": formatting.human_size(xlsx.max_upload_bytes()),
        })

    def get(self, request):
        return self._render(request, PlanUploadForm())

    def post(self, request):
        form = PlanUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        result = import_plan(user=request.user, file=form.cleaned_data["file"])
        if not result.ok:
            return self._render(request, form, result)
        messages.success(request, f"План загружен: {result.summary}.")
        year = min(result.years) if result.years else timezone.localdate().year
        return redirect(f"{reverse('events:plan')}?year={year}")


class PlanTemplateView(CapabilityRequiredMixin, View):
    capability = PLAN

    def get(self, request):
        return xlsx.xlsx_response(PlanImport.template_bytes(), "template_events_plan.xlsx")
