"""Driving LiveConsumer through the real ASGI stack (origin check, session auth) in unit tests."""

import json
import sys
import types

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

try:
    import daphne.testing  # noqa: F401
except ImportError:
    # channels.testing imports daphne only for ChannelsLiveServerTestCase, which we do not use
    # (real-server tests start uvicorn processes, tests/servers.py). daphne is not a
    # dependency, so give that one import a placeholder to reach WebsocketCommunicator.
    _stub = types.ModuleType("daphne.testing")
    _stub.DaphneProcess = None
    sys.modules.setdefault("daphne", types.ModuleType("daphne"))
    sys.modules["daphne.testing"] = _stub
from channels.testing import WebsocketCommunicator  # noqa: E402
from django.conf import settings
from django.test import Client

from communities.event_schema import validate_frame

from .asyncapi import validate_client_frame, validate_server_frame

ORIGIN = "http://127.0.0.1"


def run(scenario):
    """Run an async scenario from a sync test; its database calls come back to the test thread."""
    return async_to_sync(scenario)()


def login_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def in_test_thread(function):
    """Call sync code (services, factories) from a scenario, on the test's connection."""
    return database_sync_to_async(function)


class Socket:
    def __init__(self, session_key: str | None = None, origin: str = ORIGIN, path: str = "/ws/"):
        headers = [(b"host", b"127.0.0.1"), (b"origin", origin.encode())]
        if session_key:
            headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
        self.communicator = WebsocketCommunicator(_application(), path, headers=headers)
        self.connected = False

    @classmethod
    async def open(cls, user, **kwargs) -> "Socket":
        cookie = await in_test_thread(login_cookie)(user)
        socket = cls(cookie, **kwargs)
        accepted, code = await socket.connect()
        assert accepted, f"socket refused with {code}"
        return socket

    async def connect(self):
        accepted, code = await self.communicator.connect(timeout=5)
        self.connected = accepted
        return accepted, code

    async def send(self, frame) -> None:
        await self.communicator.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))

    async def send_bytes(self, data: bytes) -> None:
        await self.communicator.send_to(bytes_data=data)

    async def receive(self, timeout: float = 3) -> dict:
        """The next frame, checked against the protocol's schema and the AsyncAPI document."""
        frame = json.loads(await self.communicator.receive_from(timeout))
        validate_frame(frame)
        validate_server_frame(frame)
        return frame

    async def receive_close(self, timeout: float = 3) -> int:
        output = await self.communicator.receive_output(timeout)
        assert output["type"] == "websocket.close", output
        self.connected = False
        return output.get("code", 1000)

    async def request(self, frame) -> dict:
        await self.send(frame)
        return await self.receive()

    async def subscribe(self, channel_id: int, since: int | None = None, **changes_since) -> dict:
        """`changes_since=<ms>` as a page showing the channel sends it; the reply then has `at`."""
        frame = {"type": "subscribe", "channel": channel_id, "since": since, **changes_since}
        validate_client_frame(frame)
        reply = await self.request(frame)
        expected = {"type": "subscribed", "channel": channel_id}
        if changes_since:
            assert isinstance(reply.pop("at", None), int), reply
        assert reply == expected, reply
        return reply

    async def nothing(self, timeout: float = 0.15) -> bool:
        return await self.communicator.receive_nothing(timeout)

    async def close(self) -> None:
        if not self.communicator.future.done():
            await self.communicator.disconnect(timeout=3)
        self.connected = False


def _application():
    from config.asgi import application

    return application


class sockets:
    """`async with sockets() as open_socket:` — every socket opened is closed at the end."""

    async def __aenter__(self):
        self.opened = []

        async def open_socket(user=None, **kwargs) -> Socket:
            if user is None:
                socket = Socket(**kwargs)
            else:
                socket = await Socket.open(user, **kwargs)
            self.opened.append(socket)
            return socket

        return open_socket

    async def __aexit__(self, *exc_info):
        for socket in self.opened:
            await socket.close()
