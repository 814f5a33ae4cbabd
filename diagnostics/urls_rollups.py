"""URLs of diagnostics: rollups (included by diagnostics/urls.py under the «diagnostics» namespace)."""
from django.urls import path

from .views import rollups

urlpatterns: list = [
    path("deficits/", rollups.DeficitMap.as_view(), name="deficit_map"),
    path("index/", rollups.CompetencyIndex.as_view(), name="competency_index"),
]
