"""Absolute links for places without a request: e-mails sent by Celery, QR codes in PDFs."""
from django.conf import settings


def absolute_url(path: str) -> str:
    """PORTAL_BASE_URL + path, e.g. «https://imc.example.ru» + «/s/abc/»."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path
