"""Forwarding a question to a learning circle starts a thread there, only with the member's consent."""

import pytest
from django.core import mail

from communities.models import Message
from partners import services
from partners.errors import Conflict, NotFound
from tests.factories import ChannelFactory, CircleFactory, MembershipFactory

from .factories import ask


@pytest.fixture
def contact_in_circle(contact, editor, circle, channel):
    """Rosa, the contact person, is a member of the learning circle."""
    MembershipFactory(user=editor, circle=circle)
    return editor


def test_without_consent_nothing_is_posted_and_the_reason_is_given(client, official, contact_in_circle, channel):
    question = ask(official, share_consent=False)
    client.force_login(contact_in_circle)

    response = client.post(f"/kennisvragen/{question.pk}/naar-kring/", {"circle-channel": channel.pk})

    assert response.status_code == 409
    assert "Het lid heeft geen toestemming gegeven om deze vraag aan een leerkring voor te leggen." in response.content.decode()
    assert Message.objects.count() == 0
    question.refresh_from_db()
    assert question.status == "new" and question.events.count() == 1


def test_with_consent_the_question_becomes_a_new_thread_in_that_circle_only(
    client, official, contact_in_circle, circle, channel, committed
):
    other_channel = ChannelFactory(circle=circle, name="Wonen", slug="wonen")
    elsewhere = ChannelFactory(circle=CircleFactory(name="Andere kring"), name="Algemeen", slug="algemeen")
    MembershipFactory(user=contact_in_circle, circle=elsewhere.circle)
    question = ask(official, share_consent=True, title="Regionale woonagenda", question="Hoe betrekken jullie de regio?")
    client.force_login(contact_in_circle)

    with committed():
        response = client.post(
            f"/kennisvragen/{question.pk}/naar-kring/",
            {"circle-channel": channel.pk, "circle-body": "Wie heeft hier ervaring mee?"},
            follow=True,
        )

    assert "De vraag is als nieuwe draad aan de leerkring voorgelegd." in response.content.decode()
    (thread,) = Message.objects.all()
    assert (thread.channel, thread.parent, thread.author) == (channel, None, contact_in_circle)
    assert "Kennisvraag van" in thread.body_html and "Anouk Ambtenaar" in thread.body_html and "(Veenendaal)" in thread.body_html
    assert "Regionale woonagenda" in thread.body_html and "Hoe betrekken jullie de regio?" in thread.body_html
    assert f'href="/leden/{official.pk}/"' in thread.body_html  # the question's author is shown
    assert not other_channel.messages.exists() and not elsewhere.messages.exists()
    question.refresh_from_db()
    assert question.status == "forwarded"
    event = question.events.get(kind="forwarded_circle")
    assert (event.circle, event.message, event.body) == (circle, thread, "Wie heeft hier ervaring mee?")
    member_mail = [m for m in mail.outbox if m.to == [official.email]][-1]
    assert member_mail.subject == "Je vraag is voorgelegd aan een leerkring: Regionale woonagenda"
    assert "aan de leerkring ‘Slim samenwerken’" in member_mail.body


def test_the_member_can_give_consent_later(client, official, contact_in_circle, channel, committed):
    question = ask(official, share_consent=False)
    client.force_login(official)
    with committed():
        response = client.post(f"/kennisvragen/{question.pk}/toestemming/", follow=True)
    assert "Bedankt: je vraag mag nu aan een leerkring worden voorgelegd." in response.content.decode()
    assert any(m.subject.startswith("Toestemming om een vraag aan een leerkring") for m in mail.outbox)

    services.question_forward_to_circle(actor=contact_in_circle, question=question, channel=channel)
    assert Message.objects.filter(channel=channel, parent=None).count() == 1


def test_a_circle_the_handler_is_not_a_member_of_is_404_and_nothing_is_posted(official, contact, editor):
    foreign = ChannelFactory(circle=CircleFactory(name="Besloten kring"), name="Algemeen", slug="algemeen")
    question = ask(official, share_consent=True)
    with pytest.raises(NotFound):
        services.question_forward_to_circle(actor=editor, question=question, channel=foreign)
    assert Message.objects.count() == 0
    question.refresh_from_db()
    assert question.status == "new"


def test_a_locked_channel_refuses_and_nothing_changes(official, contact_in_circle, channel):
    channel.locked = True
    channel.save()
    question = ask(official, share_consent=True)
    with pytest.raises(Conflict):
        services.question_forward_to_circle(actor=contact_in_circle, question=question, channel=channel)
    question.refresh_from_db()
    assert question.status == "new" and question.events.count() == 1
    assert Message.objects.count() == 0


def test_the_form_offers_only_channels_of_the_handlers_circles(client, official, contact_in_circle, channel):
    ChannelFactory(circle=CircleFactory(name="Besloten kring"), name="Geheim", slug="geheim")
    question = ask(official, share_consent=True)
    client.force_login(contact_in_circle)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Slim samenwerken › Algemeen" in page
    assert "Geheim" not in page


def test_forwarding_to_circle_through_the_api(client, official, contact_in_circle, channel):
    question = ask(official, share_consent=True)
    client.force_login(contact_in_circle)
    response = client.post(f"/api/v1/knowledge-questions/{question.pk}/actions",
                           {"action": "forward_circle", "channel": channel.pk}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "forwarded"
    assert body["history"][-1]["circle"] == "Slim samenwerken"
    assert body["history"][-1]["thread_url"].startswith("/kringen/slim-samenwerken/")
