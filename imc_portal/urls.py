from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import district_switch, views
from .auth import PasswordResetDoneView, ThrottledPasswordResetView

handler403 = "imc_portal.views.permission_denied"
handler404 = "imc_portal.views.page_not_found"
handler500 = "imc_portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("district/", district_switch.district_switch, name="district_switch"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Password reset by e-mail (open to anonymous visitors; the reset link is valid PASSWORD_RESET_TIMEOUT).
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("exports/", include("core.urls")),  # large XLSX exports run as jobs (core/exports.py)
    path("registry/", include("clusters.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("network/", include("network.urls")),
    path("surveys/", include("surveys.urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("d/", include(("diagnostics.urls_public", "diagnostics_public"))),
    path("s/", include(("surveys.urls_public", "survey_public"))),
    path("reports/", include("reports.urls")),
    path("events/", include("events.urls")),
    path("e/", include(("events.urls_public", "events_public"))),
    path("setup/", include("setup.urls")),
    path("invite/", include(("setup.urls_public", "setup_public"))),
    path("v/", include(("reports.urls_public", "report_public"))),
    path("admin/", admin.site.urls),
]

# No /media/ route, not even with DEBUG (the embedded default): every stored file (справки, certificates,
# practice files, export jobs) is served by a view that checks who asks.
