"""A real WebSocket client (the `websockets` library) for tests against real server processes."""

import json

from django.conf import settings
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from communities.event_schema import validate_frame

from .asyncapi import validate_server_frame


def session_key_for(user) -> str:
    """Log `user` in (a committed session row) and return the session cookie's value."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class LiveClient:
    def __init__(self, base_url: str, session_key: str):
        connection = connect(
            base_url.replace("http://", "ws://") + "/ws/",
            origin=base_url,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"},
            proxy=None,  # loopback only, whatever the environment says
            open_timeout=10,
            close_timeout=2,
        )
        self.socket = connection.__enter__()  # LiveClient is the context manager around it

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def send(self, frame: dict) -> None:
        self.socket.send(json.dumps(frame))

    def receive(self, timeout: float = 5) -> dict:
        frame = json.loads(self.socket.recv(timeout))
        validate_frame(frame)
        validate_server_frame(frame)
        return frame

    def subscribe(self, channel_id: int, since: int | None = None) -> None:
        self.send({"type": "subscribe", "channel": channel_id, "since": since})
        assert self.receive() == {"type": "subscribed", "channel": channel_id}

    def nothing(self, timeout: float = 0.3) -> bool:
        try:
            frame = self.socket.recv(timeout)
        except TimeoutError:
            return True
        raise AssertionError(f"expected nothing, got {frame}")

    def closed(self, timeout: float = 5) -> bool:
        try:
            while True:
                self.socket.recv(timeout)
        except ConnectionClosed:
            return True

    def close(self) -> None:
        self.socket.close()
