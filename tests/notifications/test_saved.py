"""Saved items ("Bewaard"): members keep messages they may read; the page shows them."""

import pytest

from communities.models import Membership, SavedItem
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(channel, expert):
    return MessageFactory(channel=channel, author=expert, body_source="Handig stappenplan", body_html="<p>Handig stappenplan</p>")


def test_save_and_see_it_on_the_saved_page(client, official, message):
    client.force_login(official)
    response = client.post(f"/bewaard/message/{message.pk}/", {"action": "save", "next": "/bewaard/"}, follow=True)
    html = response.content.decode()
    assert "Bewaard. Je vindt het terug onder “Bewaard”." in html
    assert "Handig stappenplan" in html
    assert "Kring Wonen · #algemeen" in html
    assert f'href="/kringen/wonen/kanalen/algemeen/{message.pk}/#message-{message.pk}"' in html


def test_saving_twice_keeps_one(client, official, message):
    client.force_login(official)
    client.post(f"/bewaard/message/{message.pk}/", {"action": "save"})
    client.post(f"/bewaard/message/{message.pk}/", {"action": "save"})
    assert SavedItem.objects.filter(user=official).count() == 1


def test_remove(client, official, message):
    client.force_login(official)
    client.post(f"/bewaard/message/{message.pk}/", {"action": "save"})
    response = client.post(f"/bewaard/message/{message.pk}/", {"action": "remove"}, follow=True)
    assert "Verwijderd uit je bewaarde items." in response.content.decode()
    assert "Nog niets bewaard" in response.content.decode()


def test_outsider_cannot_save_a_message_of_another_circle(client, outsider, message):
    client.force_login(outsider)
    response = client.post(f"/bewaard/message/{message.pk}/", {"action": "save"})
    assert response.status_code == 404
    assert not SavedItem.objects.exists()


def test_unknown_kind_or_action_is_not_found(client, official, message):
    client.force_login(official)
    assert client.post(f"/bewaard/spaceship/{message.pk}/", {"action": "save"}).status_code == 404
    assert client.post(f"/bewaard/message/{message.pk}/", {"action": "steal"}).status_code == 404


def test_after_leaving_the_circle_the_content_is_gone_from_the_page(client, official, message):
    client.force_login(official)
    client.post(f"/bewaard/message/{message.pk}/", {"action": "save"})
    Membership.objects.filter(user=official).update(state=Membership.State.LEFT)
    html = client.get("/bewaard/").content.decode()
    assert "Handig stappenplan" not in html
    assert "Dit item is niet meer beschikbaar voor jou." in html


def test_htmx_save_swaps_only_the_button(client, official, message):
    client.force_login(official)
    response = client.post(f"/bewaard/message/{message.pk}/", {"action": "save"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' in html and "<html" not in html
    assert 'value="remove"' in html


def test_saved_page_query_count_equal_at_5_and_100(client, channel, official, expert, django_assert_num_queries, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("communities.notifications.views.SAVED_PAGE_SIZE", 100)
    client.force_login(official)

    def save(count):
        for _ in range(count):
            message = MessageFactory(channel=channel, author=expert, body_html="<p>x</p>")
            client.post(f"/bewaard/message/{message.pk}/", {"action": "save"})

    save(5)
    client.get("/bewaard/")
    with CaptureQueriesContext(connection) as five:
        assert client.get("/bewaard/").content.decode().count('class="lk-saved__item"') == 5
    five_count = len(five)  # now: later requests reset the connection's query log
    save(95)
    with django_assert_num_queries(five_count):
        assert client.get("/bewaard/").content.decode().count('class="lk-saved__item"') == 100


def test_save_from_the_thread_page_and_see_the_button_change(client, channel, official, expert):
    from communities import services

    root = services.message_post(author=expert, channel=channel, body="Het stappenplan staat in de bijlage")
    client.force_login(official)
    thread_url = f"/kringen/wonen/kanalen/algemeen/{root.pk}/"
    html = client.get(thread_url).content.decode()
    assert f'action="/bewaard/message/{root.pk}/"' in html and 'aria-pressed="false">Bewaren<' in html
    response = client.post(f"/bewaard/message/{root.pk}/", {"action": "save", "next": f"{thread_url}#message-{root.pk}"})
    assert response["Location"] == f"{thread_url}#message-{root.pk}"
    assert 'aria-pressed="true">Bewaard<' in client.get(thread_url).content.decode()
    assert 'aria-pressed="true">Bewaard<' in client.get("/kringen/wonen/kanalen/algemeen/").content.decode()
