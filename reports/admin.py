"""Admin: reports and their files are read-only here — the workflow (numbers, signatures) runs
through reports.services only. The register's counter is editable so that an ИМЦ that starts using
the portal in the middle of a year can continue its paper numbering (a number already taken by a
report is refused at approval by the unique constraint)."""
from django import forms
from django.contrib import admin
from django.db import transaction

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


class SigningCredentialAdminForm(forms.ModelForm):
    """The portal admin uploads a signer's PKCS#12; it is stored sealed by the service, never as typed."""

    file = forms.FileField(label="Файл сертификата (.p12, .pfx)")
    password = forms.CharField(label="Пароль файла", required=False, strip=False, widget=forms.PasswordInput)

    class Meta:
        model = m.SigningCredential
        fields = ("user",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            from core.permissions import roles_with

            self.fields["user"].queryset = self.fields["user"].queryset.filter(role__in=roles_with("reports.approve"))

    def clean(self):
        from . import services

        data = super().clean()
        owner = data.get("user") or getattr(self.instance, "user", None)
        upload = data.get("file")
        if owner is not None and upload is not None:
            try:
                with transaction.atomic():
                    self.stored = services.signing_credential_store(
                        owner=owner, data=upload.read(), password=data.get("password") or "", by=self.admin_user)
                    transaction.set_rollback(True)  # saved for real in save_model, after the admin's own checks
            except services.ReportError as error:
                raise forms.ValidationError(str(error)) from None
        return data


@admin.register(m.SigningCredential)
class SigningCredentialAdmin(admin.ModelAdmin):
    form = SigningCredentialAdminForm
    list_display = ("user", "subject", "issuer", "serial", "not_after", "uploaded_at")
    readonly_fields = ("subject", "issuer", "serial", "not_before", "not_after", "fingerprint", "version",
                       "uploaded_at", "uploaded_by")
    search_fields = ("user__username", "user__last_name", "subject", "serial")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        from . import services

        upload = form.cleaned_data["file"]
        upload.seek(0)
        stored = services.signing_credential_store(
            owner=obj.user, data=upload.read(), password=form.cleaned_data.get("password") or "", by=request.user)
        obj.pk = stored.pk
        obj.refresh_from_db()
