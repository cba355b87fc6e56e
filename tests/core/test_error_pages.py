"""Error pages have the site's look and language, without leaking anything."""

import pytest
from django.test import Client
from django.urls import path

from tests.factories import ChannelFactory, CircleFactory, UserFactory


def test_unknown_page_answers_404_with_the_site_navigation_in_dutch(db):
    response = Client().get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Pagina niet gevonden</h1>" in html
    assert 'class="lk-skip-link"' in html  # the site's base template
    assert "/accounts/login/?next=/bestaat-niet/" in html


def test_private_circle_is_a_404_for_an_outsider_without_saying_it_exists(db):
    circle = CircleFactory(name="Geheime kring Jeugdzorg", slug="geheim")
    ChannelFactory(circle=circle, name="Algemeen", slug="algemeen")
    browser = Client()
    browser.force_login(UserFactory(username="olga"))
    response = browser.get(f"/kringen/{circle.slug}/kanalen/algemeen/")
    assert response.status_code == 404
    assert circle.name not in response.content.decode()


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("kapot/", broken_view)]


@pytest.mark.urls("tests.core.test_error_pages")
def test_server_error_page_is_plain_and_translated(db):
    response = Client(raise_request_exception=False).get("/kapot/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert "boom" not in html
