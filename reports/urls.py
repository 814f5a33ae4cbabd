from django.urls import path

from . import views
from .views import city as city_views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/preview/", views.report_preview, name="report_preview"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("<int:pk>/options/", views.report_options, name="report_options"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/paper-number/", views.report_register_paper_number, name="report_register_paper_number"),
    path("<int:pk>/sign/", views.report_sign, name="report_sign"),
    path("<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("<int:pk>/signature/", views.report_signature_attach, name="report_signature_attach"),
    path("<int:pk>/render/", views.report_render, name="report_render"),
    path("<int:pk>/files/<str:role>/", views.report_file_download, name="report_file_download"),
    path("jobs/<int:job_pk>/", views.render_job_status, name="render_job_status"),
    path("certificate/", views.signing_certificate, name="signing_certificate"),
    # The city level (reports/city.py): a справка over the districts, as a file; read-only.
    path("city/", city_views.city_report, name="city_report"),
]
