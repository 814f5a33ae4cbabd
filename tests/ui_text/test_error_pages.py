"""Issue 14 item 6: Russian 404/403/500 pages in the embedded default (DEBUG on) too, not Django's English
technical pages; TECHNICAL_ERROR_PAGES=true brings those back for a developer."""
from django.test import override_settings
from django.urls import reverse

from tests.factories import ClusterFactory

embedded_default = override_settings(DEBUG=True, TECHNICAL_ERROR_PAGES=False)


@embedded_default
def test_unknown_address_gets_the_russian_404(methodist_client):
    response = methodist_client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Страница не найдена (404)" in page
    assert "Using the URLconf" not in page and "Page not found" not in page


@embedded_default
def test_object_of_another_district_gets_the_russian_404(methodist_client, district_b):
    foreign = ClusterFactory(district=district_b)
    response = methodist_client.get(reverse("clusters:cluster_detail", args=[foreign.pk]))
    assert response.status_code == 404
    assert "Страница не найдена (404)" in response.content.decode()


@embedded_default
def test_own_object_still_opens(methodist_client, district_a):
    own = ClusterFactory(district=district_a, name="Кластер «Свой»")
    response = methodist_client.get(reverse("clusters:cluster_detail", args=[own.pk]))
    assert response.status_code == 200


@embedded_default
def test_missing_slash_still_redirects(methodist_client):
    response = methodist_client.get("/registry/clusters")
    assert response.status_code == 301
    assert response["Location"] == "/registry/clusters/"


@embedded_default
def test_anonymous_unknown_address_gets_the_russian_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена (404)" in response.content.decode()


@embedded_default
def test_refused_page_is_the_russian_403(observer_client):
    response = observer_client.get(reverse("clusters:cluster_create"))
    assert response.status_code == 403
    assert "Доступ запрещён (403)" in response.content.decode()


@embedded_default
@override_settings(ROOT_URLCONF="tests.ui_text.urls_failing")
def test_failure_gets_the_russian_500_and_the_traceback_goes_to_the_log(methodist_client, caplog):
    with caplog.at_level("ERROR", logger="django.request"):
        response = methodist_client.get("/test-failing/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Ошибка на сервере (500)" in page
    assert "Traceback" not in page and "RuntimeError" not in page
    assert any(record.exc_info and record.exc_info[0] is RuntimeError for record in caplog.records)


@override_settings(DEBUG=True, TECHNICAL_ERROR_PAGES=True)
def test_developer_asks_for_the_technical_404(methodist_client):
    response = methodist_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_mode_unchanged(methodist_client):
    response = methodist_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена (404)" in response.content.decode()
