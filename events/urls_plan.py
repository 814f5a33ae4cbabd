"""URLs of events: plan (included by events/urls.py under the «events» namespace)."""
from django.urls import path
from django.views.decorators.http import require_POST

from .views import plan

urlpatterns: list = [
    path("plan/", plan.PlanView.as_view(), name="plan"),
    path("plan/xlsx/", plan.PlanXlsxView.as_view(), name="plan_xlsx"),
    path("plan/pdf/", plan.PlanPdfView.as_view(), name="plan_pdf"),
    path("plan/import/", plan.PlanImportView.as_view(), name="plan_import"),
    path("plan/import/template/", plan.PlanTemplateView.as_view(), name="plan_import_template"),
    path("plan/forms/", plan.FormsView.as_view(), name="forms"),
    path("plan/forms/<int:pk>/rename/", plan.FormRenameView.as_view(), name="form_rename"),
    path("plan/forms/<int:pk>/delete/", require_POST(plan.FormDeleteView.as_view()), name="form_delete"),
    path("new/", plan.EventCreateView.as_view(), name="create"),
    path("<int:pk>/", plan.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", plan.EventUpdateView.as_view(), name="update"),
    path("<int:pk>/status/", require_POST(plan.EventStatusView.as_view()), name="status"),
]
