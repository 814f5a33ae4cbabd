"""URLs of XLSX import and export (kept apart from the screens' URLs)."""
from django.urls import path

from .views import io

urlpatterns: list = [
    path("import/", io.ImportView.as_view(), name="import"),
    path("import/template/<slug:kind>/", io.import_template, name="import_template"),
    path("organisations/export/", io.OrganisationExport.as_view(), name="organisation_export"),
    path("teachers/export/", io.TeacherExport.as_view(), name="teacher_export"),
    path("memberships/export/", io.MembershipExport.as_view(), name="membership_export"),
]
