"""Fan-out benchmark (DESIGN.md, "Budgets"): one message to 200 sockets on two ASGI processes.

For each channels-redis layer (RedisPubSubChannelLayer, RedisChannelLayer) it starts two
uvicorn processes (bench.asgi: the app plus a bare baseline route), connects CLIENTS
WebSocket clients spread over both (in a process of their own, bench/fleet.py), and measures, interleaving the two paths round by round
so that load from elsewhere on the machine hits both alike:

- app:  services.message_post (database write, commit, events.send_event_on_commit) ->
        Redis -> LiveConsumer (subscription and access checks, dedupe) -> socket;
- bare: channel_layer.group_send of the same payload -> Redis -> a consumer that only
        forwards it (bench/asgi.py) -> socket: the stack's own limit.

Latency is taken per delivery on one clock (CLOCK_MONOTONIC, shared by the processes): from the
post call (app, so it includes the database write) or from group_send (bare); the app's
latency from its commit (when its group_send starts) is printed too. Throughput is a burst
of BURST messages sent back to back, counted until the last client has the last one.
Finally, memory per idle connection: RSS growth of one fresh server process for IDLE
authenticated sockets, each subscribed to a channel.

Bounded: fixed counts, a time limit on every wait, loopback only.
Run through scripts/bench-fanout.sh (it sets DATABASE_URL and REDIS_URL).
"""

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from channels.layers import channel_layers, get_channel_layer  # noqa: E402
from django.conf import settings  # noqa: E402

from bench.asgi import BARE_GROUP  # noqa: E402

LAYERS = ("pubsub", "core")  # keys of settings.CHANNEL_LAYER_CHOICES
HOST = "127.0.0.1"
WAIT_LIMIT = 20.0  # seconds any single wait may take before the run is declared broken


# --- Data ---------------------------------------------------------------------------------


def prepare_data(users: int):
    """A circle with one channel and `users` members, each with a fresh login session."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from communities.models import Channel, Circle, Membership, Profile

    User = get_user_model()
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    circle, _ = Circle.objects.get_or_create(slug="bench-fanout", defaults={"name": "Bench fan-out"})
    channel, _ = Channel.objects.get_or_create(circle=circle, slug="fanout", defaults={"name": "Fan-out"})
    names = [f"bench-fanout-{n:04d}" for n in range(users)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=name, email=f"{name}@bench.invalid", password="!") for name in names if name not in existing]
    )
    people = list(User.objects.filter(username__in=names).order_by("username"))
    Profile.objects.bulk_create(
        [Profile(user=user, display_name=user.username) for user in people], ignore_conflicts=True
    )
    Membership.objects.bulk_create(
        [Membership(user=user, circle=circle, state=Membership.State.ACTIVE) for user in people],
        ignore_conflicts=True,
    )
    keys = []
    for user in people:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(3600)
        session.create()
        keys.append(session.session_key)
    return channel, people, keys


# --- Servers ------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


DEFLATE = "true"  # --deflate: uvicorn's per-message-deflate, which browsers ask for


def start_server(layer: str):
    port = free_port()
    env = {**os.environ, "CHANNEL_LAYER": layer}
    command = [sys.executable, "-m", "uvicorn", "bench.asgi:application", "--host", HOST, "--port", str(port),
               "--lifespan", "off", "--log-level", "warning", "--no-access-log", "--ws-per-message-deflate", DEFLATE]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    return process, port


async def wait_ready(process, port: int):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            _, writer = await asyncio.open_connection(HOST, port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise TimeoutError(f"server on port {port} did not start")


def stop_server(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def use_layer(layer: str):
    """Point this process's channel layer at the same backend as the servers (config/settings.py)."""
    settings.CHANNEL_LAYERS = {"default": settings.CHANNEL_LAYER_CHOICES[layer]}
    channel_layers.backends.clear()


# --- Clients ------------------------------------------------------------------------------


