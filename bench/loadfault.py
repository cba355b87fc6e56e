"""Load and fault runs (issue: production readiness), loopback only and bounded.

Two uvicorn processes serve the app against PostgreSQL and Redis. CLIENTS WebSocket clients
(bench/loadclients.py, in FLEETS processes of their own) are spread over both processes and
over CHANNELS channels of one circle, each subscribed to its channel as a member's browser
tab. A poster sends a steady stream of HTTP posts (POST /api/v1/circles/<circle>/channels/
<channel>/messages with personal access tokens, alternating between the two processes) at
RATE per second for SECONDS. Faults, when asked for, happen in the middle of the load:

- redis: Redis is shut down and started again (the machine's own command, or a private
  redis-server of this run);
- asgi:  one ASGI process is killed (SIGKILL, as a crash) and started again on its port.

Afterwards the run compares the database with what the clients hold: every message committed
in a client's channel after the client's start mark must be held by that client exactly once
(missing, duplicated and unexpected ids are counted), whichever way it arrived (live, or
through reconnect and `since`). It reports errors (target 0 without faults), post-to-delivery
latency p50/p99/max (from the moment the post was sent to the moment a client had it; all
processes share CLOCK_MONOTONIC) and throughput (posts committed per second, deliveries per
second).

    python bench/loadfault.py --fault none            # 200 clients, 60 s
    python bench/loadfault.py --fault both            # Redis at 1/3, one ASGI process at 2/3

scripts/load-fault.sh (`make load-fault`) prepares the database and runs both. The functions
below are also used by the short smoke test in tests/realtime/test_load_fault.py.
"""

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
CIRCLE_SLUG = "load-fault"
TOKEN_NAME = "load-fault"
POSTS_PER_USER_PER_MINUTE = 25  # below the app's posting rate limit (30 a minute)
WAIT_LIMIT = 60.0  # the longest any single wait of the run may take
# The command line run's SECRET_KEY (servers and orchestrator share it; see server_env()).
RUN_SECRET_KEY = "load-run-only-not-secret"


# --- Data ---------------------------------------------------------------------------------------


@dataclass
class Plan:
    circle: str
    channels: list[dict]  # {"id", "slug", "since"}: since = newest message id before the run
    clients: list[dict]  # {"number", "session_key", "channel", "since"}
    tokens: list[str]  # one per member, for the poster


def prepare(*, clients: int, channels: int) -> Plan:
    """A circle with `channels` channels and `clients` members, each with a fresh session and token.

    Idempotent: members, circle and channels are reused by later runs; sessions and tokens are new.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.db.models import Max

    from communities import services
    from communities.models import Channel, Circle, Membership, Message, PersonalAccessToken, Profile

    User = get_user_model()
    circle, _ = Circle.objects.get_or_create(
        slug=CIRCLE_SLUG, defaults={"name": "Belastingproef", "description": "Kring voor de belasting- en storingsproef."}
    )
    rows = []
    for n in range(channels):
        channel, _ = Channel.objects.get_or_create(circle=circle, slug=f"load-{n}", defaults={"name": f"Belasting {n}"})
        since = Message.objects.filter(channel=channel).aggregate(newest=Max("pk"))["newest"] or 0
        rows.append({"id": channel.pk, "slug": channel.slug, "since": since})

    names = [f"load-{n:04d}" for n in range(clients)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=name, email=f"{name}@load.invalid", password="!") for name in names if name not in existing]
    )
    people = list(User.objects.filter(username__in=names).order_by("username"))
    Profile.objects.bulk_create(
        [Profile(user=user, display_name=f"Deelnemer {user.username[5:]}") for user in people], ignore_conflicts=True
    )
    Membership.objects.bulk_create(
        [Membership(user=user, circle=circle, state=Membership.State.ACTIVE) for user in people], ignore_conflicts=True
    )
    PersonalAccessToken.objects.filter(user__in=people, name=TOKEN_NAME).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    plan_clients, tokens = [], []
    for number, user in enumerate(people):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(2 * 60 * 60)
        session.create()
        channel = rows[number % channels]
        plan_clients.append(
            {"number": number, "session_key": session.session_key, "channel": channel["id"], "since": channel["since"]}
        )
        tokens.append(services.access_token_create(user=user, name=TOKEN_NAME, expires_in_days=1)[1])
    return Plan(circle=circle.slug, channels=rows, clients=plan_clients, tokens=tokens)


def newest_ids(channel_ids: list[int]) -> dict[int, int]:
    from django.db.models import Max

    from communities.models import Message

    rows = Message.objects.filter(channel_id__in=channel_ids).values("channel_id").annotate(newest=Max("pk"))
    return {row["channel_id"]: row["newest"] for row in rows}


def committed_ids(plan: Plan) -> dict[int, list[int]]:
    """Per channel: the ids of messages committed after the run's start mark, oldest first."""
    from communities.models import Message

    result = {}
    for channel in plan.channels:
        result[channel["id"]] = list(
            Message.objects.filter(channel_id=channel["id"], pk__gt=channel["since"]).order_by("pk").values_list("pk", flat=True)
        )
    return result


