"""Joining, leaving, invitations and unread counts, end to end through the pages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import Circle, Invitation, Membership, Message
from tests.communities.conftest import post
from tests.factories import UserFactory


def text(response) -> str:
    return response.content.decode()


# --- Joining and leaving ----------------------------------------------------------------


def test_open_circle_join_with_a_button(client, circle, outsider, facilitator):
    Circle.objects.filter(pk=circle.pk).update(join_policy=Circle.JoinPolicy.OPEN)
    client.force_login(outsider)
    page = client.get(circle.get_absolute_url())
    assert "Word lid van deze kring" in text(page)
    response = client.post(reverse("communities:circle_join", args=[circle.slug]), follow=True)
    assert "Welkom in Slim samenwerken." in text(response)
    assert "Je doet mee als lid." in text(response)


def test_request_circle_facilitator_approves_and_requester_is_told(client, circle, outsider, facilitator, committed):
    client.force_login(outsider)
    with committed():
        response = client.post(reverse("communities:circle_join", args=[circle.slug]), follow=True)
    assert "Je aanvraag is verstuurd" in text(response)
    assert "Je hebt gevraagd om lid te worden van deze kring" in text(response)
    [to_facilitator] = mail.outbox
    assert to_facilitator.to == [facilitator.email]
    assert "Olga Buitenstaander" in to_facilitator.body
    # Still outside: the channels answer 404.
    assert client.get(reverse("communities:channel", args=[circle.slug, "algemeen"])).status_code == 404

    client.force_login(facilitator)
    requests = client.get(reverse("communities:manage_requests", args=[circle.slug]))
    assert "Olga Buitenstaander" in text(requests)
    request = Membership.objects.get(user=outsider, circle=circle)
    with committed():
        response = client.post(reverse("communities:manage_request", args=[circle.slug, request.pk]),
                               {"action": "approve"}, follow=True)
    assert "Olga Buitenstaander is nu lid" in text(response)
    told = mail.outbox[-1]
    assert told.to == [outsider.email]
    assert told.subject == "[Leerkring] Je aanvraag voor Slim samenwerken is goedgekeurd"  # a notification email
    assert "goedgekeurd" in told.body

    client.force_login(outsider)
    assert client.get(circle.get_absolute_url()).status_code == 200
    assert "Je doet mee als lid." in text(client.get(circle.get_absolute_url()))


def test_request_declined_and_the_requester_is_told(client, circle, outsider, facilitator, committed):
    services.circle_join(user=outsider, circle=circle)
    request = Membership.objects.get(user=outsider, circle=circle)
    client.force_login(facilitator)
    with committed():
        client.post(reverse("communities:manage_request", args=[circle.slug, request.pk]), {"action": "decline"})
    assert "afgewezen" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [outsider.email]
    client.force_login(outsider)
    assert "Je eerdere aanvraag is afgewezen" in text(client.get(circle.get_absolute_url()))


def test_invite_only_circle_refuses_join(client, circle, outsider):
    Circle.objects.filter(pk=circle.pk).update(join_policy=Circle.JoinPolicy.INVITE)
    client.force_login(outsider)
    response = client.post(reverse("communities:circle_join", args=[circle.slug]), follow=True)
    assert "Je kunt alleen lid worden van deze kring als een begeleider je uitnodigt." in text(response)
    assert not Membership.objects.filter(user=outsider).exists()


def test_joining_twice_is_refused_with_a_clear_message(client, circle, official):
    client.force_login(official)
    response = client.post(reverse("communities:circle_join", args=[circle.slug]), follow=True)
    assert "Je bent al lid van deze kring." in text(response)
    assert Membership.objects.filter(user=official, circle=circle).count() == 1


def test_asking_twice_is_refused(client, circle, outsider):
    client.force_login(outsider)
    client.post(reverse("communities:circle_join", args=[circle.slug]))
    response = client.post(reverse("communities:circle_join", args=[circle.slug]), follow=True)
    assert "Je hebt al gevraagd om lid te worden" in text(response)


def test_leave_and_leaving_a_circle_you_are_not_in(client, circle, official, outsider, facilitator, captured_events,
                                                   django_capture_on_commit_callbacks):
    client.force_login(official)
    assert "verlaten?" in text(client.get(reverse("communities:circle_leave", args=[circle.slug])))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("communities:circle_leave", args=[circle.slug]), follow=True)
    assert "Je hebt Slim samenwerken verlaten." in text(response)
    assert (f"user-{official.pk}", {"type": "membership.ended", "circle": circle.pk}) in captured_events
    assert client.get(reverse("communities:channel", args=[circle.slug, "algemeen"])).status_code == 404

    client.force_login(outsider)
    response = client.post(reverse("communities:circle_leave", args=[circle.slug]), follow=True)
    assert "Je bent geen lid van deze kring." in text(response)


def test_the_last_facilitator_cannot_leave(client, circle, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("communities:circle_leave", args=[circle.slug]), follow=True)
    assert "Je bent de enige begeleider van deze kring" in text(response)
    assert Membership.objects.get(user=facilitator, circle=circle).state == Membership.State.ACTIVE


def test_removed_member_loses_access_at_once(client, circle, channel, official, facilitator, captured_events,
                                             django_capture_on_commit_callbacks):
    client.force_login(facilitator)
    membership = Membership.objects.get(user=official, circle=circle)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("communities:manage_member", args=[circle.slug, membership.pk]), {"action": "remove"})
    assert (f"user-{official.pk}", {"type": "membership.ended", "circle": circle.pk}) in captured_events
    client.force_login(official)
    assert client.get(channel.get_absolute_url()).status_code == 404
    response = client.post(reverse("communities:circle_join", args=[circle.slug]), follow=True)
    assert "Een begeleider heeft je uit deze kring gehaald" in text(response)


def test_role_change_and_last_facilitator_guard(client, circle, official, facilitator):
    client.force_login(facilitator)
    membership = Membership.objects.get(user=official, circle=circle)
    response = client.post(reverse("communities:manage_member", args=[circle.slug, membership.pk]),
                           {"action": "role", "role": "expert"}, follow=True)
    assert "Anouk Ambtenaar is nu expert." in text(response)
    own = Membership.objects.get(user=facilitator, circle=circle)
    response = client.post(reverse("communities:manage_member", args=[circle.slug, own.pk]),
                           {"action": "role", "role": "member"}, follow=True)
    assert "Een kring heeft minstens één begeleider nodig" in text(response)


# --- Invitations ------------------------------------------------------------------------


def invite(client, circle, facilitator, email="nieuw@gemeente.example", role="expert"):
    """The facilitator invites; returns the path of the link in the email."""
    from django.db import connection

    client.force_login(facilitator)
    waiting = len(connection.run_on_commit)
    response = client.post(reverse("communities:manage_invitations", args=[circle.slug]),
                           {"email": email, "role": role}, follow=True)
    # The email waits for the commit, which a test transaction never reaches: run what this
    # request left for the commit (the mail, and e.g. the page cache's invalidation) now.
    for _savepoint, callback, _robust in connection.run_on_commit[waiting:]:
        callback()
    assert f"Er is een uitnodiging gestuurd naar {email}." in text(response)
    body = mail.outbox[-1].body
    client.logout()
    return re.search(r"https?://\S+/uitnodiging/\S+/", body).group(0).split("://", 1)[1].split("/", 1)[1]


def test_invitation_accepted_right_after_sign_up(client, circle, facilitator):
    Circle.objects.filter(pk=circle.pk).update(join_policy=Circle.JoinPolicy.INVITE)
    link = "/" + invite(client, circle, facilitator)
    assert Invitation.objects.get().token_hash not in link  # only the hash is stored
    landing = client.get(link, follow=True)
    assert "Uitnodiging voor Slim samenwerken" in text(landing)
    assert "Log in met nieuw@gemeente.example, of maak een account aan met dat adres" in text(landing)
    signup = client.post(reverse("account_signup"), {
        "email": "nieuw@gemeente.example", "password1": "Kringen-leren-2024!", "password2": "Kringen-leren-2024!",
        "display_name": "Nina Nieuw", "organisation": "Gemeente Goes",
    })
    assert signup.status_code == 302
    confirmation = mail.outbox[-1].body
    confirm_url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", confirmation).group(1)
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:invitation_landing", args=[circle.slug])
    page = client.get(response["Location"])
    assert "Uitnodiging aannemen" in text(page)
    response = client.post(response["Location"], follow=True)
    assert "Welkom in Slim samenwerken." in text(response)
    membership = Membership.objects.get(user__email="nieuw@gemeente.example", circle=circle)
    assert (membership.role, membership.state) == ("expert", "active")


def test_invitation_accepted_by_an_existing_user_who_logs_in(client, circle, facilitator):
    invitee = UserFactory(username="nina", email="nina@gemeente.example")
    link = "/" + invite(client, circle, facilitator, email="nina@gemeente.example", role="member")
    client.get(link)
    response = client.post(reverse("account_login"), {"login": "nina@gemeente.example",
                                                      "password": "correct horse battery staple"})
    assert response["Location"] == reverse("communities:invitation_landing", args=[circle.slug])
    client.post(response["Location"])
    assert Membership.objects.get(user=invitee, circle=circle).state == "active"


def test_a_used_invitation_cannot_be_used_again(client, circle, facilitator):
    UserFactory(username="nina", email="nina@gemeente.example")
    link = "/" + invite(client, circle, facilitator, email="nina@gemeente.example")
    nina = UserFactory(username="nina")
    client.force_login(nina)
    client.get(link)
    client.post(reverse("communities:invitation_landing", args=[circle.slug]))
    other = UserFactory(username="kees", email="kees@gemeente.example")
    client.force_login(other)
    response = client.get(link, follow=True)
    assert "Deze uitnodiging is al gebruikt. Een uitnodiging werkt maar één keer." in text(response)


def test_an_expired_invitation_is_refused(client, circle, facilitator):
    nina = UserFactory(username="nina", email="nina@gemeente.example")
    link = "/" + invite(client, circle, facilitator, email="nina@gemeente.example")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(nina)
    response = client.get(link, follow=True)
    assert "Deze uitnodiging is verlopen." in text(response)
    client.post(reverse("communities:invitation_landing", args=[circle.slug]))
    assert not Membership.objects.filter(user=nina).exists()


def test_an_invitation_for_another_email_is_refused(client, circle, facilitator, outsider):
    link = "/" + invite(client, circle, facilitator, email="nina@gemeente.example")
    client.force_login(outsider)
    client.get(link)
    response = client.post(reverse("communities:invitation_landing", args=[circle.slug]))
    assert response.status_code == 422
    assert "Deze uitnodiging is naar een ander e-mailadres gestuurd (n…@gemeente.example)" in text(response)
    assert not Membership.objects.filter(user=outsider, circle=circle).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_broken_invitation_link_is_refused(client, circle, outsider):
    client.force_login(outsider)
    response = client.get(reverse("communities:invitation", args=[circle.slug, "verzonnen-token"]), follow=True)
    assert "Deze uitnodigingslink klopt niet." in text(response)


def test_invalid_invitation_email_is_shown_at_the_field(client, circle, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("communities:manage_invitations", args=[circle.slug]), {"email": "geen-adres"})
    page = text(response)
    assert "Vul een geldig e-mailadres in" in page
    assert 'aria-describedby="id_email_error"' in page
    assert not Invitation.objects.exists()


# --- Unread counts and "new since your last visit" --------------------------------------


def test_unread_counts_and_new_marker_end_to_end(client, circle, channel, official, official2):
    from tests.factories import ChannelFactory

    other = ChannelFactory(circle=circle, name="Kennisagenda", slug="kennisagenda")
    first = post(official2, channel, "Eerste vraag")
    client.force_login(official)
    client.get(channel.get_absolute_url())  # first visit: everything read
    home = text(client.get(circle.get_absolute_url()))
    assert f'data-unread-channel="{channel.pk}" hidden' in home

    reply = post(official2, channel, "Een antwoord", parent=first)
    post(official2, channel, "Nog een draad")
    post(official, channel, "Mijn eigen bericht telt niet")
    post(official2, other, "Elders")
    home = text(client.get(circle.get_absolute_url()))
    assert re.search(rf'data-unread-channel="{channel.pk}">2<', home)
    assert re.search(rf'data-unread-channel="{other.pk}">1<', home)
    api = {c["slug"]: c["unread"] for c in client.get(f"/api/v1/circles/{circle.slug}/channels").json()["items"]}
    assert api == {"algemeen": 2, "kennisagenda": 1}

    page = text(client.get(channel.get_absolute_url()))
    assert "Nieuw sinds je laatste bezoek" in page
    assert re.search(rf'class="lk-message lk-message--new" id="message-{reply.pk}"', page)
    assert not re.search(rf'lk-message--new" id="message-{first.pk}"', page)
    # The visit marked the channel read.
    home = text(client.get(circle.get_absolute_url()))
    assert f'data-unread-channel="{channel.pk}" hidden' in home
    assert "Nieuw sinds je laatste bezoek" not in text(client.get(channel.get_absolute_url()))


# --- Messages through the pages ---------------------------------------------------------


def test_thread_nesting_three_levels_then_flat_with_in_reply_to(client, channel, official, official2):
    root = post(official, channel, "Niveau 0")
    parent = root
    for depth in range(1, 6):
        parent = post(official2 if depth % 2 else official, channel, f"Niveau {depth}", parent=parent)
    client.force_login(official)
    page = text(client.get(f"{channel.get_absolute_url()}{root.pk}/"))
    assert page.count('<p class="lk-in-reply-to">Antwoord op') == 2  # depth 4 and 5
    deepest = Message.objects.get(depth=5)
    assert f'data-parent="{deepest.parent_id}" data-depth="5"' in page


def test_edit_shows_bewerkt_and_delete_shows_verwijderd(client, channel, official, official2):
    message = post(official, channel, "Eerste versie")
    reply = post(official2, channel, "Antwoord", parent=message)
    client.force_login(official)
    client.post(reverse("communities:message_edit", args=[channel.circle.slug, channel.slug, message.pk]),
                {"body": "Tweede versie"})
    page = text(client.get(f"{channel.get_absolute_url()}{message.pk}/"))
    assert "Tweede versie" in page and "bewerkt" in page
    client.post(reverse("communities:message_delete", args=[channel.circle.slug, channel.slug, message.pk]))
    page = text(client.get(f"{channel.get_absolute_url()}{message.pk}/"))
    assert "Dit bericht is verwijderd." in page
    assert "Tweede versie" not in page
    assert f'id="message-{reply.pk}"' in page  # the thread stays


def test_facilitator_hides_a_message(client, channel, official, facilitator):
    message = post(official, channel, "Iets ongepasts")
    client.force_login(facilitator)
    client.post(reverse("communities:message_hide", args=[channel.circle.slug, channel.slug, message.pk]))
    page = text(client.get(channel.get_absolute_url()))
    assert "Dit bericht is verborgen door een begeleider." in page
    assert "Iets ongepasts" not in page


def test_reactions_toggle_and_report_reaches_the_facilitators(client, channel, official, official2, facilitator,
                                                               committed):
    message = post(official2, channel, "Goed punt")
    client.force_login(official)
    url = reverse("communities:message_react", args=[channel.circle.slug, channel.slug, message.pk])
    client.post(url, {"kind": "idea"})
    page = text(client.get(channel.get_absolute_url()))
    assert re.search(r'value="idea" aria-pressed="true"[^>]*><span role="img" aria-label="Goed idee">💡</span> <span class="lk-reaction__count">1</span>', page)
    client.post(url, {"kind": "idea"})
    assert 'value="idea" aria-pressed="false"' in text(client.get(channel.get_absolute_url()))
    response = client.post(url, {"kind": "boos"}, follow=True)
    assert "Deze reactie bestaat niet." in text(response)

    report_url = reverse("communities:message_report", args=[channel.circle.slug, channel.slug, message.pk])
    response = client.post(report_url, {"reason": ""})
    assert "Vertel de begeleiders kort wat er mis is" in text(response)
    with committed():
        response = client.post(report_url, {"reason": "Dit hoort niet in de kring"}, follow=True)
    assert "De begeleiders hebben je melding" in text(response)
    assert mail.outbox[-1].to == [facilitator.email]
    assert "Dit hoort niet in de kring" in mail.outbox[-1].body
    response = client.post(report_url, {"reason": "Nog een keer"}, follow=True)
    assert "Je hebt dit bericht al gemeld." in text(response)


@pytest.mark.parametrize(
    "body, error",
    [("", "Een bericht kan niet leeg zijn."), ("   ", "Een bericht kan niet leeg zijn."),
     ("x" * 20_001, "Een bericht mag hoogstens 20.000 tekens lang zijn; dit bericht heeft er 20.001.")],
)
def test_bad_messages_are_refused_on_the_page_with_the_error_at_the_field(client, channel, official, body, error):
    client.force_login(official)
    response = client.post(channel.get_absolute_url(), {"body": body})
    page = text(response)
    assert error in page
    assert 'aria-describedby="id_body_helptext id_body_error"' in page
    assert not Message.objects.exists()


def test_posting_in_a_locked_or_archived_channel_is_refused(client, channel, official, facilitator):
    client.force_login(facilitator)
    client.post(reverse("communities:manage_channel", args=[channel.circle.slug, channel.slug]),
                {"name": "Algemeen", "locked": "on"})
    client.force_login(official)
    page = text(client.get(channel.get_absolute_url()))
    assert "Een begeleider heeft dit kanaal gesloten." in page
    assert "Begin een nieuwe draad" not in page
    response = client.post(channel.get_absolute_url(), {"body": "Toch proberen"})
    assert "Dit kanaal is gesloten: er kunnen geen nieuwe berichten bij." in text(response)
    channel.refresh_from_db()
    channel.locked, channel.archived = False, True
    channel.save()
    response = client.post(channel.get_absolute_url(), {"body": "Toch proberen"})
    assert "Dit kanaal is gesloten" in text(response)
    assert not Message.objects.exists()


def test_reply_with_a_parent_in_another_circle_is_refused(client, channel, official):
    from tests.factories import ChannelFactory, MembershipFactory

    elsewhere = ChannelFactory()
    MembershipFactory(user=official, circle=elsewhere.circle)
    foreign = post(official, elsewhere, "In een andere kring")
    root = post(official, channel, "Hier")
    client.force_login(official)
    response = client.post(f"{channel.get_absolute_url()}{root.pk}/", {"body": "Antwoord", "parent": foreign.pk})
    assert "Je kunt alleen reageren op een bericht in hetzelfde kanaal." in text(response)
    assert Message.objects.count() == 2


def test_facilitator_opens_renames_and_archives_a_channel(client, circle, facilitator, captured_events,
                                                          django_capture_on_commit_callbacks):
    client.force_login(facilitator)
    response = client.post(reverse("communities:manage_channels", args=[circle.slug]), {"name": "Casuïstiek"}, follow=True)
    assert "Het kanaal Casuïstiek is geopend." in text(response)
    channel = circle.channels.get(name="Casuïstiek")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("communities:manage_channel", args=[circle.slug, channel.slug]),
                    {"name": "Casussen bespreken", "archived": "on"})
    assert (f"channel-{channel.pk}", {"type": "channel.updated", "channel": channel.pk, "locked": False,
                                      "archived": True, "name": "Casussen bespreken"}) in captured_events
    response = client.post(reverse("communities:manage_channels", args=[circle.slug]), {"name": ""})
    assert "Geef het kanaal een naam." in text(response)


def test_asking_withdrawing_and_asking_again_mails_the_facilitator_once_a_day(client, circle, outsider, facilitator,
                                                                              committed):
    from communities.models import Notification

    client.force_login(outsider)
    join = reverse("communities:circle_join", args=[circle.slug])
    leave = reverse("communities:circle_leave", args=[circle.slug])
    with committed():
        for _ in range(5):
            assert "Je aanvraag is verstuurd" in text(client.post(join, follow=True))
            client.post(leave)
        client.post(join)
    assert [message.to for message in mail.outbox] == [[facilitator.email]]
    assert Membership.objects.get(user=outsider, circle=circle).state == Membership.State.PENDING
    client.force_login(facilitator)
    assert "Olga Buitenstaander" in text(client.get(reverse("communities:manage_requests", args=[circle.slug])))

    Notification.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    client.force_login(outsider)
    with committed():
        client.post(leave)
        client.post(join)
    assert len(mail.outbox) == 2  # after a day the facilitator hears of it again


def test_the_api_cannot_toggle_a_join_request_into_mails_either(client, circle, outsider, facilitator, committed):
    client.force_login(outsider)
    with committed():
        for _ in range(4):
            assert client.post(f"/api/v1/circles/{circle.slug}/join").status_code == 201
            assert client.post(f"/api/v1/circles/{circle.slug}/leave").status_code == 200
    assert len(mail.outbox) == 1
