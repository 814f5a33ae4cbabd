"""Public pages of events (no login): an event's registration page /e/<code>/."""
urlpatterns: list = []
