from django.urls import path

from . import views

app_name = "setup"

urlpatterns = [
    path("", views.wizard, name="wizard"),
    path("district/", views.district_new, name="district_new"),
    path("<int:pk>/district/", views.district_edit, name="district"),
    path("<int:pk>/users/", views.users, name="users"),
    path("<int:pk>/programme/", views.programme, name="programme"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
]
