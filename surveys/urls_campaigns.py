"""Placeholder until the area is built."""
urlpatterns: list = []
