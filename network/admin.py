"""The portal admin's view of the network app (day-to-day work happens on the portal's own pages)."""
from django.contrib import admin

from . import models as n


@admin.register(n.Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "description")
    list_filter = ("district",)
    search_fields = ("name",)


@admin.register(n.AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ("organisation", "procedure", "subject", "grade", "year", "participants", "mean_score")
    list_filter = ("year", "procedure", "grade")
    search_fields = ("organisation__code", "organisation__short_name", "subject")
    raw_id_fields = ("organisation",)
    list_select_related = ("organisation", "procedure")


@admin.register(n.TierSettings)
class TierSettingsAdmin(admin.ModelAdmin):
    list_display = ("district", "top_threshold", "lagging_threshold", "max_mentees")


@admin.register(n.TierChange)
class TierChangeAdmin(admin.ModelAdmin):
    list_display = ("membership", "previous_tier", "tier", "source", "index", "changed_by", "changed_at")
    list_filter = ("source", "tier")
    raw_id_fields = ("membership",)
    readonly_fields = ("changed_at",)


class PairActivityInline(admin.TabularInline):
    model = n.PairActivity
    extra = 0
    exclude = ("updated_by",)


@admin.register(n.OrganisationPair)
class OrganisationPairAdmin(admin.ModelAdmin):
    list_display = ("mentor_organisation", "mentee_organisation", "cluster", "subject", "status")
    list_filter = ("status", "cluster__year")
    raw_id_fields = ("mentor_organisation", "mentee_organisation", "cluster")
    filter_horizontal = ("mentor_teachers",)
    inlines = [PairActivityInline]


class PracticeFileInline(admin.TabularInline):
    model = n.PracticeFile
    extra = 0
    readonly_fields = ("original_name", "content_type", "size", "uploaded_at")


@admin.register(n.Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "year", "form", "is_verified")
    list_filter = ("district", "year", "form", "is_verified")
    search_fields = ("title", "authors")
    raw_id_fields = ("organisation", "cluster", "event")
    filter_horizontal = ("tags", "pairs")
    inlines = [PracticeFileInline]


@admin.register(n.PracticeTag)
class PracticeTagAdmin(admin.ModelAdmin):
    list_display = ("name", "district")
    search_fields = ("name",)


@admin.register(n.MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ("teacher", "subjects", "is_active")
    list_filter = ("is_active",)
    search_fields = ("teacher__full_name", "subjects")
    raw_id_fields = ("teacher",)
