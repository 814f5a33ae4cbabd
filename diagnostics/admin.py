"""The portal admin's view of diagnostics (day-to-day work happens on the portal's own pages)."""
from django.contrib import admin

from . import models as d


@admin.register(d.Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "family", "position")
    list_filter = ("family",)
    filter_horizontal = ("training_programs",)


class ItemInline(admin.TabularInline):
    model = d.Item
    extra = 0


@admin.register(d.Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "version", "family", "audience", "district")
    list_filter = ("family", "audience", "district")
    inlines = [ItemInline]


@admin.register(d.LevelSettings)
class LevelSettingsAdmin(admin.ModelAdmin):
    list_display = ("district", "deficit_below", "high_from")


@admin.register(d.DiagnosticCampaign)
class DiagnosticCampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "district", "instrument", "year", "opens_at", "closes_at")
    list_filter = ("district", "year")
    filter_horizontal = ("organisations",)


@admin.register(d.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("teacher", "campaign", "status", "submitted_at")
    list_filter = ("status",)
    raw_id_fields = ("teacher", "campaign")
    exclude = ("token_hash",)


class RouteStepInline(admin.TabularInline):
    model = d.RouteStep
    extra = 0
    raw_id_fields = ("training_program", "mentor", "community", "event", "completion")


@admin.register(d.RouteOrigin)
class RouteOriginAdmin(admin.ModelAdmin):
    list_display = ("route", "invitation", "proposed_at", "approved_at")
    raw_id_fields = ("route", "invitation")
