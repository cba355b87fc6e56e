"""State that changes under a message a client already shows: reactions, the read marker,
and edits or removals made while the client was away.

Scenarios drive LiveConsumer through the real ASGI stack (tests/realtime/helpers.py); every
frame received is checked against communities.event_schema.
"""

from communities import services
from tests.factories import MembershipFactory, MessageFactory
from tests.realtime.helpers import run, sockets


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
