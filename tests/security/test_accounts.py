"""Account security: own sessions, re-authentication before sensitive changes, timeouts, cookies."""

import json
import os
import subprocess
import sys
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.test import Client
from django.urls import reverse

from config.middleware import AbsoluteSessionTimeoutMiddleware
from tests.accounts.helpers import NEW_PASSWORD, PASSWORD, field_error, log_in, main_text, soup
from tests.core.test_settings import PRODUCTION_ENV, ROOT

pytestmark = pytest.mark.django_db


def test_members_see_their_sessions_and_end_the_others(official):
    laptop, phone = Client(), Client()
    log_in(laptop, official.email)
    log_in(phone, official.email)
    assert phone.get(reverse("communities:profile")).status_code == 200

    page = laptop.get(reverse("usersessions_list"))
    assert len(soup(page).select("main tbody tr")) == 2
    assert soup(page).select_one("main form button").get_text(strip=True) == "Uitloggen op andere apparaten"

    ended = laptop.post(reverse("usersessions_list"), follow=True)

    assert len(soup(ended).select("main tbody tr")) == 1
    assert phone.get(reverse("communities:profile")).status_code == 302  # the phone is logged out
    assert laptop.get(reverse("communities:profile")).status_code == 200  # this browser is not


def test_adding_an_email_address_asks_for_the_password_again(client, official):
    log_in(client, official.email)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "anouk@zeist.example"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="anouk@zeist.example").exists()
    ask = client.get(response.url)
    assert "Bevestig dat jij het bent" in main_text(ask)
    # With the password, the suspended request goes through.
    done = client.post(response.url, {"password": PASSWORD})
    assert done.status_code == 302
    assert EmailAddress.objects.filter(user=official, email="anouk@zeist.example").exists()


def test_removing_an_email_address_asks_for_the_password_again(client, official):
    EmailAddress.objects.create(user=official, email="oud@example.org", verified=True)
    log_in(client, official.email)
    response = client.post(reverse("account_email"), {"action_remove": "", "email": "oud@example.org"})
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert EmailAddress.objects.filter(email="oud@example.org").exists()


def test_changing_the_password_needs_the_current_one(client, official):
    log_in(client, official.email)
    form = client.get(reverse("account_change_password"))
    assert soup(form).find(id="id_oldpassword") is not None

    wrong = client.post(reverse("account_change_password"),
                        {"oldpassword": "raden", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert field_error(wrong, "id_oldpassword") == "Geef je huidige wachtwoord op."

    right = client.post(reverse("account_change_password"),
                        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert right.status_code == 302
    assert log_in(Client(), official.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("url_name", ["mfa_activate_totp", "mfa_deactivate_totp", "mfa_generate_recovery_codes"])
def test_two_step_verification_changes_ask_for_the_password_again(client, official, url_name):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    log_in(client, official.email)
    if url_name != "mfa_activate_totp":
        TOTP.activate(official, generate_totp_secret())
        RecoveryCodes.activate(official)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_the_password_given_again_counts_for_five_minutes(client, official, settings):
    log_in(client, official.email)
    ask = client.get(reverse("mfa_activate_totp"))
    client.post(ask.url, {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.post(reverse("account_email"), {"action_add": "", "email": "anouk@zeist.example"}).status_code == 302
    assert EmailAddress.objects.filter(email="anouk@zeist.example").exists()


def test_session_timeouts_are_two_hours_idle_and_fourteen_days_in_all(client, official):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_REFRESH_INTERVAL == 5 * 60  # a request starts the two hours again every 5 minutes
    assert settings.SESSION_ABSOLUTE_MAX_AGE == 14 * 24 * 60 * 60
    response = log_in(client, official.email)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # The server forgets the session two hours after the last request (the cookie itself lives
    # until the browser closes, unless "remember me" was ticked).
    stored = Session.objects.get(session_key=cookie.value)
    assert abs((stored.expire_date - timezone.now()).total_seconds() - 2 * 60 * 60) < 60
    session = client.session
    session[AbsoluteSessionTimeoutMiddleware.SESSION_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_MAX_AGE + 60
    session.save()
    assert client.get(reverse("communities:profile")).status_code == 200  # a minute left


PRINT_COOKIE_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_AGE", "SESSION_ABSOLUTE_MAX_AGE")}))
"""


def test_cookies_are_secure_httponly_and_samesite_in_production():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "-c", PRINT_COOKIE_SETTINGS], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout.strip().splitlines()[-1])
    assert production == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_AGE": 7200,
        "SESSION_ABSOLUTE_MAX_AGE": 1209600,
    }
