"""Two real ASGI server processes sharing PostgreSQL and Redis (scale-out lane only).

Messages are posted through one process's JSON API and arrive on sockets of the other; a
socket whose server died catches up with `since` after the restart and gets every message
exactly once.
"""

import re

import httpx
import pytest

from communities import services
from tests.factories import ChannelFactory, MembershipFactory, UserFactory
from tests.realtime.live_client import LiveClient, session_key_for
from tests.servers import free_port, server_env, start_asgi_server, stop_process, wait_for_port

pytestmark = [pytest.mark.scaleout, pytest.mark.crossprocess]


class Server:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = start_asgi_server(self.port, server_env())

    def ready(self):
        wait_for_port(self.port, 30, self.process)

    def stop(self):
        stop_process(self.process)


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    pair = [Server(), Server()]
    for server in pair:
        server.start()  # both boot at the same time
    try:
        for server in pair:
            server.ready()
        yield pair
    finally:
        for server in pair:
            server.stop()


@pytest.fixture
def circle_channel(transactional_db):
    channel = ChannelFactory(name="Algemeen")
    anouk = MembershipFactory(circle=channel.circle, user=UserFactory(profile__display_name="Anouk de Vries")).user
    bram = MembershipFactory(circle=channel.circle, user=UserFactory(profile__display_name="Bram Jansen")).user
    return channel, anouk, bram


class Api:
    """Posting as one member through one server's JSON API (a personal access token)."""

    def __init__(self, server, user, channel):
        _token, raw = services.access_token_create(user=user, name="cross-process test")
        self.server, self.channel = server, channel
        self.headers = {"Authorization": f"Bearer {raw}"}

    def post(self, body: str, parent: int | None = None) -> int:
        url = f"{self.server.url}/api/v1/circles/{self.channel.circle.slug}/channels/{self.channel.slug}/messages"
        response = httpx.post(url, json={"body": body, "parent": parent}, headers=self.headers, trust_env=False, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()["id"]


def test_sockets_on_two_processes_see_each_others_messages_and_typing_and_logout_closes_them(servers, circle_channel):
    channel, anouk, bram = circle_channel
    first, second = servers
    anouk_key = session_key_for(anouk)
    with LiveClient(first.url, anouk_key) as on_first, LiveClient(second.url, session_key_for(bram)) as on_second:
        on_first.subscribe(channel.pk)
        on_second.subscribe(channel.pk)

        # Typing goes from the consumer in one process to the consumer in the other.
        on_first.send({"type": "typing", "channel": channel.pk})
        assert on_second.receive() == {
            "type": "typing",
            "channel": channel.pk,
            "user": {"id": anouk.pk, "name": "Anouk de Vries"},
        }

        message_id = Api(first, anouk, channel).post("Hallo van proces **één**")
        for socket in (on_first, on_second):
            frame = socket.receive()
            assert (frame["type"], frame["message"]["id"]) == ("message.created", message_id)
            assert frame["message"]["html"] == "<p>Hallo van proces <strong>één</strong></p>"
        assert on_first.nothing() and on_second.nothing()

        # Logging out through the other process closes this session's socket.
        log_out(second.url, anouk_key)
        assert on_first.receive()["type"] == "session.ended"
        assert on_first.closed()
        assert on_second.nothing()


def log_out(base_url: str, session_key: str) -> None:
    with httpx.Client(base_url=base_url, cookies={"sessionid": session_key}, trust_env=False) as http:
        page = http.get("/accounts/logout/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = http.post("/accounts/logout/", data={"csrfmiddlewaretoken": token}, headers={"Origin": base_url})
        assert response.status_code == 302, response.status_code


def test_socket_of_a_restarted_server_catches_up_with_since_exactly_once(servers, circle_channel):
    channel, anouk, bram = circle_channel
    first, second = servers
    anouk_key, bram_key = session_key_for(anouk), session_key_for(bram)
    api = Api(first, anouk, channel)
    with LiveClient(first.url, anouk_key) as on_first:
        on_first.subscribe(channel.pk)
        with LiveClient(second.url, bram_key) as on_second:
            on_second.subscribe(channel.pk)
            before = api.post("Voor de storing")
            assert on_second.receive()["message"]["id"] == before
            assert on_first.receive()["message"]["id"] == before
            last_seen = before

            second.stop()
            assert on_second.closed()

        second.start()
        during = [api.post(f"Tijdens de storing {n}", parent=before) for n in range(5)]
        second.ready()

        with LiveClient(second.url, bram_key) as on_second:
            on_second.subscribe(channel.pk, since=last_seen)
            after = api.post("Na de storing")
            received = [on_second.receive()["message"]["id"] for _ in range(len(during) + 1)]
            assert received == during + [after]
            assert on_second.nothing()

        assert [on_first.receive()["message"]["id"] for _ in range(len(during) + 1)] == during + [after]
        assert on_first.nothing()
