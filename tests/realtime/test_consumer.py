"""LiveConsumer through the real ASGI stack: session auth, origin check, every frame type.

Each test is a scenario run from a sync test (helpers.run), so that the consumer's queries
see the test's data inside its transaction. Every frame a socket receives is checked
against communities.event_schema (helpers.Socket.receive).
"""

import logging

import pytest

from communities import services
from communities.events import channel_group, send_event_on_commit, user_group
from communities.models import Membership, Message
from tests.factories import ChannelFactory, MessageFactory
from tests.realtime.helpers import Socket, in_test_thread, login_cookie, run, sockets


def test_anonymous_socket_is_refused(live_db):
    async def scenario():
        socket = Socket()
        accepted, code = await socket.connect()
        await socket.close()
        assert (accepted, code) == (False, 4401)

    run(scenario)


@pytest.mark.parametrize("path", ["/ws-other/", "/ws/x/", "/", "/ws"])
def test_a_socket_to_an_unknown_path_is_refused_at_the_handshake_without_an_error(official, path, caplog):
    async def scenario():
        socket = Socket(await in_test_thread(login_cookie)(official), path=path)
        accepted, _ = await socket.connect()
        await socket.close()
        assert not accepted

    run(scenario)
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_socket_from_another_origin_is_refused(official):
    async def scenario():
        socket = Socket(await in_test_thread(login_cookie)(official), origin="https://evil.example")
        accepted, _ = await socket.connect()
        await socket.close()
        assert not accepted

    run(scenario)


def test_members_see_new_edited_deleted_and_hidden_messages_live(channel, official, expert, facilitator, commit):
    async def scenario():
        async with sockets() as open_socket:
            anouk, bram = await open_socket(official), await open_socket(expert)
            await anouk.subscribe(channel.pk)
            await bram.subscribe(channel.pk)

            root = await commit(services.message_post, author=official, channel=channel, body="Wie kent de **U10**?")
            reply = await commit(services.message_post, author=expert, channel=channel, body="Ik", parent=root)
            for socket in (anouk, bram):
                created = await socket.receive()
                assert created["type"] == "message.created"
                assert created["message"]["html"] == "<p>Wie kent de <strong>U10</strong>?</p>"
                assert created["message"]["author"] == {"id": official.pk, "name": "Anouk de Vries"}
                answer = await socket.receive()
                assert (answer["message"]["id"], answer["message"]["parent"], answer["message"]["thread"]) == (
                    reply.pk,
                    root.pk,
                    root.pk,
                )
            told = await anouk.receive()  # Bram replied to Anouk: her notification, with her unread count
            assert (told["type"], told["notification"]["kind"], told["unread"]) == ("notification", "reply", 1)

            await commit(services.message_edit, editor=expert, message=reply, body="Ik, in Delft")
            edited = await anouk.receive()
            assert edited["type"] == "message.edited"
            assert edited["message"]["html"] == "<p>Ik, in Delft</p>" and edited["message"]["edited"]

            await commit(services.message_delete, actor=expert, message=reply)
            deleted = await anouk.receive()
            assert deleted["type"] == "message.deleted"
            assert (deleted["message"]["id"], deleted["message"]["deleted"], deleted["message"]["html"]) == (reply.pk, True, "")

            assert [(await bram.receive())["type"] for _ in range(2)] == ["message.edited", "message.deleted"]
            await commit(services.message_hide, moderator=facilitator, message=root)
            assert (await anouk.receive())["message"]["hidden"]
            hidden = await bram.receive()
            assert hidden["type"] == "message.deleted"
            assert (hidden["message"]["id"], hidden["message"]["hidden"]) == (root.pk, True)

    run(scenario)


def test_subscribe_with_since_sends_what_was_missed_oldest_first_and_nothing_twice(channel, official, commit):
    seen = MessageFactory(channel=channel, author=official)
    missed = [MessageFactory(channel=channel, author=official, body_html=f"<p>{n}</p>") for n in range(3)]

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk, since=seen.pk)
            caught_up = [await anouk.receive() for _ in missed]
            assert [frame["message"]["id"] for frame in caught_up] == [m.pk for m in missed]
            assert {frame["type"] for frame in caught_up} == {"message.created"}
            assert await anouk.nothing()

            # The broadcast of a message the catch-up already sent (it committed while the
            # socket was subscribing) is not sent again; a newer one is.
            await in_test_thread(_rebroadcast)(missed[-1])
            assert await anouk.nothing()
            newer = await commit(services.message_post, author=official, channel=channel, body="Nieuw")
            assert (await anouk.receive())["message"]["id"] == newer.pk

    run(scenario)


