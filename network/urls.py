"""The network app's URLs: one module per area, so each reads on its own."""
from . import urls_pairs, urls_practices, urls_results, urls_tiers

app_name = "network"

urlpatterns = [
    *urls_results.urlpatterns,
    *urls_tiers.urlpatterns,
    *urls_pairs.urlpatterns,
    *urls_practices.urlpatterns,
]
