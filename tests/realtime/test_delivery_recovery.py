"""Exactly-once delivery when the layer misbehaves (found by bench/loadfault.py):

- broadcasts from two processes can reach a socket out of id order;
- after Redis restarts, events published while a process was not subscribed are gone, while
  the browsers' sockets stay open (communities.layers announces "resumed"; the consumer
  catches up from the database).
"""

import asyncio
import shutil

import pytest
from channels.layers import get_channel_layer

from communities.events import EVENT_HANDLER_TYPE, channel_group
from communities.layers import RESUMED_TYPE
from communities.payloads import message_payload
from tests.factories import MessageFactory
from tests.realtime.helpers import in_test_thread, run, sockets


async def broadcast(message):
    """What services.message_post sends after its commit, for a message made by a factory."""
    event = {"type": "message.created", "channel": message.channel_id, "message": message_payload(message)}
    await get_channel_layer().group_send(
        channel_group(message.channel_id), {"type": EVENT_HANDLER_TYPE, "event": event}
    )


def new_message(channel, author, text):
    return in_test_thread(lambda: MessageFactory(channel=channel, author=author, body_html=f"<p>{text}</p>"))()


def test_an_earlier_message_that_arrives_after_a_later_one_is_still_delivered_once(channel, official):
    async def scenario():
        async with sockets() as open_socket:
            socket = await open_socket(official)
            await socket.subscribe(channel.pk, since=None)
            first = await new_message(channel, official, "eerste")
            second = await new_message(channel, official, "tweede")

            await broadcast(second)  # the other process published first
            await broadcast(first)
            await broadcast(second)  # and nothing twice
            received = [(await socket.receive())["message"]["id"] for _ in range(2)]
            assert received == [second.pk, first.pk]
            assert await socket.nothing()

    run(scenario)


def test_when_the_layer_is_back_the_socket_gets_what_was_committed_meanwhile_once(channel, official):
    async def scenario():
        async with sockets() as open_socket:
            socket = await open_socket(official)
            before = await new_message(channel, official, "al gezien")
            await socket.subscribe(channel.pk, since=before.pk)
            delivered = await new_message(channel, official, "kwam live aan")
            await broadcast(delivered)
            assert (await socket.receive())["message"]["id"] == delivered.pk

            lost = await new_message(channel, official, "tijdens de herstart")  # its event never came
            later = await new_message(channel, official, "ook gemist")
            await get_channel_layer().group_send(channel_group(channel.pk), {"type": RESUMED_TYPE})
            caught_up = [await socket.receive() for _ in range(2)]
            assert [frame["message"]["id"] for frame in caught_up] == [lost.pk, later.pk]
            assert caught_up[0]["message"]["html"] == "<p>tijdens de herstart</p>"

            await broadcast(later)  # a late live copy of a caught-up message is dropped
            assert await socket.nothing()

    run(scenario)


def test_without_since_the_catch_up_after_a_restart_starts_at_the_subscription(channel, official):
    async def scenario():
        async with sockets() as open_socket:
            await new_message(channel, official, "van voor het abonnement")
            socket = await open_socket(official)
            await socket.subscribe(channel.pk, since=None)
            lost = await new_message(channel, official, "tijdens de herstart")
            await get_channel_layer().group_send(channel_group(channel.pk), {"type": RESUMED_TYPE})
            assert (await socket.receive())["message"]["id"] == lost.pk
            assert await socket.nothing()

    run(scenario)


@pytest.mark.scaleout
def test_the_layer_announces_that_redis_is_back_to_every_consumer_of_the_process():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    from bench.loadfault import PrivateRedis
    from communities.layers import ResumingPubSubChannelLayer

    redis = PrivateRedis()
    redis.start()

    async def scenario():
        layer = ResumingPubSubChannelLayer(hosts=[redis.url])
        first, second = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("kanaal", first)
        await layer.group_send("kanaal", {"type": "probe"})
        assert await asyncio.wait_for(layer.receive(first), 5) == {"type": "probe"}

        await asyncio.to_thread(redis.restart)
        # Both consumers hear it once the subscriber connection is back (with its subscriptions).
        for channel in (first, second):
            assert await asyncio.wait_for(layer.receive(channel), 10) == {"type": RESUMED_TYPE}
        await layer.flush()

    try:
        asyncio.run(scenario())
    finally:
        redis.stop()