def _rebroadcast(message):
    from communities.events import send_event_now
    from communities.payloads import message_payload

    send_event_now(
        channel_group(message.channel_id),
        {"type": "message.created", "channel": message.channel_id, "message": message_payload(message)},
    )


def test_catch_up_includes_removed_messages_as_removed(channel, official, commit):
    before = MessageFactory(channel=channel, author=official)
    gone = MessageFactory(channel=channel, author=official)
    services.message_delete(actor=official, message=gone)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk, since=before.pk)
            frame = await anouk.receive()
            assert (frame["message"]["id"], frame["message"]["deleted"], frame["message"]["html"]) == (gone.pk, True, "")

    run(scenario)


@pytest.mark.parametrize(("missing", "expect_resync"), [(3, False), (4, True)])
def test_more_missing_than_the_limit_asks_for_a_resync(channel, official, monkeypatch, missing, expect_resync):
    monkeypatch.setattr("communities.consumers.CATCH_UP_LIMIT", 3)
    first = MessageFactory(channel=channel, author=official)
    MessageFactory.create_batch(missing, channel=channel, author=official)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk, since=first.pk)
            if expect_resync:
                assert await anouk.receive() == {"type": "resync", "channel": channel.pk}
            else:
                assert [(await anouk.receive())["type"] for _ in range(missing)] == ["message.created"] * missing
            assert await anouk.nothing()

    run(scenario)


def test_resync_at_the_real_limit_of_500(channel, official):
    Message.objects.bulk_create(
        Message(channel=channel, author=official, body_source="x", body_html="<p>x</p>") for _ in range(501)
    )

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk, since=0)
            assert await anouk.receive() == {"type": "resync", "channel": channel.pk}
            assert await anouk.nothing()

    run(scenario)


def test_channel_the_user_may_not_see_answers_like_one_that_does_not_exist(channel, outsider, official, commit):
    removed = Membership.objects.create(user=outsider, circle=ChannelFactory().circle, state=Membership.State.REMOVED)
    closed_channel = ChannelFactory(circle=removed.circle)

    async def scenario():
        async with sockets() as open_socket:
            otto = await open_socket(outsider)
            answers = []
            for channel_id in (channel.pk, closed_channel.pk, 999_999_999):
                answer = await otto.request({"type": "subscribe", "channel": channel_id, "since": None})
                answers.append(answer)
            assert {(a["type"], a["code"], a["detail"]) for a in answers} == {
                ("error", "not_found", "Dit kanaal bestaat niet.")
            }
            await commit(services.message_post, author=official, channel=channel, body="Alleen voor leden")
            assert await otto.nothing()

    run(scenario)


BAD_FRAMES = [
    ("{not json", "not_json", None),
    ("[1, 2]", "invalid_frame", None),
    ('"subscribe"', "invalid_frame", None),
    ('{"channel": 1}', "missing_field", "type"),
    ('{"type": "shout"}', "unknown_type", None),
    ('{"type": 7}', "unknown_type", None),
    ('{"type": "subscribe"}', "missing_field", "channel"),
    ('{"type": "subscribe", "channel": "12"}', "invalid_field", "channel"),
    ('{"type": "subscribe", "channel": true}', "invalid_field", "channel"),
    ('{"type": "subscribe", "channel": -3}', "invalid_field", "channel"),
    ('{"type": "subscribe", "channel": 1.5}', "invalid_field", "channel"),
    ('{"type": "subscribe", "channel": 1, "since": "gisteren"}', "invalid_field", "since"),
    ('{"type": "subscribe_case"}', "missing_field", "case"),
    ('{"type": "unsubscribe"}', "missing_field", "channel"),
    ('{"type": "typing", "channel": null}', "invalid_field", "channel"),
    ('{"type": "subscribe", "channel": 1, "pad": "' + "x" * 5000 + '"}', "too_large", None),
    ("[" * 4000 + "]" * 4000, "too_large", None),
    ("[" * 2000 + "]" * 2000, "not_json", None),  # nested deeper than the JSON parser goes
]


