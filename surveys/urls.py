"""Survey URLs, one module per area so the areas can grow apart."""
from .urls_builder import urlpatterns as builder_urlpatterns
from .urls_campaigns import urlpatterns as campaign_urlpatterns
from .urls_results import urlpatterns as result_urlpatterns

app_name = "surveys"

urlpatterns = builder_urlpatterns + campaign_urlpatterns + result_urlpatterns
