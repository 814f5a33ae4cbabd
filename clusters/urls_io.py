"""URLs of XLSX import and export (kept apart from the screens' URLs)."""
urlpatterns: list = []
