"""URLs of events: registration and attendance (included by events/urls.py under the «events» namespace)."""
from django.urls import path
from django.views.decorators.http import require_POST

from .views import attendance, registration

urlpatterns: list = [
    path("<int:pk>/register/", registration.RegisterView.as_view(), name="register"),
    path("registrations/<int:pk>/cancel/", require_POST(registration.CancelView.as_view()),
         name="registration_cancel"),
    path("<int:pk>/tickets/", registration.TicketsView.as_view(), name="tickets"),
    path("<int:pk>/attendance/", attendance.AttendanceView.as_view(), name="attendance"),
    path("checkin/<str:ticket>/", attendance.CheckInView.as_view(), name="checkin"),
]
