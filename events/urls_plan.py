"""URLs of events: plan (included by events/urls.py under the «events» namespace)."""
urlpatterns: list = []
