"""Practice pages, from the browser review: crafted input changes nothing and says so in Russian."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network.services import practices as services
from tests.network.factories import PracticeFactory


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "", "2"])
def test_verify_with_a_junk_value_keeps_the_mark(value, methodist, methodist_client, district_a, school_a):
    practice = PracticeFactory(district=district_a, organisation=school_a)
    services.set_verified(methodist, practice, True)
    verify = reverse("network:practice_verify", args=[practice.pk])
    response = methodist_client.post(verify, {"verified": value}, follow=True)
    practice.refresh_from_db()
    assert practice.is_verified
    assert "Отметка не изменена" in response.content.decode()


@pytest.mark.django_db
def test_verify_with_a_junk_value_refused_for_school_admin(school_admin_client, district_a, school_a):
    practice = PracticeFactory(district=district_a, organisation=school_a)
    response = school_admin_client.post(reverse("network:practice_verify", args=[practice.pk]), {"verified": "abc"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_form_error_with_a_file_asks_to_choose_it_again(school_admin_client, methodist_client):
    # Browser review: a browser never keeps a chosen file over a re-rendered form; the page says so.
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    response = school_admin_client.post(reverse("network:practice_create"), {"title": "", "files": upload})
    assert response.status_code == 200 and "выберите их снова" in response.content.decode()
    assert "выберите их снова" not in methodist_client.post(reverse("network:practice_create"), {"title": ""}).content.decode()


@pytest.mark.django_db
def test_create_form_refused_to_director(director_client):
    assert director_client.get(reverse("network:practice_create")).status_code == 403
