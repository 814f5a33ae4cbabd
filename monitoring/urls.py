from django.urls import path

from . import views, views_catalogue, views_city

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

# The indicator catalogue (monitoring/views_catalogue.py): programmes, periods, indicators.
urlpatterns += [
    path("new/", views_catalogue.programme_create, name="programme_create"),
    path("<int:pk>/edit/", views_catalogue.programme_update, name="programme_update"),
    path("<int:pk>/catalogue/", views_catalogue.catalogue, name="catalogue"),
    path("<int:pk>/periods/new/", views_catalogue.period_create, name="period_create"),
    path("<int:pk>/periods/<int:period_pk>/edit/", views_catalogue.period_update, name="period_update"),
    path("<int:pk>/periods/<int:period_pk>/delete/", views_catalogue.period_delete, name="period_delete"),
    path("<int:pk>/indicators/new/", views_catalogue.indicator_create, name="indicator_create"),
    path("<int:pk>/indicators/<int:indicator_pk>/edit/", views_catalogue.indicator_update, name="indicator_update"),
    path("<int:pk>/indicators/<int:indicator_pk>/delete/", views_catalogue.indicator_delete, name="indicator_delete"),
    path("<int:pk>/indicators/<int:indicator_pk>/move/", views_catalogue.indicator_move, name="indicator_move"),
]

# The city level (monitoring/views_city.py): the same indicator codes across the districts, read-only.
urlpatterns += [
    path("city/", views_city.city_comparison, name="city_comparison"),
    path("city/export/", views_city.city_comparison_export, name="city_comparison_export"),
]
