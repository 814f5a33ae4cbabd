"""The events app's URLs: one module per area, so each reads on its own."""
from . import urls_certificates, urls_journal, urls_plan, urls_registration

app_name = "events"

urlpatterns = [
    *urls_plan.urlpatterns,
    *urls_registration.urlpatterns,
    *urls_certificates.urlpatterns,
    *urls_journal.urlpatterns,
]
