"""URLs of events: registration (included by events/urls.py under the «events» namespace)."""
urlpatterns: list = []
