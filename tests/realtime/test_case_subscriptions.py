"""subscribe_case against the casework contract: casework.models.Case (with circle_id) and
casework.permissions.can_read_case(user, case).

Casework is built in its own issue; until it lands these tests stand in a small fake that
honours that contract, and one test shows the error frame when casework is not there.
"""

import sys
import types
from types import SimpleNamespace

import pytest

from communities import services
from communities.events import case_group, send_event_on_commit
from communities.models import Membership
from tests.realtime.helpers import run, sockets


class FakeCases:
    def __init__(self):
        self.rows = {}

    def filter(self, pk):
        return SimpleNamespace(first=lambda: self.rows.get(pk))


@pytest.fixture
def cases(monkeypatch):
    """A stand-in for casework: readers per case; members of the circle may read."""
    import casework
    import casework.models

    manager = FakeCases()
    monkeypatch.setattr(casework.models, "Case", SimpleNamespace(objects=manager), raising=False)
    permissions = types.ModuleType("casework.permissions")

    def can_read_case(user, case):
        member = Membership.objects.filter(user=user, circle_id=case.circle_id, state="active").exists()
        return member or user.pk in case.guests

    permissions.can_read_case = can_read_case
    monkeypatch.setitem(sys.modules, "casework.permissions", permissions)
    monkeypatch.setattr(casework, "permissions", permissions, raising=False)

    def add(pk, circle, guests=()):
        manager.rows[pk] = SimpleNamespace(pk=pk, circle_id=circle.pk, guests=set(guests))
        return pk

    return add


def test_without_casework_subscribe_case_answers_unavailable(official, monkeypatch):
    monkeypatch.setitem(sys.modules, "casework.permissions", None)  # import fails

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            error = await anouk.request({"type": "subscribe_case", "case": 4})
            assert (error["code"], error["case"], error["detail"]) == ("unavailable", 4, "Casussen zijn nog niet beschikbaar.")

    run(scenario)


def test_case_events_reach_its_readers_only(channel, official, outsider, cases, commit):
    case = cases(41, channel.circle)
    updated = {"type": "case.updated", "case": case, "phase": "advice"}
    feedback = {"type": "feedback.created", "case": case, "feedback": {"id": 3, "kind": "expert"}}

    async def scenario():
        async with sockets() as open_socket:
            anouk, otto = await open_socket(official), await open_socket(outsider)
            assert await anouk.request({"type": "subscribe_case", "case": case}) == {"type": "subscribed", "case": case}
            for case_id in (case, 999):
                error = await otto.request({"type": "subscribe_case", "case": case_id})
                assert (error["code"], error["detail"]) == ("not_found", "Deze casus bestaat niet.")
            await commit(send_event_on_commit, group=case_group(case), event=updated)
            await commit(send_event_on_commit, group=case_group(case), event=feedback)
            assert await anouk.receive() == updated
            assert await anouk.receive() == feedback
            assert await otto.nothing()

            assert await anouk.request({"type": "unsubscribe", "case": case}) == {"type": "unsubscribed", "case": case}
            await commit(send_event_on_commit, group=case_group(case), event=updated)
            assert await anouk.nothing()
            again = await anouk.request({"type": "unsubscribe", "case": case})
            assert (again["code"], again["case"], again["detail"]) == (
                "not_subscribed", case, "Deze casus is op deze verbinding niet geabonneerd.")

    run(scenario)


def test_removal_ends_case_subscriptions_unless_the_user_is_a_guest_of_that_case(
    channel, official, facilitator, cases, commit
):
    own_case = cases(51, channel.circle)
    guest_case = cases(52, channel.circle, guests=[official.pk])

    membership = Membership.objects.get(user=official, circle=channel.circle)

    async def scenario():
        async with sockets() as open_socket:
            anouk = await open_socket(official)
            await anouk.subscribe(channel.pk)
            for case in (own_case, guest_case):
                assert (await anouk.request({"type": "subscribe_case", "case": case}))["type"] == "subscribed"
            await commit(services.membership_remove, facilitator=facilitator, membership=membership)
            ended = [await anouk.receive() for _ in range(2)]
            assert {(f.get("channel"), f.get("case"), f["reason"]) for f in ended} == {
                (channel.pk, None, "membership_ended"),
                (None, own_case, "access_lost"),
            }
            event = {"type": "case.updated", "case": guest_case, "phase": "reflection"}
            await commit(send_event_on_commit, group=case_group(guest_case), event=event)
            assert await anouk.receive() == event

    run(scenario)
