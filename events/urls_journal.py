"""URLs of events: the consultations log and teachers' achievements (included by events/urls.py under «events»)."""
from django.urls import path

from .views import journal

urlpatterns = [
    path("consultations/", journal.ConsultationList.as_view(), name="consultations"),
    path("consultations/new/", journal.ConsultationCreate.as_view(), name="consultation_create"),
    path("consultations/<int:pk>/edit/", journal.ConsultationUpdate.as_view(), name="consultation_update"),
    path("consultations/<int:pk>/delete/", journal.ConsultationDelete.as_view(), name="consultation_delete"),
    path("consultations/import/", journal.ConsultationImportView.as_view(), name="consultations_import"),
    path("consultations/import/template/", journal.consultations_template, name="consultations_template"),
    path("achievements/", journal.AchievementList.as_view(), name="achievements"),
    path("achievements/new/", journal.AchievementCreate.as_view(), name="achievement_create"),
    path("achievements/<int:pk>/edit/", journal.AchievementUpdate.as_view(), name="achievement_update"),
    path("achievements/<int:pk>/delete/", journal.AchievementDelete.as_view(), name="achievement_delete"),
    path("achievements/import/", journal.AchievementImportView.as_view(), name="achievements_import"),
    path("achievements/import/template/", journal.achievements_template, name="achievements_template"),
]
