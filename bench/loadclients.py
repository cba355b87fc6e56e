"""WebSocket clients of the load and fault runs (bench/loadfault.py), in processes of their own.

No Django here: a fleet process only speaks the /ws/ protocol of DESIGN.md. Each client is one
member's browser tab on one channel. It behaves like static/js/live.js: on a lost connection it
reconnects with exponential backoff and jitter, to the other server first (as a load balancer
would send it to a process that is up), and subscribes again with `since` = the newest
message it holds. It records every `message.created` it receives, with the arrival time on
CLOCK_MONOTONIC (time.monotonic(), shared by all processes of the machine), so the
orchestrator can compare what each client holds with the database afterwards.

Bounded: the fleet runs until the orchestrator's drain target is met or its drain time is
over, and never past `deadline`; every network wait has a timeout; loopback only.
"""

import asyncio
import json
import random
import time

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

OPEN_TIMEOUT = 5.0
BACKOFF_FIRST = 0.1  # seconds; live.js starts at 0.5 s, the run wants recovery within its window
BACKOFF_MAX = 2.0


class Client:
    def __init__(self, number: int, session_key: str, channel: int, since: int, servers: list[str]):
        self.number = number
        self.session_key = session_key
        self.channel = channel
        self.since = since  # the newest message id this client holds (or the start mark)
        self.servers = servers
        self.server = number % len(servers)
        self.received: list[tuple[int, float]] = []  # (message id, arrival)
        self.connects = 0
        self.subscribed_at: list[float] = []
        self.drops: list[tuple[float, str]] = []  # (when, why) the connection was lost
        self.errors: list[dict] = []  # error frames
        self.resyncs = 0
        self.ready = asyncio.Event()

    async def run(self, stopping: asyncio.Event):
        attempt = 0
        while not stopping.is_set():
            base = self.servers[self.server]
            try:
                async with connect(
                    base.replace("http://", "ws://") + "/ws/",
                    origin=base,
                    additional_headers={"Cookie": f"sessionid={self.session_key}"},
                    open_timeout=OPEN_TIMEOUT,
                    proxy=None,
                    max_queue=None,
                    compression=None,
                    ping_interval=None,  # browsers answer the server's pings but send none
                ) as socket:
                    self.connects += 1
                    await socket.send(json.dumps({"type": "subscribe", "channel": self.channel, "since": self.since}))
                    await self._read(socket, stopping)
                    if stopping.is_set():
                        await socket.close()
                        return
                    self.drops.append((time.monotonic(), "closed by server"))
            except (ConnectionClosed, InvalidHandshake, OSError, asyncio.TimeoutError) as error:
                if stopping.is_set():
                    return
                self.drops.append((time.monotonic(), f"{type(error).__name__}: {error}"[:100]))
            # Reconnect: the other server first, then alternate, with backoff and jitter.
            self.server = (self.server + 1) % len(self.servers)
            delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2**attempt) * random.uniform(0.5, 1.0)
            attempt = min(attempt + 1, 10)
            try:
                await asyncio.wait_for(stopping.wait(), delay)
            except asyncio.TimeoutError:
                pass

    async def _read(self, socket, stopping: asyncio.Event):
        stop = asyncio.ensure_future(stopping.wait())
        try:
            while True:
                receive = asyncio.ensure_future(socket.recv())
                done, _ = await asyncio.wait({receive, stop}, return_when=asyncio.FIRST_COMPLETED)
                if receive not in done:
                    receive.cancel()
                    return
                raw = receive.result()  # raises ConnectionClosed when the server went away
                when = time.monotonic()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message.created":
                    message_id = frame["message"]["id"]
                    self.received.append((message_id, when))
                    self.since = max(self.since, message_id)
                elif kind == "subscribed":
                    self.subscribed_at.append(when)
                    self.ready.set()
                elif kind == "resync":
                    self.resyncs += 1
                elif kind == "error":
                    self.errors.append(frame)
        finally:
            stop.cancel()

    def report(self) -> dict:
        return {
            "number": self.number,
            "channel": self.channel,
            "received": self.received,
            "connects": self.connects,
            "subscribed_at": self.subscribed_at,
            "drops": self.drops,
            "errors": self.errors,
            "resyncs": self.resyncs,
        }


async def run_fleet(specs: list[dict], servers: list[str], reports, commands, deadline: float):
    clients = [Client(spec["number"], spec["session_key"], spec["channel"], spec["since"], servers) for spec in specs]
    stopping = asyncio.Event()
    tasks = []
    for start in range(0, len(clients), 25):  # open in batches, as tabs open over a moment
        tasks += [asyncio.create_task(client.run(stopping)) for client in clients[start : start + 25]]
        await asyncio.sleep(0.05)
    try:
        await asyncio.wait_for(asyncio.gather(*(client.ready.wait() for client in clients)), 60)
        reports.send(("ready", len(clients)))
    except asyncio.TimeoutError:
        reports.send(("error", f"{sum(not c.ready.is_set() for c in clients)} clients never subscribed"))
    # Wait for the drain target (a thread, so the event loop keeps reading sockets): the newest
    # message id of each channel once posting has ended. Clients then get `drain` seconds to
    # hold it (recovering through reconnect and `since` if they must) before the fleet reports.
    remaining = max(1.0, deadline - time.monotonic())
    command = await asyncio.to_thread(_wait_for_command, commands, remaining)
    drained = None
    if command is not None:
        _, newest, drain = command
        began = time.monotonic()
        until = began + drain
        while time.monotonic() < until and any(c.since < newest.get(c.channel, 0) for c in clients):
            await asyncio.sleep(0.05)
        if all(c.since >= newest.get(c.channel, 0) for c in clients):
            drained = round(time.monotonic() - began, 2)
    stopping.set()
    await asyncio.wait(tasks, timeout=OPEN_TIMEOUT + 2)
    reports.send(("report", [client.report() for client in clients], drained))


def _wait_for_command(commands, timeout: float):
    if commands.poll(timeout):
        return commands.recv()
    return None


def main(specs, servers, reports, commands, deadline):
    """Entry point of a fleet process (multiprocessing, spawn)."""
    try:
        asyncio.run(run_fleet(specs, servers, reports, commands, deadline))
    except Exception as error:  # reported to the orchestrator, which fails the run
        reports.send(("error", repr(error)))
