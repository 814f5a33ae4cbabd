"""URLs of diagnostics: profiles (included by diagnostics/urls.py under the «diagnostics» namespace)."""
from django.urls import path

from .views import profiles

urlpatterns: list = [
    path("teachers/<int:pk>/profile/", profiles.TeacherProfile.as_view(), name="teacher_profile"),
    path("teachers/<int:pk>/profile/pdf/", profiles.TeacherProfilePdf.as_view(), name="teacher_profile_pdf"),
    path("levels/", profiles.LevelSettingsView.as_view(), name="level_settings"),
]