class Fleet:
    """The clients in their own process (bench/fleet.py), reporting complete deliveries."""

    def __init__(self, urls, keys, channel_id, clients):
        import multiprocessing

        from bench import fleet

        context = multiprocessing.get_context("spawn")  # a clean process: no threads or loop inherited
        self.reports, reports_send = context.Pipe(duplex=False)
        commands_recv, self.commands = context.Pipe(duplex=False)
        self.process = context.Process(
            target=fleet.main, args=(reports_send, commands_recv, urls, keys, channel_id, clients), daemon=True
        )
        self.times: dict[tuple[str, int], list[float]] = {}

    async def _next(self, timeout: float):
        if not await asyncio.to_thread(self.reports.poll, timeout):
            raise TimeoutError(f"no report from the client fleet within {timeout:.0f}s")
        report = self.reports.recv()
        if report[0] == "error":
            raise RuntimeError(f"client fleet failed: {report[1]}")
        return report

    async def start(self):
        self.process.start()
        report = await self._next(WAIT_LIMIT * 3)
        assert report == ("ready",), report

    async def wait_for(self, keys) -> None:
        deadline = time.monotonic() + WAIT_LIMIT
        while any(key not in self.times for key in keys):
            _, key, times = await self._next(max(0.0, deadline - time.monotonic()))
            self.times[tuple(key)] = times

    def stop(self):
        if self.process.is_alive():
            self.commands.send("close")
            self.process.join(10)
        if self.process.is_alive():
            self.process.kill()


async def open_client(url: str, session_key: str, channel_id: int):
    from bench.fleet import open_client as open_socket

    return await open_socket(url, "/ws/", session_key, channel_id)


async def open_many(factories, batch: int = 50):
    sockets = []
    for start in range(0, len(factories), batch):
        sockets += await asyncio.gather(*(factory() for factory in factories[start : start + batch]))
    return sockets


# --- Measurements -------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def measure_layer(layer: str, channel, people, keys, clients: int, rounds: int, burst: int):
    import communities.events as events
    from communities import services
    from communities.payloads import message_payload

    use_layer(layer)
    commits: dict[int, float] = {}
    original_send = events.send_event_now

    def timed_send(group, event):  # when the app's group_send starts, i.e. right after commit
        if event.get("type") == "message.created":
            commits[event["message"]["id"]] = time.perf_counter()
        original_send(group, event)

    events.send_event_now = timed_send
    servers = [start_server(layer) for _ in range(2)]
    fleet = None
    try:
        for process, port in servers:
            await wait_ready(process, port)
        urls = [f"http://{HOST}:{port}" for _, port in servers]
        fleet = Fleet(urls, keys[:clients], channel.pk, clients)
        await fleet.start()
        layer_ = get_channel_layer()
        authors = itertools.cycle(people)  # many people post: each stays far below the post rate limit
        template = await sync_to_async(
            lambda: message_payload(services.message_post(author=next(authors), channel=channel, body="warm-up"))
        )()
        await asyncio.sleep(0.5)
        next_bare_id = 10**12

        def post(body):
            return services.message_post(author=next(authors), channel=channel, body=body).pk

        async def app_message(n):
            sent = time.perf_counter()
            message_id = await sync_to_async(post)(f"Bericht {n} voor de hele kring")
            return ("app", message_id), sent

        async def bare_message():
            nonlocal next_bare_id
            next_bare_id += 1
            payload = {**template, "id": next_bare_id}
            event = {"type": "message.created", "channel": channel.pk, "message": payload}
            sent = time.perf_counter()
            await layer_.group_send(BARE_GROUP, {"type": "bench.bare", "event": event})
            return ("bare", next_bare_id), sent

        for _ in range(3):  # warm both paths up
            key, _sent = await app_message(-1)
            await fleet.wait_for([key])
            key, _sent = await bare_message()
            await fleet.wait_for([key])

        latency = {"app": [], "app_commit": [], "bare": []}
        for n in range(rounds):
            for path in ("app", "bare") if n % 2 == 0 else ("bare", "app"):
                key, sent = await (app_message(n) if path == "app" else bare_message())
                await fleet.wait_for([key])
                times = fleet.times[key]
                latency[path] += [(t - sent) * 1000 for t in times]
                if path == "app":
                    latency["app_commit"] += [(t - commits[key[1]]) * 1000 for t in times]
                await asyncio.sleep(0.02)

        bursts = {}
        for path in ("bare", "app"):
            started = time.perf_counter()
            keys_sent = [await (app_message(n) if path == "app" else bare_message()) for n in range(burst)]
            keys_sent = [key for key, _ in keys_sent]
            sending = time.perf_counter() - started  # the posts (app) or group_sends (bare) alone
            await fleet.wait_for(keys_sent)
            finished = max(max(fleet.times[key]) for key in keys_sent)
            bursts[path] = {"messages": burst, "elapsed": finished - started, "sending": sending}
            await asyncio.sleep(0.2)
        return latency, bursts
    finally:
        events.send_event_now = original_send
        if fleet is not None:
            fleet.stop()
        for process, _ in servers:
            stop_server(process)