# --- Processes ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


class Servers:
    """COUNT uvicorn processes of config.asgi on fixed loopback ports; one can be killed and restarted."""

    def __init__(self, env: dict, count: int = 2):
        self.env = env
        self.ports = [free_port() for _ in range(count)]
        self.processes: list[subprocess.Popen | None] = [None] * count

    @property
    def urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.ports]

    def _start(self, index: int) -> subprocess.Popen:
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", HOST,
                   "--port", str(self.ports[index]), "--lifespan", "off", "--log-level", "error", "--no-access-log"]
        self.processes[index] = subprocess.Popen(command, cwd=ROOT, env=self.env)
        return self.processes[index]

    def start(self) -> None:
        for index in range(len(self.ports)):
            self._start(index)
        for index, port in enumerate(self.ports):
            wait_for_port(port, WAIT_LIMIT, self.processes[index])

    def crash_and_restart(self, index: int, down: float = 0.5) -> float:
        """SIGKILL the process (its sockets drop, its in-flight requests are lost), start it again.
        Returns how long the port was closed."""
        killed_at = time.monotonic()
        self.processes[index].send_signal(signal.SIGKILL)
        self.processes[index].wait(10)
        time.sleep(down)
        process = self._start(index)
        wait_for_port(self.ports[index], WAIT_LIMIT, process)
        return time.monotonic() - killed_at

    def stop(self) -> None:
        for process in self.processes:
            if process is not None:
                stop(process)


def redis_ping(port: int) -> bool:
    result = subprocess.run(["redis-cli", "-h", HOST, "-p", str(port), "ping"], capture_output=True, text=True,
                            timeout=5)
    return result.stdout.strip() == "PONG"


