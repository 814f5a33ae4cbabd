"""The setup wizard's pages: the portal admin onboards a district; every other persona is refused."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.models import District, MethodCentre
from clusters.requisites import requisites_missing, validate_inn, validate_kpp, validate_ogrn, validate_okpo
from core.roles import Role
from monitoring.models import Programme
from setup.library import LIBRARY
from tests.factories import OrganisationFactory, TeacherFactory

User = get_user_model()

DISTRICT_URLS = ("setup:district", "setup:users", "setup:programme", "setup:checklist")

# The Nevsky ИМЦ of the browser test, typed as an admin would.
NEW_DISTRICT = {
    "region_name": "Санкт-Петербург", "name": "Невский район", "code": "nevsky",
    "full_name": "ГБУ ДППО ЦПКС «Информационно-методический центр» Невского района Санкт-Петербурга",
    "short_name": "ГБУ ИМЦ Невского района", "address": "192131, Санкт-Петербург, ул. Бабушкина, д. 42",
    "phone": "(812) 000-00-00", "email": "imc@nevsky.example", "okpo": "02087152", "ogrn": "1027807973181",
    "inn": "7816157263", "kpp": "781601001", "director_name": "А.Б. Васильева", "director_position": "Директор",
    "outgoing_prefix": "1-",
}


def _urls(district):
    return [reverse("setup:wizard"), reverse("setup:district_new"),
            *(reverse(name, args=[district.pk]) for name in DISTRICT_URLS)]


def test_portal_admin_opens_every_step(portal_admin_client, district_a):
    for url in _urls(district_a):
        assert portal_admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["methodist_client", "director_client", "school_admin_client", "observer_client"])
def test_district_roles_are_refused_every_step(request, persona, district_a):
    client = request.getfixturevalue(persona)
    for url in _urls(district_a):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("setup:district_new"), NEW_DISTRICT).status_code == 403
    assert not District.objects.filter(code="nevsky").exists()


def test_anonymous_goes_to_login(anonymous, district_a):
    for url in _urls(district_a):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_menu_shows_the_wizard_to_the_portal_admin_only(portal_admin_client, methodist_client):
    url = reverse("setup:wizard")
    assert f'href="{url}"' in portal_admin_client.get(url).content.decode()
    assert f'href="{url}"' not in methodist_client.get(reverse("clusters:organisation_list")).content.decode()


# --- step 1: district and requisites -------------------------------------------------------------------

def test_new_district_and_requisites_are_saved_together(portal_admin_client):
    response = portal_admin_client.post(reverse("setup:district_new"), NEW_DISTRICT)
    district = District.objects.get(code="nevsky")
    assert response.status_code == 302 and response["Location"] == reverse("setup:users", args=[district.pk])
    assert district.region.name == "Санкт-Петербург"
    assert district.method_centre.director_name == "А.Б. Васильева"
    assert requisites_missing(district) == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("inn", "7816157264", "ИНН не проходит проверку контрольной цифры"),
    ("ogrn", "102780797318", "ОГРН — 13 цифр"),
    ("okpo", "02087153", "ОКПО не проходит проверку"),
    ("kpp", "78160100", "КПП — 9 знаков"),
    ("director_name", "", "Обязательное поле."),
    ("email", "не-почта", "Введите правильный адрес e-mail."),
    ("code", "Невский", "Только латинские буквы"),
])
def test_bad_requisites_are_refused_in_russian_and_nothing_is_saved(portal_admin_client, field, value, message):
    response = portal_admin_client.post(reverse("setup:district_new"), {**NEW_DISTRICT, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not District.objects.filter(code__in=["nevsky", value]).exists()
    assert not MethodCentre.objects.exists()


def test_a_taken_code_is_refused(portal_admin_client, district_a):
    response = portal_admin_client.post(reverse("setup:district_new"), {**NEW_DISTRICT, "code": district_a.code})
    assert "Этот код уже занят другим районом." in response.content.decode()
    assert District.objects.count() == 1


def test_the_step_is_reentered_and_saved_again(portal_admin_client, district_a):
    url = reverse("setup:district", args=[district_a.pk])
    page = portal_admin_client.get(url).content.decode()
    assert district_a.method_centre.director_name in page  # filled with what is stored
    data = {**NEW_DISTRICT, "name": district_a.name, "code": district_a.code, "director_name": "В.Г. Петрова"}
    assert portal_admin_client.post(url, data).status_code == 302
    district_a.method_centre.refresh_from_db()
    assert district_a.method_centre.director_name == "В.Г. Петрова"
    assert MethodCentre.objects.count() == 1


def test_code_validators_accept_the_seed_requisites():
    # Seed 000's letterhead: ОКПО 02087152, ОГРН 1027807973181, ИНН/КПП 7816157263/781601001.
    validate_okpo("02087152")
    validate_ogrn("1027807973181")
    validate_inn("7816157263")
    validate_kpp("781601001")
    with pytest.raises(ValidationError):
        validate_inn("7816157260")


# --- step 2: first users and invitations -----------------------------------------------------------------

def _invite(client, district, **extra):
    data = {"role": Role.METHODIST, "last_name": "Смирнова", "first_name": "Мария", "patronymic": "Викторовна",
            "email": "Smirnova@Nevsky.example", "position": "методист", **extra}
    return client.post(reverse("setup:users", args=[district.pk]), data)


def test_invited_methodist_gets_an_email_and_sets_the_password(portal_admin_client, district_a, client,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(portal_admin_client, district_a)
    assert response.status_code == 302
    invited = User.objects.get(username="smirnova@nevsky.example")
    assert (invited.role, invited.district, invited.has_usable_password()) == (Role.METHODIST, district_a, False)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["smirnova@nevsky.example"]
    link = re.search(r"http://\S+/invite/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    # The admin's page shows the same kind of link to hand over.
    page = portal_admin_client.get(reverse("setup:users", args=[district_a.pk])).content.decode()
    assert 'data-testid="invitation-link"' in page and "Смирнова М.В." in page
    # The invited user opens it (Django redirects to the set-password address) and sets a password.
    form_page = client.get(path, follow=True)
    assert "Добро пожаловать" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Ne-vsky-2026!x", "new_password2":
                                                         "Ne-vsky-2026!x"})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    invited.refresh_from_db()
    assert invited.check_password("Ne-vsky-2026!x")
    # Used once: the link no longer works.
    assert "Ссылка недействительна" in client.get(path, follow=True).content.decode()


def test_password_reset_token_is_not_an_invitation(district_a, client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    invited = User.objects.create(username="x@example.ru", email="x@example.ru", district=district_a)
    invited.set_unusable_password()
    invited.save()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    url = reverse("setup_public:invitation", args=[uid, default_token_generator.make_token(invited)])
    assert "Ссылка недействительна" in client.get(url, follow=True).content.decode()


def test_a_taken_email_is_refused(portal_admin_client, district_a, methodist):
    methodist.email = "smirnova@nevsky.example"
    methodist.save()
    response = _invite(portal_admin_client, district_a)
    assert "Этот адрес уже занят другим пользователем." in response.content.decode()
    assert not User.objects.filter(username="smirnova@nevsky.example").exists()


def test_school_admin_needs_imported_organisations(portal_admin_client, district_a):
    response = _invite(portal_admin_client, district_a, role=Role.SCHOOL_ADMIN)
    assert "В районе ещё нет организаций" in response.content.decode()
    assert not User.objects.filter(username="smirnova@nevsky.example").exists()
    school = OrganisationFactory(district=district_a)
    assert _invite(portal_admin_client, district_a, role=Role.SCHOOL_ADMIN, organisation=school.pk).status_code == 302
    assert User.objects.get(username="smirnova@nevsky.example").organisation == school


# --- step 3: a programme from the library ---------------------------------------------------------------

def test_programme_from_the_library_with_its_periods(portal_admin_client, district_a):
    url = reverse("setup:programme", args=[district_a.pk])
    response = portal_admin_client.post(url, {"key": "network-effectiveness", "first_year": 2024, "last_year": 2025})
    assert response.status_code == 302
    programme = Programme.objects.get(district=district_a, code="network-effectiveness")
    assert [p.label for p in programme.periods.all()] == ["2024", "2025"]
    assert sorted(programme.indicators.values_list("code", flat=True)) == [
        "net_schools_share", "net_teachers_cpd_share", "net_teachers_innovation_share", "net_teachers_iom_share"]
    # Chosen again with one more year: only the missing period is added, nothing doubles.
    portal_admin_client.post(url, {"key": "network-effectiveness", "first_year": 2024, "last_year": 2026})
    assert [p.label for p in programme.periods.all()] == ["2024", "2025", "2026"]
    assert programme.indicators.count() == 4


def test_academic_years_and_checkpoints(portal_admin_client, district_a):
    url = reverse("setup:programme", args=[district_a.pk])
    portal_admin_client.post(url, {"key": "professional-associations", "first_year": 2019, "last_year": 2020})
    portal_admin_client.post(url, {"key": "development-programme", "first_year": 2023, "last_year": 2023})
    sayansk = Programme.objects.get(code="professional-associations")
    assert [(p.label, str(p.starts_on), str(p.ends_on)) for p in sayansk.periods.all()] == [
        ("2019/20", "2019-09-01", "2020-08-31"), ("2020/21", "2020-09-01", "2021-08-31")]
    assert [p.label for p in Programme.objects.get(code="development-programme").periods.all()] == ["Декабрь 2023"]


def test_every_library_entry_is_created(portal_admin_client, district_a):
    url = reverse("setup:programme", args=[district_a.pk])
    for key, entry in LIBRARY.items():
        assert portal_admin_client.post(url, {"key": key, "first_year": 2024, "last_year": 2024}).status_code == 302
        assert Programme.objects.get(code=key).indicators.count() == len(entry.indicators)


@pytest.mark.parametrize(("first", "last", "message"), [
    (2025, 2024, "Последний год не может быть раньше первого."),
    (2010, 2024, "Не больше 10 лет за один раз."),
    (1990, 1991, "Не раньше 2000 года."),
])
def test_bad_years_are_refused(portal_admin_client, district_a, first, last, message):
    response = portal_admin_client.post(reverse("setup:programme", args=[district_a.pk]),
                                        {"key": "network-effectiveness", "first_year": first, "last_year": last})
    assert message in response.content.decode()
    assert not Programme.objects.exists()


# --- step 4: the import checklist -------------------------------------------------------------------------

def test_checklist_ticks_from_the_data_present(portal_admin_client, district_a):
    url = reverse("setup:checklist", args=[district_a.pk])
    page = portal_admin_client.get(url).content.decode()
    assert len(re.findall(r'data-testid="checklist-[a-z_]+" data-done="no"', page)) == 4
    school = OrganisationFactory(district=district_a)
    TeacherFactory(organisation=school)
    TeacherFactory(organisation=school)
    page = portal_admin_client.get(url).content.decode()
    assert re.search(r'data-testid="checklist-organisations" data-done="yes"', page)
    assert re.search(r'data-testid="checklist-teachers" data-done="yes"', page)
    assert "педагогов: 2" in page
    assert re.search(r'data-testid="checklist-memberships" data-done="no"', page)
    # The order and its reason are said, the import pages named for the methodist.
    assert page.index("1. Организации") < page.index("2. Педагоги") < page.index("3. Участие") < page.index("4. План")
    assert reverse("clusters:import") + "?kind=organisations" in page


def test_admin_index_points_the_portal_admin_to_the_wizard(portal_admin_client):
    # The Django admin points to the wizard too (the portal admin starts on the wizard itself: home redirects there).
    page = portal_admin_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("setup:wizard")}"' in page
    assert "Модели в приложении" in page or "Администрирование" in page  # the admin's own index is still there


def test_the_admin_opening_the_link_cannot_set_the_invitees_password(portal_admin_client, district_a):
    _invite(portal_admin_client, district_a)
    invited = User.objects.get(username="smirnova@nevsky.example")
    from setup.invitations import invitation_path

    page = portal_admin_client.get(invitation_path(invited), follow=True)
    assert 'data-testid="invitation-other-user"' in page.content.decode()
    assert 'data-testid="invitation-form"' not in page.content.decode()
    set_password_url = page.redirect_chain[-1][0]
    portal_admin_client.post(set_password_url, {"new_password1": "Ne-vsky-2026!x", "new_password2": "Ne-vsky-2026!x"})
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_the_list_of_districts_costs_the_same_queries_for_more_districts(portal_admin_client, district_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DistrictFactory, MethodCentreFactory, UserFactory

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert portal_admin_client.get(reverse("setup:wizard")).status_code == 200
        return len(captured)

    OrganisationFactory(district=district_a)
    one = queries()
    for _ in range(3):
        district = DistrictFactory()
        MethodCentreFactory(district=district)
        UserFactory(role=Role.METHODIST, district=district)
        TeacherFactory(organisation=OrganisationFactory(district=district))
    assert queries() == one
    page = portal_admin_client.get(reverse("setup:wizard")).content.decode()
    # district A: requisites (conftest) and an organisation, no methodist here → 1 step of 4
    # (the personas' methodist is not created in this test), each new district: requisites and a methodist → 2.
    assert page.count("1 из 4") == 1 and page.count("2 из 4") == 3
