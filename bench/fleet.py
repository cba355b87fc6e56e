"""The benchmark's WebSocket clients, in a process of their own (no Django).

Keeping the clients out of the process that posts keeps the poster's work and the clients'
parsing from delaying each other. Arrival times are time.perf_counter() (CLOCK_MONOTONIC on
Linux), the same clock as the poster's send times. The fleet reports a message once all
its clients have it: ("done", (path, message id), [arrival times]).
"""

import asyncio
import json
import time

from websockets.asyncio.client import connect

WAIT_LIMIT = 20.0


async def open_client(url: str, path: str, session_key: str | None, channel_id: int | None):
    headers = {"Cookie": f"sessionid={session_key}"} if session_key else {}
    socket = await connect(url.replace("http://", "ws://") + path, origin=url, additional_headers=headers,
                           proxy=None, open_timeout=WAIT_LIMIT, max_queue=None)
    if channel_id is not None:
        await socket.send(json.dumps({"type": "subscribe", "channel": channel_id, "since": None}))
        reply = json.loads(await asyncio.wait_for(socket.recv(), WAIT_LIMIT))
        assert reply == {"type": "subscribed", "channel": channel_id}, reply
    return socket


async def open_many(factories, batch: int = 50):
    sockets = []
    for start in range(0, len(factories), batch):
        sockets += await asyncio.gather(*(factory() for factory in factories[start : start + batch]))
    return sockets


async def run(reports, commands, urls, keys, channel_id, clients):
    factories = []
    for n in range(clients):
        url = urls[n % len(urls)]
        factories.append(lambda url=url, n=n: open_client(url, "/ws/", keys[n], channel_id))
        factories.append(lambda url=url: open_client(url, "/bench/bare/", None, None))
    sockets = await open_many(factories)
    arrivals: dict[tuple[str, int], list[float]] = {}

    async def read(socket, label):
        try:
            async for raw in socket:
                when = time.perf_counter()
                frame = json.loads(raw)
                if frame.get("type") != "message.created":
                    continue
                key = (label, frame["message"]["id"])
                times = arrivals.setdefault(key, [])
                times.append(when)
                if len(times) == clients:
                    reports.send(("done", key, arrivals.pop(key)))
        except Exception:  # closed at the end of the run
            pass

    readers = [asyncio.create_task(read(socket, "app" if n % 2 == 0 else "bare")) for n, socket in enumerate(sockets)]
    reports.send(("ready",))
    await asyncio.to_thread(commands.recv)  # "close"
    for task in readers:
        task.cancel()
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)


def main(reports, commands, urls, keys, channel_id, clients):
    """Entry point of the fleet process: `reports` goes to the poster, `commands` comes from it."""
    try:
        asyncio.run(run(reports, commands, urls, keys, channel_id, clients))
    except Exception as error:
        reports.send(("error", repr(error)))
