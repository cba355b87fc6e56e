"""State that changes under a message a client already shows: reactions, the read marker,
and edits or removals made while the client was away.

Scenarios drive LiveConsumer through the real ASGI stack (tests/realtime/helpers.py); every
frame received is checked against communities.event_schema.
"""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import Membership, Message, ReadMarker
from tests.factories import ChannelFactory, MembershipFactory, MessageFactory
from tests.realtime.helpers import in_test_thread, run, sockets

CHANGE_MARGIN_MS = 6_000  # beyond selectors.CHANGE_CLOCK_MARGIN


def counts(frame) -> dict[str, int]:
    return {r["kind"]: r["count"] for r in frame["reactions"]}


# --- Reactions ----------------------------------------------------------------------------


def test_reactions_reach_every_subscriber_as_counts_without_who_reacted(channel, official, expert, commit):
    message = MessageFactory(channel=channel, author=official)

    async def scenario():
        async with sockets() as open_socket:
            anouk, bram = await open_socket(official), await open_socket(expert)
            await anouk.subscribe(channel.pk)
            await bram.subscribe(channel.pk)

            await commit(services.reaction_toggle, user=expert, message=message, kind="idea")
            for socket in (anouk, bram):
                frame = await socket.receive()
                assert (frame["type"], frame["channel"], frame["message"]) == ("reaction.updated", channel.pk, message.pk)
                assert counts(frame) == {"thumbs_up": 0, "heart": 0, "idea": 1, "thanks": 0, "question": 0}

            await commit(services.reaction_toggle, user=official, message=message, kind="idea")
            assert counts(await bram.receive())["idea"] == 2
            await commit(services.reaction_toggle, user=expert, message=message, kind="idea")  # taken back
            assert counts(await bram.receive())["idea"] == 1
            assert [counts(await anouk.receive())["idea"] for _ in range(2)] == [2, 1]

    run(scenario)


def test_a_reaction_that_changes_nothing_is_not_broadcast(channel, official, expert, commit):
    message = MessageFactory(channel=channel, author=official)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            await commit(services.reaction_set, user=expert, message=message, kind="heart", on=True)
            assert counts(await anouk.receive())["heart"] == 1
            await commit(services.reaction_set, user=expert, message=message, kind="heart", on=True)  # already set
            await commit(services.reaction_set, user=expert, message=message, kind="thanks", on=False)  # never set
            assert await anouk.nothing()

    run(scenario)


def test_reactions_in_another_channel_are_not_delivered(channel, official, expert, commit):
    elsewhere = MessageFactory(author=official)
    MembershipFactory(circle=elsewhere.channel.circle, user=official)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            await commit(services.reaction_toggle, user=official, message=elsewhere, kind="heart")
            assert await anouk.nothing()

    run(scenario)


# --- Read marker ---------------------------------------------------------------------------


