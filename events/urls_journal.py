"""URLs of events: journal (included by events/urls.py under the «events» namespace)."""
urlpatterns: list = []
