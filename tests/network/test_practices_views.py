"""Practice pages, from the browser review: crafted input changes nothing and says so in Russian."""
from __future__ import annotations

import pytest
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
