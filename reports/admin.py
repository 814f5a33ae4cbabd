"""Admin: reports and their files are read-only here — the workflow (numbers, signatures) runs
through reports.services only. The register's counter is editable so that an ИМЦ that starts using
the portal in the middle of a year can continue its paper numbering (a number already taken by a
report is refused at approval by the unique constraint)."""
from django.contrib import admin

from . import kinds
from . import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReportFileInline(admin.TabularInline):
    model = m.ReportFile
    fields = ("role", "file", "sha256", "size", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReportEventInline(admin.TabularInline):
    model = m.ReportEvent
    fields = ("at", "action", "user", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class KindFilter(admin.SimpleListFilter):
    """The registered kinds by name (Report.kind has no `choices`: reports/kinds/ is the list)."""

    title = "вид"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(m.Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind_label", "district", "status", "outgoing_label", "dated", "created_by", "created_at")
    list_filter = ("district", KindFilter, "status", "outgoing_year")

    @admin.display(description="вид", ordering="kind")
    def kind_label(self, obj: m.Report) -> str:
        return obj.kind_label
    search_fields = ("title", "outgoing_label", "verification_code")
    inlines = [ReportFileInline, ReportEventInline]


@admin.register(m.OutgoingCounter)
class OutgoingCounterAdmin(admin.ModelAdmin):
    list_display = ("method_centre", "year", "last_number")
    list_filter = ("year",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.RenderJob)
class RenderJobAdmin(ReadOnlyAdmin):
    list_display = ("report", "target", "status", "progress", "attempts", "requested_by", "created_at", "finished_at")
    list_filter = ("status", "target")


@admin.register(m.DownloadLog)
class DownloadLogAdmin(ReadOnlyAdmin):
    list_display = ("downloaded_at", "user", "report", "role", "sha256")
    list_filter = ("role",)
