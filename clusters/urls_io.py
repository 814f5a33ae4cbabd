"""URLs of XLSX import and export (kept apart from the screens' URLs)."""
from django.urls import path

from .views import exports, io

urlpatterns: list = [
    path("import/", io.ImportView.as_view(), name="import"),
    path("import/template/<slug:kind>/", io.import_template, name="import_template"),
    path("organisations/export/", io.OrganisationExport.as_view(), name="organisation_export"),
    path("teachers/export/", io.TeacherExport.as_view(), name="teacher_export"),
    path("memberships/export/", io.MembershipExport.as_view(), name="membership_export"),
    # Every other registry list, with the list's own filters (views/exports.py).
    path("clusters/export/", exports.ClusterExport.as_view(), name="cluster_export"),
    path("communities/export/", exports.CommunityExport.as_view(), name="community_export"),
    path("trainings/export/", exports.TrainingExport.as_view(), name="training_export"),
    path("trainings/programs/export/", exports.TrainingProgramExport.as_view(), name="training_program_export"),
    path("routes/export/", exports.RouteExport.as_view(), name="route_export"),
    path("mentorships/export/", exports.MentorshipExport.as_view(), name="mentorship_export"),
    path("innovations/export/", exports.InnovationExport.as_view(), name="innovation_export"),
    path("events/export/", exports.EventExport.as_view(), name="event_export"),
]