def test_every_bad_frame_gets_its_error_and_the_socket_keeps_its_subscriptions(channel, official, commit):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            for raw, code, field in BAD_FRAMES:
                error = await anouk.request(raw)
                assert (error["type"], error["code"], error.get("field")) == ("error", code, field), raw
                assert error["detail"]
            await anouk.send_bytes(b"\x00\x01")
            assert (await anouk.receive())["code"] == "not_json"

            message = await commit(services.message_post, author=official, channel=channel, body="Nog steeds hier")
            assert (await anouk.receive())["message"]["id"] == message.pk

    run(scenario)


def test_error_details_are_dutch_and_name_the_field(channel, official):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            assert (await anouk.request("{not json"))["detail"] == "Dit bericht is geen geldige JSON."
            missing = await anouk.request({"type": "subscribe"})
            assert missing["detail"] == "Het veld ‘channel’ ontbreekt."
            wrong = await anouk.request({"type": "subscribe", "channel": "abc"})
            assert wrong["detail"] == "Het veld ‘channel’ moet een positief geheel getal zijn."

    run(scenario)


def test_error_details_follow_the_members_language(channel, official):
    official.profile.language = "en"
    official.profile.save()

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            error = await anouk.request({"type": "subscribe", "channel": 999_999_999})
            assert error["detail"] == "This channel does not exist."

    run(scenario)


def test_unsubscribing_a_channel_that_is_not_subscribed_is_an_error(channel, official):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            for never in (channel.pk, 999):
                error = await anouk.request({"type": "unsubscribe", "channel": never})
                assert (error["type"], error["code"], error["channel"]) == ("error", "not_subscribed", never)
            await anouk.subscribe(channel.pk)
            assert await anouk.request({"type": "unsubscribe", "channel": channel.pk}) == {
                "type": "unsubscribed", "channel": channel.pk}
            again = await anouk.request({"type": "unsubscribe", "channel": channel.pk})
            assert (again["code"], again["detail"]) == (
                "not_subscribed", "Dit kanaal is op deze verbinding niet geabonneerd.")

    run(scenario)


def test_frame_rate_is_limited_per_connection_without_closing_it(channel, official, monkeypatch, commit):
    monkeypatch.setattr("communities.consumers.FRAME_BURST", 3)
    monkeypatch.setattr("communities.consumers.FRAME_RATE", 0.01)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            for _ in range(2):
                assert (await anouk.request({"type": "unsubscribe", "channel": 999}))["code"] == "not_subscribed"
            for _ in range(5):
                await anouk.send({"type": "subscribe", "channel": channel.pk})
            limited = await anouk.receive()
            assert (limited["code"], limited["detail"]) == ("rate_limited", "Je stuurt te veel verzoeken. Wacht even.")
            assert await anouk.nothing()  # one error per second at most, the rest is dropped

            # The subscription made before the flood still delivers.
            message = await commit(services.message_post, author=official, channel=channel, body="Hallo")
            assert (await anouk.receive())["message"]["id"] == message.pk

    run(scenario)


def test_unsubscribe_stops_delivery(channel, official, commit):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            assert await anouk.request({"type": "unsubscribe", "channel": channel.pk}) == {
                "type": "unsubscribed",
                "channel": channel.pk,
            }
            await commit(services.message_post, author=official, channel=channel, body="Niet meer voor jou")
            assert await anouk.nothing()

    run(scenario)


def test_typing_reaches_the_others_with_a_name_is_throttled_and_never_echoed(channel, official, expert, monkeypatch):
    async def scenario():
        async with sockets() as open_socket:
            anouk, anouk_other_tab, bram = await open_socket(official), await open_socket(official), await open_socket(expert)
            for socket in (anouk, anouk_other_tab, bram):
                await socket.subscribe(channel.pk)
            await anouk.send({"type": "typing", "channel": channel.pk})
            assert await bram.receive() == {
                "type": "typing",
                "channel": channel.pk,
                "user": {"id": official.pk, "name": "Anouk de Vries"},
            }
            await anouk.send({"type": "typing", "channel": channel.pk})  # within the interval: dropped
            assert await bram.nothing()
            assert await anouk.nothing() and await anouk_other_tab.nothing()

            monkeypatch.setattr("communities.consumers.TYPING_INTERVAL", 0)
            await anouk.send({"type": "typing", "channel": channel.pk})
            assert (await bram.receive())["type"] == "typing"

    run(scenario)


