from django.contrib import admin

from . import models as m


@admin.register(m.Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class MethodCentreInline(admin.StackedInline):
    model = m.MethodCentre


@admin.register(m.District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "code")
    search_fields = ("name",)
    inlines = [MethodCentreInline]


@admin.register(m.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "short_name", "kind", "district", "is_active")
    list_filter = ("district", "kind", "is_active")
    search_fields = ("code", "short_name", "full_name")


class MembershipInline(admin.TabularInline):
    model = m.ClusterMembership
    autocomplete_fields = ("organisation",)
    extra = 0


@admin.register(m.Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "district")
    list_filter = ("district", "year")
    inlines = [MembershipInline]


@admin.register(m.Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "district")
    list_filter = ("district", "kind")
    search_fields = ("name",)
    raw_id_fields = ("leader",)


@admin.register(m.Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ("full_name", "organisation", "position", "category", "is_active")
    list_filter = ("organisation__district", "category", "is_active")
    search_fields = ("full_name", "personnel_number")
    raw_id_fields = ("organisation",)


admin.site.register(m.TrainingProgram)
admin.site.register(m.InnovationProject)
admin.site.register(m.Event)
admin.site.site_header = "Администрирование портала ИМЦ"
admin.site.site_title = "Портал ИМЦ"


@admin.register(m.ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """The personal-data export log: read by the portal administrator, written only by the exports."""

    list_display = ("exported_at", "username", "role", "district", "list_title", "row_count", "query_string")
    list_filter = ("list_title", "role", "district", "exported_at")
    search_fields = ("username", "query_string")
    date_hierarchy = "exported_at"
    list_select_related = ("district",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
