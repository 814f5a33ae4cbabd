"""Issue 14 item 6: every name the admin shows is Russian (no «Recompute jobs» / «Render jobs»)."""
import re

import pytest
from django.apps import apps
from django.conf import settings

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# Every app of the project itself (third-party and django.contrib apps have their own translations).
PROJECT_APPS = [
    label for label in settings.INSTALLED_APPS
    if not label.startswith("django.") and (settings.BASE_DIR / label).is_dir()
]


def test_project_apps_found():
    assert {"core", "clusters", "monitoring", "reports", "events"} <= set(PROJECT_APPS)


@pytest.mark.parametrize("label", PROJECT_APPS)
def test_every_model_has_russian_names(label):
    english = [
        f"{model._meta.label}: {model._meta.verbose_name} / {model._meta.verbose_name_plural}"
        for model in apps.get_app_config(label).get_models()
        if not (CYRILLIC.search(str(model._meta.verbose_name))
                and CYRILLIC.search(str(model._meta.verbose_name_plural)))
    ]
    assert english == []


def test_admin_index_shows_russian_job_names(client, portal_admin):
    client.force_login(portal_admin)
    page = client.get("/admin/").content.decode()
    assert "Задания пересчёта" in page
    assert "Задания формирования документов" in page
    for english in ("Recompute jobs", "Render jobs", "Certificate jobs"):
        assert english not in page


def test_admin_refuses_a_methodist(methodist_client):
    response = methodist_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
