"""URLs of the network app: practices and mentors (included by network/urls.py under the «network» namespace)."""
from django.urls import path

from .views import mentors, practices

urlpatterns: list = [
    path("practices/", practices.PracticeList.as_view(), name="practices"),
    path("practices/new/", practices.PracticeCreate.as_view(), name="practice_create"),
    path("practices/<int:pk>/", practices.PracticeDetail.as_view(), name="practice_detail"),
    path("practices/<int:pk>/edit/", practices.PracticeUpdate.as_view(), name="practice_update"),
    path("practices/<int:pk>/delete/", practices.PracticeDelete.as_view(), name="practice_delete"),
    path("practices/<int:pk>/verify/", practices.practice_verify, name="practice_verify"),
    path("practices/files/<int:pk>/", practices.practice_file, name="practice_file"),
    path("practices/files/<int:pk>/delete/", practices.practice_file_delete, name="practice_file_delete"),
    path("mentors/", mentors.MentorList.as_view(), name="mentors"),
    path("mentors/new/", mentors.MentorCreate.as_view(), name="mentor_create"),
    path("mentors/<int:pk>/edit/", mentors.MentorUpdate.as_view(), name="mentor_update"),
    path("mentors/<int:pk>/delete/", mentors.MentorDelete.as_view(), name="mentor_delete"),
]
