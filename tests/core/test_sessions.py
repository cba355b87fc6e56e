import time

import pytest

from config.middleware import AbsoluteSessionTimeoutMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_session_ends_after_the_absolute_maximum_even_when_active(client, settings):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/accounts/email/").status_code == 200
    session = client.session
    session[AbsoluteSessionTimeoutMiddleware.SESSION_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_MAX_AGE - 1
    session.save()
    response = client.get("/accounts/email/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get("/accounts/email/").status_code == 302  # signed out for good


def test_wagtail_admin_login_goes_through_the_site_login(client):
    response = client.get("/cms/login/?next=/cms/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/cms/"
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
