from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<int:pk>/", views.programme_detail, name="programme_detail"),
    path("<int:pk>/grid/", views.grid_edit, name="grid_edit"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/recompute/", views.recompute_start, name="recompute_start"),
    path("jobs/<int:job_pk>/", views.recompute_status, name="recompute_status"),
    path("<int:pk>/periods/<int:period_pk>/approve/", views.period_approve, name="period_approve"),
    path("<int:pk>/periods/<int:period_pk>/unlock/", views.period_unlock, name="period_unlock"),
    path("values/<int:value_pk>/history/", views.value_history, name="value_history"),
    path("<int:pk>/import/", views.plan_fact_import, name="import"),
    path("<int:pk>/export/", views.plan_fact_export, name="export"),
    path("import/template/", views.plan_fact_template, name="import_template"),
]