async def measure_idle_memory(layer: str, channel, keys, connections: int):
    use_layer(layer)
    process, port = start_server(layer)
    sockets = []
    try:
        await wait_ready(process, port)
        url = f"http://{HOST}:{port}"
        # Warm up: code paths, database and Redis connections, caches.
        warm = await open_many([lambda n=n: open_client(url, keys[n], channel.pk) for n in range(20)])
        await asyncio.gather(*(socket.close() for socket in warm))
        await asyncio.sleep(1.0)
        before = rss_kib(process.pid)
        sockets = await open_many(
            [lambda n=n: open_client(url, keys[n % len(keys)], channel.pk) for n in range(connections)]
        )
        await asyncio.sleep(1.0)
        after = rss_kib(process.pid)
        return {"connections": connections, "rss_before_mib": before / 1024, "rss_after_mib": after / 1024,
                "per_connection_kib": (after - before) / connections}
    finally:
        await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
        stop_server(process)


def report(results, memory, clients):
    if not results:
        return report_memory(memory)
    print()
    print(f"Fan-out: 1 message -> {clients} WebSocket clients on 2 uvicorn processes via Redis"
          f" (per-message-deflate {'on' if DEFLATE == 'true' else 'off'})")
    header = f"{'layer':<8} {'path':<12} {'p50 ms':>8} {'p99 ms':>8} {'msgs/s':>8} {'deliveries/s':>13} {'sending':>8}"
    print(header)
    print("-" * len(header))
    for layer, paths in results.items():
        for path in ("app", "app_commit", "bare"):
            row = paths[path]
            label = {"app": "app (post)", "app_commit": "app (commit)", "bare": "bare"}[path]
            rate = ""
            if "messages_per_s" in row:
                rate = f"{row['messages_per_s']:8.1f} {row['deliveries_per_s']:13.0f} {row['sending_share']:8.0%}"
            print(f"{layer:<8} {label:<12} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} {rate}")
    best_bare = min(results, key=lambda layer: results[layer]["bare"]["p50_ms"])
    in_use = os.environ.get("CHANNEL_LAYER", "pubsub")  # the layer config/settings.py selects
    app_layer = in_use if in_use in results else next(iter(results))
    bare, app = results[best_bare]["bare"], results[app_layer]["app"]
    commit = results[app_layer]["app_commit"]
    print()
    print(f"app on {app_layer} (the layer in use) vs bare on {best_bare} (the faster bare layer):")
    print(f"  latency ratio app/bare, from post:   p50 {app['p50_ms'] / bare['p50_ms']:.2f}x  p99 {app['p99_ms'] / bare['p99_ms']:.2f}x")
    print(f"  latency ratio app/bare, from commit: p50 {commit['p50_ms'] / bare['p50_ms']:.2f}x  p99 {commit['p99_ms'] / bare['p99_ms']:.2f}x")
    print(f"  throughput ratio bare/app (msgs/s):  {bare['messages_per_s'] / app['messages_per_s']:.2f}x")
    print("  (sending: share of the burst spent posting (app) or in group_send (bare) before the last delivery)")
    report_memory(memory)


