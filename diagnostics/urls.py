"""The diagnostics app's URLs: one module per area, so each reads on its own."""
from . import urls_campaigns, urls_instruments, urls_profiles, urls_rollups, urls_routes

app_name = "diagnostics"

urlpatterns = [
    *urls_instruments.urlpatterns,
    *urls_campaigns.urlpatterns,
    *urls_profiles.urlpatterns,
    *urls_rollups.urlpatterns,
    *urls_routes.urlpatterns,
]
