"""A page view by a signed-in member writes nothing to the database, unless something moved."""

import re
from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import ReadMarker
from tests.accounts.helpers import log_in
from tests.cms.factories import make_home
from tests.factories import ChannelFactory, CircleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]


@pytest.fixture
def member_in_channel():
    user = UserFactory(username="anouk")
    circle = CircleFactory(slug="slim-samenwerken")
    MembershipFactory(user=user, circle=circle)
    channel = ChannelFactory(circle=circle, slug="algemeen")
    author = UserFactory(username="cor")
    MembershipFactory(user=author, circle=circle)
    for text in ("Eerste vraag", "Tweede vraag"):
        services.message_post(author=author, channel=channel, body=text)
    return user, channel


def test_a_members_second_get_of_a_channel_and_the_home_page_writes_nothing(client, member_in_channel):
    user, channel = member_in_channel
    make_home()
    log_in(client, user.email)
    url = channel.get_absolute_url()

    first = writes_of(client, url)
    assert any("read" in sql.lower() for sql in first)  # the read marker moved to the newest message
    assert ReadMarker.objects.get(user=user, channel=channel).last_read_message_id == channel.messages.latest("id").pk

    assert writes_of(client, url) == []
    assert writes_of(client, "/") == []
    assert writes_of(client, "/") == []


def test_the_read_marker_moves_when_a_new_message_arrives(client, member_in_channel):
    user, channel = member_in_channel
    log_in(client, user.email)
    client.get(channel.get_absolute_url())
    newer = services.message_post(author=channel.messages.first().author, channel=channel, body="Derde vraag")

    assert writes_of(client, channel.get_absolute_url()) != []
    assert ReadMarker.objects.get(user=user, channel=channel).last_read_message_id == newer.pk


def test_the_session_is_refreshed_once_its_last_refresh_is_older_than_the_interval(client, member_in_channel, settings):
    user, _ = member_in_channel
    log_in(client, user.email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get(reverse("communities:profile"))  # the site's settings row is made on the first page view
    assert writes_of(client, reverse("communities:profile")) == []

    session = client.session
    session["_lk_refreshed_at"] -= settings.SESSION_REFRESH_INTERVAL
    session.save()
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Session.objects.filter(session_key=key).update(expire_date=an_hour_ago + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    UserSession.objects.filter(session_key=key).update(last_seen_at=an_hour_ago)

    response = client.get(reverse("communities:profile"))

    assert response.cookies[settings.SESSION_COOKIE_NAME].value == key  # the browser's cookie renewed too
    left = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert abs(left.total_seconds() - settings.SESSION_COOKIE_AGE) < 60  # two hours again
    assert UserSession.objects.get(session_key=key).last_seen_at > an_hour_ago + timedelta(minutes=59)  # "Laatst actief"
    assert writes_of(client, reverse("communities:profile")) == []  # and then quiet again


def test_another_browser_or_ip_address_is_recorded_at_once(client, member_in_channel, settings):
    user, _ = member_in_channel
    log_in(client, user.email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.get(reverse("communities:profile"), HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")

    assert "Firefox" in UserSession.objects.get(session_key=key).user_agent


def test_a_session_idle_for_longer_than_the_timeout_is_over(client, member_in_channel, settings):
    user, _ = member_in_channel
    log_in(client, user.email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("communities:profile")).status_code == 200

    stored = Session.objects.get(session_key=key)
    Session.objects.filter(session_key=key).update(expire_date=stored.expire_date.replace(year=2000))

    response = client.get(reverse("communities:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
