"""URLs of events: certificates (included by events/urls.py under the «events» namespace)."""
urlpatterns: list = []
