"""URLs of the network app: results (included by network/urls.py under the «network» namespace)."""
from django.urls import path

from .views import results

urlpatterns: list = [
    path("results/", results.ResultList.as_view(), name="results"),
    path("results/import/", results.ResultImportView.as_view(), name="results_import"),
    path("results/template/", results.results_template, name="results_template"),
    path("results/export/", results.ResultExport.as_view(), name="results_export"),
    path("procedures/", results.ProcedureList.as_view(), name="procedures"),
    path("procedures/new/", results.ProcedureCreate.as_view(), name="procedure_create"),
    path("procedures/<int:pk>/delete/", results.ProcedureDelete.as_view(), name="procedure_delete"),
]
