"""Public pages (no login): answering an anonymous questionnaire through its link."""
urlpatterns: list = []