def test_typing_needs_a_subscription(channel, official):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            error = await anouk.request({"type": "typing", "channel": channel.pk})
            assert (error["code"], error["channel"]) == ("not_subscribed", channel.pk)

    run(scenario)


def test_subscriptions_per_connection_are_limited(channel, official, monkeypatch):
    monkeypatch.setattr("communities.consumers.MAX_SUBSCRIPTIONS", 1)
    second = ChannelFactory(circle=channel.circle)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            await anouk.subscribe(channel.pk)  # the same channel again is fine
            error = await anouk.request({"type": "subscribe", "channel": second.pk})
            assert error["code"] == "too_many_subscriptions"

    run(scenario)


def test_removed_member_is_unsubscribed_at_once_and_receives_nothing_more(channel, official, expert, facilitator, commit):
    other_circle_channel = ChannelFactory()
    Membership.objects.create(user=official, circle=other_circle_channel.circle, state=Membership.State.ACTIVE)
    membership = Membership.objects.get(user=official, circle=channel.circle)

    async def scenario():
        async with sockets() as open_socket:
            anouk, bram = await open_socket(official), await open_socket(expert)
            await anouk.subscribe(channel.pk)
            await anouk.subscribe(other_circle_channel.pk)
            await bram.subscribe(channel.pk)

            await commit(services.membership_remove, facilitator=facilitator, membership=membership)
            assert await anouk.receive() == {
                "type": "subscription.ended",
                "channel": channel.pk,
                "reason": "membership_ended",
                "detail": "Je bent geen lid meer van deze leerkring.",
            }
            await commit(services.message_post, author=expert, channel=channel, body="Na het vertrek")
            assert (await bram.receive())["type"] == "message.created"
            assert await anouk.nothing()
            again = await anouk.request({"type": "subscribe", "channel": channel.pk})
            assert again["code"] == "not_found"

            # Subscriptions to channels of other circles are untouched.
            await commit(services.message_post, author=official, channel=other_circle_channel, body="Elders")
            assert (await anouk.receive())["channel"] == other_circle_channel.pk

    run(scenario)


def test_leaving_a_circle_ends_its_subscriptions_on_every_tab(channel, official, commit):
    async def scenario():
        async with sockets() as open_socket:
            tabs = [await open_socket(official), await open_socket(official)]
            for tab in tabs:
                await tab.subscribe(channel.pk)
            await commit(services.circle_leave, user=official, circle=channel.circle)
            for tab in tabs:
                ended = await tab.receive()
                assert (ended["type"], ended["channel"], ended["reason"]) == ("subscription.ended", channel.pk, "membership_ended")

    run(scenario)


def _remove_silently(user, circle):
    """A removal whose membership.ended event the layer lost."""
    Membership.objects.filter(user=user, circle=circle).update(state=Membership.State.REMOVED)


def test_removed_member_receives_nothing_even_when_the_removal_event_is_lost(channel, official, expert, monkeypatch, commit):
    # The consumer re-checks access before delivering once its last check is older than
    # REVALIDATE_AFTER; zero makes that "every delivery" instead of waiting half a minute.
    monkeypatch.setattr("communities.consumers.REVALIDATE_AFTER", 0)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            await commit(_remove_silently, user=official, circle=channel.circle)
            await commit(services.message_post, author=expert, channel=channel, body="Na het vertrek")
            ended = await anouk.receive()
            assert (ended["type"], ended["reason"]) == ("subscription.ended", "access_lost")
            assert await anouk.nothing()

    run(scenario)


def test_locked_channel_is_announced_to_subscribers(channel, official, facilitator, commit):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            await commit(services.channel_update, facilitator=facilitator, channel=channel, locked=True)
            assert await anouk.receive() == {
                "type": "channel.updated",
                "channel": channel.pk,
                "locked": True,
                "archived": False,
                "name": "Algemeen",
            }

    run(scenario)