def report_memory(memory):
    if memory:
        print()
        print(
            f"Idle connections ({memory['layer']}): {memory['connections']} authenticated sockets, each subscribed to a channel: "
            f"server RSS {memory['rss_before_mib']:.1f} -> {memory['rss_after_mib']:.1f} MiB, "
            f"{memory['per_connection_kib']:.1f} KiB per connection"
        )


def summarise(latency, bursts, clients):
    result = {}
    for path, values in latency.items():
        row = {"p50_ms": statistics.median(values), "p99_ms": percentile(values, 0.99), "samples": len(values)}
        runs = bursts.get(path)
        if runs:
            messages = sum(run["messages"] for run in runs)
            elapsed = sum(run["elapsed"] for run in runs)
            row |= {
                "messages_per_s": messages / elapsed,
                "deliveries_per_s": messages * clients / elapsed,
                "sending_share": sum(run["sending"] for run in runs) / elapsed,
            }
        result[path] = row
    return result


async def main(args):
    layers = list(LAYERS) if args.layers == "both" else [args.layers]
    channel, people, keys = await sync_to_async(prepare_data)(max(args.clients, min(args.idle, 1000)))
    # The layers take turns in blocks (pubsub, core, pubsub, core, ...) and the samples of all
    # blocks are pooled, so that a busy minute on the machine does not decide between them.
    samples = {layer: ({"app": [], "app_commit": [], "bare": []}, {"app": [], "bare": []}) for layer in layers}
    for block in range(args.repeat if args.clients else 0):
        for layer in layers:
            print(f"measuring {layer} (block {block + 1} of {args.repeat}) ...", flush=True)
            latency, bursts = await measure_layer(layer, channel, people, keys, args.clients, args.rounds, args.burst)
            for path, values in latency.items():
                samples[layer][0][path] += values
            for path, run in bursts.items():
                samples[layer][1][path].append(run)
    results = {layer: summarise(*samples[layer], args.clients) for layer in layers} if args.clients else {}
    memory = None
    if args.idle:
        print("measuring idle connections ...", flush=True)
        memory_layer = "pubsub" if "pubsub" in layers else layers[0]
        memory = {"layer": memory_layer, **await measure_idle_memory(memory_layer, channel, keys, args.idle)}
    report(results, memory, args.clients)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"fanout": results, "idle_memory": memory}, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=30, help="latency rounds per path, layer and block")
    parser.add_argument("--burst", type=int, default=100, help="messages per throughput burst (per block)")
    parser.add_argument("--repeat", type=int, default=3, help="blocks per layer, taking turns")
    parser.add_argument("--idle", type=int, default=1000, help="idle connections for the memory figure (0: skip)")
    parser.add_argument("--layers", choices=["both", *LAYERS], default="both")
    parser.add_argument("--deflate", choices=["on", "off"], default="on", help="uvicorn --ws-per-message-deflate")
    parser.add_argument("--json", help="also write the figures to this file")
    arguments = parser.parse_args()
    for name, limit in (("clients", 1000), ("rounds", 1000), ("burst", 1000), ("idle", 5000), ("repeat", 10)):
        if not 0 <= getattr(arguments, name) <= limit:
            parser.error(f"--{name} must be between 0 and {limit}")
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        # Fan-out across processes needs Redis (and PostgreSQL for concurrent writers).
        print("fan-out benchmark skipped: it needs DATABASE_URL (PostgreSQL) and REDIS_URL; "
              "scripts/bench-fanout.sh sets both up on this machine")
        sys.exit(0)
    DEFLATE = "true" if arguments.deflate == "on" else "false"
    asyncio.run(main(arguments))