def wait_for_redis(port: int, timeout: float = WAIT_LIMIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if redis_ping(port):
            return
        time.sleep(0.05)
    raise TimeoutError(f"Redis on port {port} did not come back within {timeout}s")


class MachineRedis:
    """The machine's Redis on 6379, restarted with the machine's own commands (see .ci/run and
    scripts/test-lanes.sh). Everything else using this Redis sees the restart too."""

    port = 6379
    START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
             "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]

    def __init__(self, db: int = 14):
        self.db = db

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/{self.db}"

    def start(self) -> None:
        if not redis_ping(self.port):
            subprocess.run(self.START, check=True, timeout=30)
        wait_for_redis(self.port)

    def others(self) -> int:
        """Connections of anyone else: on another database than this run's (ours use self.db)."""
        listing = subprocess.run(["redis-cli", "-h", HOST, "-p", str(self.port), "client", "list"],
                                 capture_output=True, text=True, timeout=10).stdout
        return sum(1 for line in listing.splitlines() if f" db={self.db} " not in line and "cmd=client|list" not in line)

    def restart(self) -> float:
        # On a shared machine other test runs may use this Redis: wait for them to finish, and
        # refuse rather than break their runs (LOAD_REDIS=private restarts a Redis of our own).
        deadline = time.monotonic() + WAIT_LIMIT
        while (busy := self.others()) and time.monotonic() < deadline:
            time.sleep(1)
        if busy:
            raise RuntimeError(f"Redis has {busy} connections of other users; not restarting it")
        down_at = time.monotonic()
        subprocess.run(["redis-cli", "-h", HOST, "-p", str(self.port), "shutdown", "nosave"], capture_output=True,
                       timeout=30)
        subprocess.run(self.START, check=True, timeout=30)
        wait_for_redis(self.port)
        return time.monotonic() - down_at

    def stop(self) -> None:
        pass  # the machine's Redis stays up


class PrivateRedis:
    """A redis-server of this run only, on a free port: restarting it disturbs nobody."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="lk-load-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--logfile", os.path.join(self.dir, "redis.log")],
            stdout=subprocess.DEVNULL,
        )
        wait_for_redis(self.port)

    def restart(self) -> float:
        down_at = time.monotonic()
        subprocess.run(["redis-cli", "-h", HOST, "-p", str(self.port), "shutdown", "nosave"], capture_output=True,
                       timeout=30)
        self.process.wait(30)
        self.start()
        return time.monotonic() - down_at

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)


def server_env(base: dict, redis_url: str, prefix: str = "lk-load") -> dict:
    from django.conf import settings

    env = dict(base)
    env.update({
        # prepare() signs the sessions with this process's key: the servers must check them with it.
        "SECRET_KEY": settings.SECRET_KEY,
        "REDIS_URL": redis_url,
        "CHANNEL_LAYER_PREFIX": prefix,
        "CACHE_KEY_PREFIX": prefix,
        "LOG_LEVEL": env.get("LOG_LEVEL", "ERROR"),
        "PYTHONUNBUFFERED": "1",
    })
    env.setdefault("DEBUG", "0")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    # Production settings, but plain static files (no collectstatic needed for the run).
    env.setdefault("LEERKRING_TESTING", "1")
    return env


# --- The run --------------------------------------------------------------------------------------


@dataclass
class Post:
    number: int
    channel: int
    server: int
    sent: float = 0.0
    answered: float = 0.0
    status: int | None = None
    message_id: int | None = None
    error: str = ""
    failovers: int = 0  # connection refused by a process that was down: sent to the other one


@dataclass
class Outcome:
    posts: list[Post]
    clients: list[dict]
    faults: list[dict] = field(default_factory=list)
    started: float = 0.0
    posting_ended: float = 0.0
    fleet_errors: list[str] = field(default_factory=list)
    drained: list[float | None] = field(default_factory=list)  # per fleet: seconds to hold the newest, None: not in time


async def _post_stream(plan: Plan, urls: list[str], *, rate: float, seconds: float) -> list[Post]:
    import httpx

    slugs = {channel["id"]: channel["slug"] for channel in plan.channels}
    channel_ids = [channel["id"] for channel in plan.channels]
    count = int(rate * seconds)
    posts = [Post(number=k, channel=channel_ids[k % len(channel_ids)], server=k % len(urls)) for k in range(count)]
    in_flight = asyncio.Semaphore(64)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)

    async with httpx.AsyncClient(timeout=10.0, trust_env=False, limits=limits) as client:

        async def send(post: Post):
            token = plan.tokens[(post.number * 7) % len(plan.tokens)]
            path = f"/api/v1/circles/{plan.circle}/channels/{slugs[post.channel]}/messages"
            async with in_flight:
                post.sent = time.monotonic()
                for attempt in range(len(urls)):
                    try:
                        response = await client.post(
                            urls[post.server] + path,
                            json={"body": f"Belastingproef bericht {post.number}"},
                            headers={"Authorization": f"Bearer {token}"},
                        )
                    except httpx.ConnectError as error:
                        # Nothing was sent: like a load balancer, try the other process.
                        post.error = type(error).__name__
                        post.server = (post.server + 1) % len(urls)
                        post.failovers += 1
                        continue
                    except httpx.HTTPError as error:  # sent, answer lost: it may have been committed
                        post.error = type(error).__name__
                        break
                    post.status = response.status_code
                    if response.status_code == 201:
                        post.message_id = response.json()["id"]
                        post.error = ""
                    else:
                        post.error = response.text[:200]
                    break
                post.answered = time.monotonic()

        start = time.monotonic()
        tasks = []
        for post in posts:
            delay = start + post.number / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(post)))
        await asyncio.wait_for(asyncio.gather(*tasks), WAIT_LIMIT)
    return posts


async def _faults(schedule: list[tuple[float, str]], start: float, servers: Servers, redis) -> list[dict]:
    done = []
    for at, kind in schedule:
        await asyncio.sleep(max(0.0, start + at - time.monotonic()))
        began = time.monotonic()
        if kind == "redis":
            down = await asyncio.to_thread(redis.restart)
        elif kind == "asgi":
            down = await asyncio.to_thread(servers.crash_and_restart, 1)
        else:
            raise ValueError(kind)
        done.append({"kind": kind, "at": round(began - start, 2), "down": round(down, 2)})
    return done


async def _run(plan: Plan, servers: Servers, redis, *, seconds: float, rate: float, fleets: int,
               faults: list[tuple[float, str]], drain: float) -> Outcome:
    context = multiprocessing.get_context("spawn")
    deadline = time.monotonic() + seconds + drain + 2 * WAIT_LIMIT
    pipes, processes = [], []
    for index in range(fleets):
        reports_out, reports_in = context.Pipe(duplex=False)  # (receiver, sender)
        commands_out, commands_in = context.Pipe(duplex=False)
        specs = plan.clients[index::fleets]
        from bench import loadclients

        process = context.Process(
            target=loadclients.main, args=(specs, servers.urls, reports_in, commands_out, deadline), daemon=True
        )
        process.start()
        pipes.append((reports_out, commands_in))
        processes.append(process)

    async def receive(pipe, timeout: float):
        if not await asyncio.to_thread(pipe.poll, timeout):
            raise TimeoutError("a client fleet did not answer")
        return pipe.recv()

    outcome = Outcome(posts=[], clients=[])
    try:
        for reports, _ in pipes:
            message = await receive(reports, WAIT_LIMIT)
            if message[0] != "ready":
                raise RuntimeError(f"client fleet: {message}")
        outcome.started = time.monotonic()
        fault_task = asyncio.create_task(_faults(faults, outcome.started, servers, redis))
        outcome.posts = await _post_stream(plan, servers.urls, rate=rate, seconds=seconds)
        outcome.posting_ended = time.monotonic()
        outcome.faults = await asyncio.wait_for(fault_task, WAIT_LIMIT)
        newest = await asyncio.to_thread(_in_thread, newest_ids, [channel["id"] for channel in plan.channels])
        for _, commands in pipes:
            commands.send(("drain", newest, drain))
        for reports, _ in pipes:
            message = await receive(reports, drain + WAIT_LIMIT)
            if message[0] == "report":
                outcome.clients += message[1]
                outcome.drained.append(message[2])
            else:
                outcome.fleet_errors.append(str(message))
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
    return outcome


def warm_up(plan: Plan, urls: list[str]) -> None:
    """A few posts through each server first (imports, connections, caches), then the start mark."""
    import httpx

    with httpx.Client(timeout=WAIT_LIMIT, trust_env=False) as client:
        for n, url in enumerate(urls):
            for channel in plan.channels[:2]:
                response = client.post(
                    f"{url}/api/v1/circles/{plan.circle}/channels/{channel['slug']}/messages",
                    json={"body": "Opwarmen"},
                    headers={"Authorization": f"Bearer {plan.tokens[-1 - n]}"},
                )
                response.raise_for_status()
    newest = _in_thread(newest_ids, [channel["id"] for channel in plan.channels])
    for channel in plan.channels:
        channel["since"] = newest.get(channel["id"], channel["since"])
    for client in plan.clients:
        client["since"] = newest.get(client["channel"], client["since"])


def _in_thread(function, *args):
    """ORM work from the event loop's worker thread, with that thread's connection closed after."""
    from django.db import connections

    try:
        return function(*args)
    finally:
        connections.close_all()


def run(plan: Plan, *, env: dict, redis, seconds: float, rate: float, fleets: int = 1,
        faults: list[tuple[float, str]] = (), drain: float = 15.0) -> dict:
    """Start two servers, run the load (with faults), stop the servers, verify; returns the report."""
    posters = len(plan.tokens)
    if rate * min(seconds, 60.0) / posters > POSTS_PER_USER_PER_MINUTE:
        raise ValueError(f"{rate}/s over {posters} members would hit the posting rate limit; use more clients")
    servers = Servers(server_env(env, redis.url))
    servers.start()
    try:
        warm_up(plan, servers.urls)
        outcome = asyncio.run(
            _run(plan, servers, redis, seconds=seconds, rate=rate, fleets=fleets, faults=list(faults), drain=drain)
        )
    finally:
        servers.stop()
    return verify(plan, outcome, seconds=seconds, rate=rate)


# --- Verification and report -----------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def verify(plan: Plan, outcome: Outcome, *, seconds: float, rate: float) -> dict:
    committed = committed_ids(plan)
    sent_at = {post.message_id: post.sent for post in outcome.posts if post.message_id is not None}
    answered_ids = set(sent_at)
    all_committed = {pk for ids in committed.values() for pk in ids}

    missing = duplicates = unexpected = 0
    incomplete_clients = []
    missing_ids: dict[int, int] = {}  # id -> clients that lack it
    latencies = []
    first_fault = outcome.started + min((fault["at"] for fault in outcome.faults), default=float("inf"))
    steady = []  # latencies of posts sent before the first fault
    deliveries = 0
    for client in outcome.clients:
        expected = set(committed[client["channel"]])
        ids = [message_id for message_id, _ in client["received"]]
        held = set(ids)
        client_missing = len(expected - held)
        missing += client_missing
        duplicates += len(ids) - len(held)
        unexpected += len(held - expected)
        deliveries += len(ids)
        if client_missing:
            incomplete_clients.append(client["number"])
            for message_id in expected - held:
                missing_ids[message_id] = missing_ids.get(message_id, 0) + 1
        for message_id, arrived in client["received"]:
            if message_id in sent_at:
                latencies.append(arrived - sent_at[message_id])
                if sent_at[message_id] < first_fault:
                    steady.append(latencies[-1])

    failed_posts = [post for post in outcome.posts if post.status != 201]
    post_errors: dict[str, int] = {}
    for post in failed_posts:
        key = str(post.status) if post.status else post.error
        post_errors[key] = post_errors.get(key, 0) + 1
    posting_time = max(outcome.posting_ended - outcome.started, 1e-9)
    report = {
        "clients": len(plan.clients),
        "clients_reported": len(outcome.clients),
        "channels": len(plan.channels),
        "seconds": seconds,
        "rate_offered": rate,
        "posts_sent": len(outcome.posts),
        "posts_ok": len(outcome.posts) - len(failed_posts),
        "post_errors": post_errors,
        "post_failovers": sum(post.failovers for post in outcome.posts),
        "committed": len(all_committed),
        "committed_without_answer": len(all_committed - answered_ids),  # e.g. the server died after the commit
        "deliveries": deliveries,
        "missing": missing,
        "duplicates": duplicates,
        "unexpected": unexpected,
        "incomplete_clients": len(incomplete_clients),
        # The first missing ids, with how many clients lack each, and the newest committed id:
        # tells a tail not delivered in time from messages lost on the way.
        "missing_sample": sorted(missing_ids.items())[:10],
        "newest_committed": max(all_committed, default=None),
        "drained_seconds": outcome.drained,
        "connection_drops": sum(len(client["drops"]) for client in outcome.clients),
        # Why connections were lost, and when (seconds after the start of posting).
        "drop_reasons": _drop_reasons(outcome),
        "reconnects": sum(max(0, client["connects"] - 1) for client in outcome.clients),
        "error_frames": sum(len(client["errors"]) for client in outcome.clients),
        "resyncs": sum(client["resyncs"] for client in outcome.clients),
        "fleet_errors": outcome.fleet_errors,
        "faults": outcome.faults,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
            "max": round(max(latencies, default=float("nan")) * 1000, 1),
        },
        "latency_ms_before_first_fault": {
            "p50": round(percentile(steady, 0.50) * 1000, 1),
            "p99": round(percentile(steady, 0.99) * 1000, 1),
        },
        "posts_per_second": round(len(all_committed) / posting_time, 1),
        "deliveries_per_second": round(deliveries / posting_time, 1),
    }
    # Errors that must be zero in every run, faults or not: nothing lost, nothing twice.
    report["delivery_errors"] = missing + duplicates + unexpected + len(outcome.fleet_errors) + (
        len(plan.clients) - len(outcome.clients)
    )
    # Everything that went wrong at all; the target for a run without faults is 0.
    report["errors"] = report["delivery_errors"] + len(failed_posts) + report["connection_drops"] + report[
        "error_frames"] + report["resyncs"]
    return report


def _drop_reasons(outcome: Outcome) -> dict[str, dict]:
    reasons: dict[str, dict] = {}
    for client in outcome.clients:
        for when, why in client["drops"]:
            entry = reasons.setdefault(why, {"count": 0, "first": None, "last": None})
            at = round(when - outcome.started, 1)
            entry["count"] += 1
            entry["first"] = at if entry["first"] is None else min(entry["first"], at)
            entry["last"] = at if entry["last"] is None else max(entry["last"], at)
    return reasons


def print_report(title: str, report: dict) -> None:
    latency = report["latency_ms"]
    print(f"\n== {title} ==")
    print(f"clients {report['clients']} on {report['channels']} channels, two ASGI processes; "
          f"{report['seconds']:.0f} s at {report['rate_offered']:g} posts/s offered")
    for fault in report["faults"]:
        print(f"fault: {fault['kind']} restarted at {fault['at']} s, down {fault['down']} s")
    print(f"posts: {report['posts_sent']} sent, {report['posts_ok']} answered 201, {report['committed']} committed "
          f"({report['committed_without_answer']} committed without an answer); errors {report['post_errors'] or 0}; "
          f"{report['post_failovers']} sent to the other process after a refused connection")
    print(f"throughput: {report['posts_per_second']} posts/s committed, {report['deliveries_per_second']} deliveries/s")
    print(f"post-to-delivery latency: p50 {latency['p50']} ms, p99 {latency['p99']} ms, max {latency['max']} ms")
    if report["faults"]:
        steady = report["latency_ms_before_first_fault"]
        print(f"  before the first fault: p50 {steady['p50']} ms, p99 {steady['p99']} ms")
    print(f"connections: {report['connection_drops']} drops, {report['reconnects']} reconnects, "
          f"{report['error_frames']} error frames, {report['resyncs']} resyncs")
    for why, entry in report["drop_reasons"].items():
        print(f"  dropped {entry['count']}x between {entry['first']} and {entry['last']} s: {why}")
    print(f"exactly once: {report['deliveries']} deliveries; missing {report['missing']}, duplicates "
          f"{report['duplicates']}, unexpected {report['unexpected']} "
          f"({report['incomplete_clients']} clients incomplete)")
    if report["missing"]:
        print(f"missing (id, clients): {report['missing_sample']}; newest committed {report['newest_committed']}")
    print(f"drain: every client held its channel's newest message after {report['drained_seconds']} s "
          f"(None: not within the drain time)")
    print(f"errors: {report['errors']} (delivery errors: {report['delivery_errors']})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--channels", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=20.0, help="HTTP posts per second")
    parser.add_argument("--fleets", type=int, default=2, help="client processes")
    parser.add_argument("--fault", choices=["none", "redis", "asgi", "both"], default="none")
    parser.add_argument("--redis", choices=["machine", "private"], default="machine",
                        help="restart the machine's Redis (default) or a private redis-server of this run")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--drain", type=float, default=20.0, help="seconds the clients get to catch up")
    parser.add_argument("--json", help="write the report to this file")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", RUN_SECRET_KEY)
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The load run needs PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    schedule = {
        "none": [],
        "redis": [(args.seconds / 2, "redis")],
        "asgi": [(args.seconds / 2, "asgi")],
        "both": [(args.seconds / 3, "redis"), (2 * args.seconds / 3, "asgi")],
    }[args.fault]
    redis = MachineRedis(args.redis_db) if args.redis == "machine" else PrivateRedis()
    redis.start()
    try:
        plan = prepare(clients=args.clients, channels=args.channels)
        connection.close()
        report = run(plan, env=dict(os.environ), redis=redis, seconds=args.seconds, rate=args.rate,
                     fleets=args.fleets, faults=schedule, drain=args.drain)
    finally:
        redis.stop()
    title = "Load run" if args.fault == "none" else f"Fault run ({args.fault})"
    print_report(title, report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    failed = report["delivery_errors"] or (args.fault == "none" and report["errors"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