def test_notifications_reach_every_socket_of_that_user(official, expert, commit):
    event = {"type": "notification", "id": 5, "text": "Bram reageerde op je casus"}

    async def scenario():
        async with sockets() as open_socket:
            anouk, anouk_other_tab, bram = await open_socket(official), await open_socket(official), await open_socket(expert)
            await commit(send_event_on_commit, group=user_group(official.pk), event=event)
            assert await anouk.receive() == event
            assert await anouk_other_tab.receive() == event
            assert await bram.nothing()

    run(scenario)


def test_logout_closes_the_sockets_of_that_session_only(channel, official, commit):
    from django.test import Client

    browser, phone = Client(), Client()
    browser.force_login(official)
    phone.force_login(official)

    async def scenario():
        async with sockets() as open_socket:
            tab = await open_socket(session_key=browser.session.session_key)
            assert (await tab.connect())[0]
            on_phone = await open_socket(session_key=phone.session.session_key)
            assert (await on_phone.connect())[0]
            await commit(browser.post, path="/accounts/logout/")
            assert await tab.receive() == {
                "type": "session.ended",
                "detail": "Je bent uitgelogd. Log opnieuw in om verder te gaan.",
            }
            assert await tab.receive_close() == 4401
            await on_phone.subscribe(channel.pk)

    run(scenario)


def test_ending_a_session_from_another_device_closes_its_sockets(official, commit):
    from allauth.usersessions.models import UserSession
    from django.test import Client

    phone = Client()
    phone.force_login(official)
    key = phone.session.session_key

    async def scenario():
        async with sockets() as open_socket:
            on_phone = await open_socket(session_key=key)
            assert (await on_phone.connect())[0]
            await commit(_end_user_session, session_key=key, user=official)
            assert (await on_phone.receive())["type"] == "session.ended"
            assert await on_phone.receive_close() == 4401

    run(scenario)

    assert not UserSession.objects.filter(session_key=key).exists()


def _end_user_session(*, session_key, user):
    """allauth's "sign out other sessions" (usersessions adapter.end_sessions) does this."""
    from allauth.usersessions.models import UserSession

    session, _ = UserSession.objects.get_or_create(
        session_key=session_key, defaults={"user": user, "ip": "127.0.0.1", "user_agent": "test"}
    )
    session.end()


def test_a_session_that_no_longer_logs_in_is_closed_on_the_next_delivery(channel, official, expert, monkeypatch, commit):
    from django.contrib.sessions.models import Session

    monkeypatch.setattr("communities.consumers.REVALIDATE_AFTER", 0)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            await in_test_thread(Session.objects.all().delete)()  # expired or ended without any event
            await commit(services.message_post, author=expert, channel=channel, body="Voor niemand")
            assert (await anouk.receive())["type"] == "session.ended"
            assert await anouk.receive_close() == 4401

    run(scenario)


def test_a_malformed_event_is_dropped_without_closing_the_socket(channel, official, commit):
    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            broken = {"type": "typing", "channel": channel.pk}  # no user
            await commit(send_event_on_commit, group=channel_group(channel.pk), event=broken)
            message = await commit(services.message_post, author=official, channel=channel, body="Nog steeds hier")
            assert (await anouk.receive())["message"]["id"] == message.pk

    run(scenario)


def test_catch_up_costs_the_same_queries_for_5_and_100_missed_messages(channel, official, expert):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def catch_up_queries(missing: int) -> int:
        first = MessageFactory(channel=channel, author=official)
        root = MessageFactory(channel=channel, author=expert)
        for n in range(missing - 1):
            MessageFactory(channel=channel, author=(official, expert)[n % 2], parent=root, thread=root, depth=1)

        async def scenario():
            async with sockets() as open_socket:
                anouk = await open_socket(official)
                await anouk.subscribe(channel.pk, since=first.pk)
                frames = [await anouk.receive() for _ in range(missing)]
                assert frames[-1]["message"]["author"]["name"] in {"Anouk de Vries", "Bram Jansen"}

        with CaptureQueriesContext(connection) as queries:  # connecting, subscribing, catching up
            run(scenario)
        return len(queries)

    assert catch_up_queries(5) == catch_up_queries(100)