@pytest.fixture
def events_at_once(monkeypatch):
    """The consumer's own write (the read marker) runs inside the test's transaction, which
    never commits: send its on-commit events at once instead."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


def marker(user, channel) -> int:
    return ReadMarker.objects.filter(user=user, channel=channel).values_list("last_read_message_id", flat=True).first() or 0


def channel_page(user, channel) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("communities:channel", args=[channel.circle.slug, channel.slug])).content.decode()


def new_tags(page: str) -> int:
    return page.count("lk-tag--new")


def test_messages_shown_live_and_reported_read_are_not_new_on_the_next_visit(
    channel, official, expert, facilitator, commit, events_at_once
):
    seen = MessageFactory(channel=channel, author=expert)
    for member in (official, facilitator):
        services.read_marker_advance(user=member, channel=channel, message_id=seen.pk)

    async def scenario():
        async with sockets() as open_socket:
            anouk, anouk_other_tab = await open_socket(official), await open_socket(official)
            await anouk.subscribe(channel.pk)
            await anouk_other_tab.subscribe(channel.pk)
            live = [await commit(services.message_post, author=expert, channel=channel, body=f"Live {n}") for n in range(2)]
            for socket in (anouk, anouk_other_tab):
                assert [(await socket.receive())["message"]["id"] for _ in live] == [m.pk for m in live]

            await anouk.send({"type": "read", "channel": channel.pk, "message": live[0].pk})
            for socket in (anouk, anouk_other_tab):  # every tab that follows the channel: its badge
                assert await socket.receive() == {"type": "channel.read", "channel": channel.pk, "unread": 1}
            await anouk.send({"type": "read", "channel": channel.pk, "message": live[1].pk})
            assert await anouk_other_tab.receive() == {"type": "channel.read", "channel": channel.pk, "unread": 0}
            return live

    live = run(scenario)
    assert marker(official, channel) == live[1].pk
    assert new_tags(channel_page(official, channel)) == 0
    assert new_tags(channel_page(facilitator, channel)) == 2  # the same messages, never reported read


def test_the_read_marker_never_goes_down(channel, official, expert, events_at_once):
    older, newer = MessageFactory(channel=channel, author=expert), MessageFactory(channel=channel, author=expert)
    services.read_marker_advance(user=official, channel=channel, message_id=newer.pk)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            await anouk.send({"type": "read", "channel": channel.pk, "message": older.pk})
            await anouk.send({"type": "read", "channel": channel.pk, "message": newer.pk})
            assert await anouk.nothing()  # nothing moved, so no tab is told anything

    run(scenario)
    assert marker(official, channel) == newer.pk


def test_read_frames_with_bad_fields_or_for_channels_not_followed_get_error_frames(channel, official, expert, events_at_once):
    message = MessageFactory(channel=channel, author=expert)
    other_channel = ChannelFactory(circle=channel.circle)
    elsewhere = MessageFactory(channel=other_channel, author=expert)
    services.read_marker_advance(user=official, channel=channel, message_id=1)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            answers = [
                await anouk.request(frame)
                for frame in (
                    {"type": "read", "channel": channel.pk},
                    {"type": "read", "channel": channel.pk, "message": str(message.pk)},
                    {"type": "read", "channel": channel.pk, "message": 0},
                    {"type": "read", "message": message.pk},
                    {"type": "read", "channel": other_channel.pk, "message": elsewhere.pk},  # not subscribed
                    {"type": "read", "channel": channel.pk, "message": elsewhere.pk},  # another channel's message
                    {"type": "read", "channel": channel.pk, "message": 999_999_999},
                )
            ]
            assert [(a["type"], a["code"], a.get("field"), a.get("channel")) for a in answers] == [
                ("error", "missing_field", "message", None),
                ("error", "invalid_field", "message", None),
                ("error", "invalid_field", "message", None),
                ("error", "missing_field", "channel", None),
                ("error", "not_subscribed", None, other_channel.pk),
                ("error", "not_found", None, channel.pk),
                ("error", "not_found", None, channel.pk),
            ]
            assert answers[-1]["detail"] == "Dit bericht bestaat niet."

    run(scenario)
    assert marker(official, channel) == 1


def test_a_member_whose_membership_ended_cannot_move_the_marker(channel, official, expert, events_at_once):
    message = MessageFactory(channel=channel, author=expert)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            # Removed without the membership.ended event reaching the socket (it was lost).
            await in_test_thread(Membership.objects.filter(user=official).update)(state=Membership.State.REMOVED)
            error = await anouk.request({"type": "read", "channel": channel.pk, "message": message.pk})
            assert (error["type"], error["code"]) == ("error", "not_found")

    run(scenario)
    assert marker(official, channel) == 0


# --- Changes made while a client was away ----------------------------------------------------


def test_edits_deletions_and_hides_made_while_away_are_sent_once_after_reconnecting(
    channel, official, expert, facilitator, commit
):
    edited, deleted, hidden, untouched, had_it = (MessageFactory(channel=channel, author=official) for _ in range(5))
    newest_seen = MessageFactory(channel=channel, author=expert)
    # Edited a minute before the page was rendered: the page already shows it.
    Message.objects.filter(pk=had_it.pk).update(edited_at=timezone.now() - timedelta(minutes=1))
    page_rendered = int(time.time() * 1000)

    async def scenario():
        async with sockets() as open_socket:
            before = await open_socket(official)
            reply = await before.request(
                {"type": "subscribe", "channel": channel.pk, "since": newest_seen.pk, "changes_since": page_rendered}
            )
            assert await before.nothing()  # `had_it` changed before the page was rendered
            await before.close()  # away

            await commit(services.message_edit, editor=official, message=edited, body="Bijgewerkt")
            await commit(services.message_delete, actor=official, message=deleted)
            await commit(services.message_hide, moderator=facilitator, message=hidden)
            newer = await commit(services.message_post, author=expert, channel=channel, body="Nieuw")

            back = await open_socket(official)
            await back.subscribe(channel.pk, since=newest_seen.pk, changes_since=reply["at"])
            frames = [await back.receive() for _ in range(4)]
            assert [(f["type"], f["message"]["id"]) for f in frames] == [
                ("message.created", newer.pk),
                ("message.edited", edited.pk),
                ("message.deleted", deleted.pk),
                ("message.deleted", hidden.pk),
            ]
            assert (frames[1]["message"]["html"], bool(frames[1]["message"]["edited"])) == ("<p>Bijgewerkt</p>", True)
            assert (frames[2]["message"]["deleted"], frames[3]["message"]["hidden"]) == (True, True)
            assert await back.nothing()  # `untouched` and `had_it` are not sent

    run(scenario)


def test_more_changes_than_the_limit_ask_for_a_resync(channel, official, monkeypatch, commit):
    monkeypatch.setattr("communities.consumers.CATCH_UP_LIMIT", 2)
    older = [MessageFactory(channel=channel, author=official) for _ in range(3)]
    newest_seen = MessageFactory(channel=channel, author=official)
    page_rendered = int(time.time() * 1000) - 60_000  # the page is a minute old

    async def scenario():
        for message in older:
            await commit(services.message_edit, editor=official, message=message, body="Anders")
        async with sockets() as open_socket:
            back = await open_socket(official)
            await back.subscribe(channel.pk, since=newest_seen.pk, changes_since=page_rendered)
            assert await back.receive() == {"type": "resync", "channel": channel.pk}
            assert await back.nothing()

    run(scenario)


def test_an_edit_lost_while_the_layer_was_down_is_sent_when_it_is_back(channel, official, commit):
    from unittest import mock

    from channels.layers import get_channel_layer

    from communities.events import channel_group
    from communities.layers import RESUMED_TYPE

    older = MessageFactory(channel=channel, author=official)
    newest_seen = MessageFactory(channel=channel, author=official)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk, since=newest_seen.pk, changes_since=int(time.time() * 1000))
            assert await anouk.nothing()  # the catch-up is done
            with mock.patch("communities.events.send_event_now"):  # its event is lost
                await commit(services.message_edit, editor=official, message=older, body="Tijdens de storing")
            assert await anouk.nothing()
            await get_channel_layer().group_send(channel_group(channel.pk), {"type": RESUMED_TYPE})
            frame = await anouk.receive()
            assert (frame["type"], frame["message"]["id"], frame["message"]["html"]) == (
                "message.edited",
                older.pk,
                "<p>Tijdens de storing</p>",
            )
            assert await anouk.nothing()

    run(scenario)


def test_changes_from_before_the_page_and_of_badge_only_channels_are_not_replayed(channel, official, commit):
    """A mass change (e.g. a deleted account's messages) must not make every page load resync."""
    older = [MessageFactory(channel=channel, author=official) for _ in range(3)]
    newest_seen = MessageFactory(channel=channel, author=official)

    async def scenario():
        for message in older:
            await commit(services.message_delete, actor=official, message=message)
        async with sockets() as open_socket:
            with_page = await open_socket(official)
            rendered_after_the_deletions = int(time.time() * 1000) + CHANGE_MARGIN_MS
            await with_page.subscribe(channel.pk, since=newest_seen.pk, changes_since=rendered_after_the_deletions)
            assert await with_page.nothing()
            badge_only = await open_socket(official)
            await badge_only.subscribe(channel.pk, since=newest_seen.pk)  # no changes_since
            assert await badge_only.nothing()

    import communities.consumers

    original = communities.consumers.CATCH_UP_LIMIT
    communities.consumers.CATCH_UP_LIMIT = 2  # three deletions would ask for a resync
    try:
        run(scenario)
    finally:
        communities.consumers.CATCH_UP_LIMIT = original


def test_changes_since_must_be_a_time_in_milliseconds(channel, official):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            for bad in ("gisteren", -1, 1.5, True):
                reply = await anouk.request({"type": "subscribe", "channel": channel.pk, "since": None, "changes_since": bad})
                assert reply["type"] == "error" and reply["code"] == "invalid_field", reply
                assert reply["field"] == "changes_since"
                assert "tijd in milliseconden" in reply["detail"]

    run(scenario)
