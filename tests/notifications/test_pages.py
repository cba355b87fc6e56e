"""/meldingen/: the list, reading, the preferences form, the header badge, query counts."""

import pytest

from communities.models import Delivery, Message, Notification, NotificationKind
from communities.notifications.services import notify, preferences_for
from tests.factories import MessageFactory

from .conftest import notifications_of

pytestmark = pytest.mark.django_db


def fill(recipient, actor, circle, channel, count, start=0):
    """`count` notifications of mixed kinds, as a real inbox has."""
    for index in range(start, start + count):
        if index % 3 == 0:
            message = MessageFactory(channel=channel, author=actor, body_source=f"Vraag {index}", body_html=f"<p>Vraag {index}</p>")
            notify(kind=NotificationKind.MENTION, recipients=[recipient], actor=actor, circle=circle,
                   target=message, event_key=f"message:{message.pk}", data={"channel": channel.name})
        elif index % 3 == 1:
            notify(kind=NotificationKind.JOIN_REQUEST, recipients=[recipient], actor=actor, circle=circle,
                   event_key=f"join:{index}", url="/kringen/wonen/")
        else:
            notify(kind=NotificationKind.CASE_NEW, recipients=[recipient], actor=actor, circle=circle,
                   event_key=f"case:{index}", data={"title": f"Casus {index}"}, confidential=index % 2 == 0)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/meldingen/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_shows_what_happened_in_dutch(client, circle, channel, official, expert):
    message = MessageFactory(channel=channel, author=expert, body_source="Kijk eens @anouk", body_html="<p>Kijk eens @anouk &amp; co</p>")
    notify(kind=NotificationKind.MENTION, recipients=[official], actor=expert, circle=circle, target=message,
           event_key="m1", data={"channel": "algemeen"}, url="/kringen/wonen/kanalen/algemeen/1/")
    client.force_login(official)
    html = client.get("/meldingen/").content.decode()
    assert "Bram Jansen noemde je in #algemeen" in html
    assert "Kijk eens @anouk &amp; co" in html  # escaped once, not twice
    assert "Je hebt 1 ongelezen melding." in html
    assert 'data-unread-count>1<' in html  # header badge


def test_empty_list_says_so(client, official):
    client.force_login(official)
    html = client.get("/meldingen/").content.decode()
    assert "Nog geen meldingen" in html
    assert "Je hebt alles gelezen." in html


def test_removed_message_text_is_not_shown(client, circle, channel, official, expert):
    message = MessageFactory(channel=channel, author=expert, body_source="Oeps", body_html="<p>Iets kwetsends</p>")
    notify(kind=NotificationKind.MENTION, recipients=[official], actor=expert, circle=circle, target=message,
           event_key="m1", data={"channel": "algemeen"})
    Message.objects.filter(pk=message.pk).update(hidden_at="2026-01-01T00:00:00Z")
    client.force_login(official)
    html = client.get("/meldingen/").content.decode()
    assert "Bram Jansen noemde je in #algemeen" in html
    assert "kwetsends" not in html


def test_message_text_is_hidden_once_the_reader_left_the_circle(client, circle, channel, official, expert):
    from communities.models import Membership

    message = MessageFactory(channel=channel, author=expert, body_html="<p>Interne afspraak</p>")
    notify(kind=NotificationKind.MENTION, recipients=[official], actor=expert, circle=circle, target=message,
           event_key="m1", data={"channel": "algemeen"})
    Membership.objects.filter(user=official).update(state=Membership.State.REMOVED)
    client.force_login(official)
    assert "Interne afspraak" not in client.get("/meldingen/").content.decode()


def test_confidential_case_shows_no_title(client, circle, official, expert):
    notify(kind=NotificationKind.CASE_NEW, recipients=[official], actor=expert, circle=circle, event_key="c",
           data={"title": "Uithuisplaatsing familie K."}, confidential=True)
    client.force_login(official)
    html = client.get("/meldingen/").content.decode()
    assert "Er is een nieuwe casus ingebracht in Kring Wonen" in html
    assert "familie K." not in html


def test_open_marks_read_and_goes_to_the_target(client, circle, official, expert):
    [notification] = notify(kind=NotificationKind.JOIN_REQUEST, recipients=[official], actor=expert, circle=circle,
                            event_key="j", url="/kringen/wonen/")
    client.force_login(official)
    response = client.get(f"/meldingen/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == "/kringen/wonen/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_one_and_all_as_read(client, circle, official, expert):
    first, second, third = (
        notify(kind=NotificationKind.JOIN_REQUEST, recipients=[official], actor=expert, circle=circle, event_key=key)[0]
        for key in "abc"
    )
    client.force_login(official)
    response = client.post(f"/meldingen/{first.pk}/gelezen/", {"next": "/meldingen/"})
    assert response.status_code == 302
    assert "Je hebt 2 ongelezen meldingen." in client.get("/meldingen/").content.decode()
    response = client.post("/meldingen/alles-gelezen/", follow=True)
    html = response.content.decode()
    assert "Alle meldingen zijn als gelezen gemarkeerd." in html
    assert "Je hebt alles gelezen." in html
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client, circle, official, expert):
    [theirs] = notify(kind=NotificationKind.JOIN_REQUEST, recipients=[expert], actor=official, circle=circle, event_key="x")
    client.force_login(official)
    assert client.post(f"/meldingen/{theirs.pk}/gelezen/").status_code == 404
    assert client.get(f"/meldingen/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_redirect_via_next_is_refused(client, circle, official, expert):
    [mine] = notify(kind=NotificationKind.JOIN_REQUEST, recipients=[official], actor=expert, circle=circle, event_key="x")
    client.force_login(official)
    response = client.post(f"/meldingen/{mine.pk}/gelezen/", {"next": "https://evil.example/"})
    assert response["Location"] == "/meldingen/"


def test_preferences_form_saves_every_kind(client, official):
    client.force_login(official)
    data = {kind.value: Delivery.IN_APP for kind in NotificationKind}
    data[NotificationKind.REPLY] = Delivery.OFF
    response = client.post("/meldingen/voorkeuren/", data, follow=True)
    assert "Je instellingen voor meldingen zijn opgeslagen." in response.content.decode()
    assert preferences_for(official)[NotificationKind.REPLY] == Delivery.OFF
    assert preferences_for(official)[NotificationKind.MENTION] == Delivery.IN_APP


def test_bad_preferences_store_nothing_and_say_why(client, official):
    client.force_login(official)
    data = {kind.value: Delivery.OFF for kind in NotificationKind}
    data[NotificationKind.REPLY] = "carrier-pigeon"
    response = client.post("/meldingen/voorkeuren/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies een van de mogelijkheden uit de lijst." in html
    assert 'aria-describedby="id_reply-error"' in html
    assert preferences_for(official)[NotificationKind.MENTION] == Delivery.IMMEDIATE  # unchanged


def test_list_query_count_does_not_grow_with_the_number_of_notifications(
    client, circle, channel, official, expert, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("communities.notifications.views.PAGE_SIZE", 100)
    client.force_login(official)
    fill(official, expert, circle, channel, 5)
    client.get("/meldingen/")  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        response = client.get("/meldingen/")
    five_count = len(five)  # now: later requests reset the connection's query log
    assert response.content.decode().count('<li class="lk-notification') == 5
    fill(official, expert, circle, channel, 95, start=5)
    assert len(notifications_of(official)) == 100
    with django_assert_num_queries(five_count):
        response = client.get("/meldingen/")
    assert response.content.decode().count('<li class="lk-notification') == 100
