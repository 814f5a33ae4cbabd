"""Admin of core: the mail outbox, to see what waits, what failed and why."""
from django.contrib import admin

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject", "dedup_key")
    # Written by the outbox only: an edit here could send a notice twice or never.
    readonly_fields = ("subject", "body", "recipients", "status", "attempts", "last_error", "dedup_key",
                       "created_at", "claimed_at", "published_at", "sent_at")

    def has_add_permission(self, request) -> bool:
        return False
