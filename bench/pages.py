"""Page throughput: the channel page and the CMS home page next to the stack's floor.

Targets, each on one uvicorn process (DEBUG off), over 1 and over N keep-alive connections:
- floor: an empty Django view behind every middleware (`/bench/leeg/`, served only with
  LEERKRING_BENCH_VIEWS=1), anonymous and signed in (the session and user lookups);
- channel: `/kringen/bench-000/kanalen/algemeen/` signed in as the first benchmark member, and
  with each connection signed in as another member of its circle ("8 readers"): the threads'
  HTML is shared by all readers, each reader's own part is rendered per request;
- cms: the CMS home page, from the page cache (`/`) and rendered (`/?uncached`: a query string
  is never cached);
- trivial: a bare ASGI app on the same server (`bench/trivial_asgi.py`).
Rounds interleave the targets and the median round counts, so a busy moment on the machine
hits every target alike. Prints req/s, p50/p99, the HTML size, app/floor ratios and the budgets
of issue 12 with PASS/FAIL; the load average (`uptime`) at start and end; and the server
process's CPU per request (median over the rounds) with the floor's CPU over the page's, a
figure the machine's other work disturbs less than req/s.

    python bench/pages.py [--concurrency 8] [--seconds 4] [--rounds 3] [--targets floor,channel,cms,trivial]
"""

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHANNEL_PATH = "/kringen/bench-000/kanalen/algemeen/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DEBUG", "0")
    env.setdefault("SECRET_KEY", "bench-only-not-secret")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    env.setdefault("LOG_LEVEL", "ERROR")
    # Production settings (DEBUG off: no query log, cached templates) but the plain static files
    # storage: the benchmark measures pages, and the manifest storage refuses to render a page
    # that names a static file missing from the tree.
    env.setdefault("LEERKRING_TESTING", "1")
    env["LEERKRING_BENCH_VIEWS"] = "1"
    env.setdefault("PAGE_CACHE", "1")  # one server process: a local-memory cache serves too
    return env


@contextlib.contextmanager
def uvicorn(app: str, env: dict):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off",
         "--log-level", "error", "--no-access-log"],
        cwd=ROOT, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{app} exited with {process.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            time.sleep(0.1)
        else:
            raise TimeoutError(f"{app} did not start")
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def bench_sessions(readers: int = 8) -> list[str]:
    """Logged-in sessions of the first benchmark member and of other members of the benchmark
    channel's circle, made directly in the session store."""
    os.environ.update({k: v for k, v in server_env().items() if k not in os.environ})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from communities.models import Membership

    first = get_user_model().objects.get(username="bench-00000")
    others = get_user_model().objects.filter(
        memberships__circle__slug=CHANNEL_PATH.split("/")[2], memberships__state=Membership.State.ACTIVE
    ).exclude(pk=first.pk).order_by("pk")[: readers - 1]
    keys = []
    for user in [first, *others]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


async def _read_response(reader) -> tuple[int, dict, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = [(k.lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:] if line)]
    headers = dict(fields)
    headers["set-cookie"] = [v.split(";", 1)[0] for k, v in fields if k == "set-cookie"]
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.read()
    return status, headers, body


async def _worker(port, path, session, stop_at, budget, latencies, check, sizes, failed=None):
    """One browser on one keep-alive connection: it sends back the cookies it was given (the
    CSRF cookie), as a browser does, so that not every request makes a new CSRF secret."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    jar = {"sessionid": session} if session else {}
    try:
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(_request(path, jar))
            status, headers, body = await _read_response(reader)
            jar.update(cookie.split("=", 1) for cookie in headers["set-cookie"] if "=" in cookie)
            latencies.append(time.perf_counter() - started)
            sizes.append(len(body))
            if status != 200:
                raise RuntimeError(f"unexpected answer {status}: {body[:300]!r}")
            if check and not check(headers, body) and failed is not None:
                failed.append(1)
    finally:
        writer.close()


def _request(path, jar: dict) -> bytes:
    cookies = "; ".join(f"{name}={value}" for name, value in jar.items() if value)
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
            + (f"Cookie: {cookies}\r\n" if cookies else "") + "\r\n").encode()


async def warm(port, path, cookie):
    await asyncio.gather(*[_worker(port, path, cookie, time.monotonic() + 5, [10], [], None, [])
                           for _ in range(2)])


def server_cpu_seconds(pid: int | None) -> float:
    """CPU time the server process has used, all its threads (utime + stime of /proc/<pid>/stat)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(port, path, cookies, *, concurrency, seconds, max_requests, check=None, pid=None) -> dict:
    """`cookies`: one session per connection in turn (None: anonymous). `pid`: the server's, for
    its CPU time per request, which the machine's other work disturbs less than req/s."""
    latencies, sizes, budget, failed = [], [], [max_requests], []
    started, cpu_before = time.perf_counter(), server_cpu_seconds(pid)
    await asyncio.gather(*[_worker(port, path, cookies[i % len(cookies)], time.monotonic() + seconds, budget,
                                   latencies, check, sizes, failed) for i in range(concurrency)])
    elapsed, cpu = time.perf_counter() - started, server_cpu_seconds(pid) - cpu_before
    latencies.sort()
    return {
        "cpu_ms": cpu * 1000 / max(len(latencies), 1),
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "kb": statistics.median(sizes) / 1024,
        "failed": len(failed),
    }


def _has_threads(headers, body):
    return b'class="lk-thread"' in body


def _cached(headers, body):
    return headers.get("x-cache") == "hit"


def _not_cached(headers, body):
    return headers.get("x-cache") != "hit"


# name: (server, path, signed in: 0 anonymous / 1 one member / 8 a member per connection, check)
TARGETS = {
    "floor": ("app", "/bench/leeg/", 0, None),
    "floor, signed in": ("app", "/bench/leeg/", 1, None),
    "channel page": ("app", CHANNEL_PATH, 1, _has_threads),
    # Every connection another member: what the shared HTML of the threads saves is not one
    # reader's own page kept for them (communities/channel_page.py).
    "channel, 8 readers": ("app", CHANNEL_PATH, 8, _has_threads),
    "CMS home, rendered": ("app", "/?uncached", 0, _not_cached),
    "CMS home, page cache": ("app", "/", 0, _cached),
    "trivial ASGI": ("trivial", "/", 0, None),
}
GROUPS = {"floor": ["floor", "floor, signed in"], "channel": ["channel page", "channel, 8 readers"],
          "cms": ["CMS home, rendered", "CMS home, page cache"], "trivial": ["trivial ASGI"]}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_rounds(names, port_of, pid_of, cookies, args) -> dict:
    """{(name, connections): [result per round]}, the targets taking turns within each round."""
    results = {}
    sessions = {0: [None], 1: cookies[:1], 8: cookies}
    for name in names:
        server, path, signed_in, check = TARGETS[name]
        for cookie in sessions[signed_in]:
            asyncio.run(warm(port_of[server], path, cookie))
    for _ in range(args.rounds):
        for connections in (1, args.concurrency):
            for name in names:
                server, path, signed_in, check = TARGETS[name]
                results.setdefault((name, connections), []).append(asyncio.run(measure(
                    port_of[server], path, sessions[signed_in], check=check, concurrency=connections,
                    seconds=args.seconds, max_requests=args.max_requests, pid=pid_of[server])))
    return {key: _median_round(rounds) for key, rounds in results.items()}


def _median_round(rounds: list[dict]) -> dict:
    ordered = sorted(rounds, key=lambda r: r["rps"])
    median = dict(ordered[len(ordered) // 2])
    median["spread"] = (ordered[0]["rps"], ordered[-1]["rps"])
    median["cpu_ms"] = statistics.median(r["cpu_ms"] for r in rounds)
    return median


def budgets(results, n) -> list[tuple[str, float, float, bool]]:
    """(budget, measured, limit, passed) for issue 12's budgets that the run measured."""
    def rps(name, connections=n):
        return results[(name, connections)]["rps"] if (name, connections) in results else None

    checks = []
    floor, floor_in = rps("floor"), rps("floor, signed in")
    if rps("channel page") and floor_in:
        checks.append((f"channel page >= 0.5x floor (signed in), {n} conn.", rps("channel page") / floor_in, 0.5, None))
        if rps("channel, 8 readers"):
            checks.append((f"channel, {n} readers >= 0.5x floor (signed in)", rps("channel, 8 readers") / floor_in, 0.5, None))
        kb = results[("channel page", n)]["kb"]
        checks.append(("channel page HTML <= 150 KB", kb, 150, kb <= 150))
    if rps("CMS home, rendered") and floor:
        checks.append((f"CMS home rendered >= 0.7x floor, {n} conn.", rps("CMS home, rendered") / floor, 0.7, None))
    if rps("CMS home, page cache") and floor:
        checks.append((f"CMS home from cache >= 5x floor, {n} conn.", rps("CMS home, page cache") / floor, 5, None))
    for name in TARGETS:
        if rps(name) and rps(name, 1) and name != "trivial ASGI":
            # "never slower": within 5 % (the run-to-run noise of this machine) or faster
            checks.append((f"{name}: {n} conn. vs 1 >= 0.95x", rps(name) / rps(name, 1), 0.95, None))
    return [(label, value, limit, value >= limit if passed is None else passed) for label, value, limit, passed in checks]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0, help="per target, connection count and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--targets", default="floor,channel,cms,trivial",
                        help="comma-separated subset of floor, channel, cms, trivial (ratios need floor)")
    args = parser.parse_args()
    groups = args.targets.split(",")
    if not groups or set(groups) - set(GROUPS):
        parser.error("--targets takes floor, channel, cms and/or trivial")
    names = [name for group in GROUPS for name in GROUPS[group] if group in groups]
    cookies = bench_sessions()
    env = server_env()
    load_start = loadavg()
    with contextlib.ExitStack() as stack:
        servers = {"app": stack.enter_context(uvicorn("config.asgi:application", env))}
        if "trivial" in groups:
            servers["trivial"] = stack.enter_context(uvicorn("bench.trivial_asgi:app", env))
        port_of = {server: port for server, (port, pid) in servers.items()}
        pid_of = {server: pid for server, (port, pid) in servers.items()}
        results = run_rounds(names, port_of, pid_of, cookies, args)
    load_end = loadavg()
    n = args.concurrency
    print(f"\nPage throughput on uvicorn, 1 process, median of {args.rounds} rounds of {args.seconds:g}s "
          f"(at most {args.max_requests} requests) per target; loopback")
    print(f"load average (1, 5, 15 min): {load_start} at start, {load_end} at end")
    floor = {c: results.get(("floor", c), {}).get("rps") for c in (1, n)}
    floor_in = {c: results.get(("floor, signed in", c), {}).get("rps") for c in (1, n)}
    cpu = {key: r["cpu_ms"] for key, r in results.items()}
    print(f"{'target':24} {'conn.':>5} {'req/s':>9} {'(min-max)':>15} {'p50 ms':>8} {'p99 ms':>8} {'KB':>7} "
          f"{'app/floor':>10} {'CPU ms':>7} {'floor/app CPU':>14}")
    for name in names:
        for connections in (1, n):
            r = results[(name, connections)]
            base = floor_in if TARGETS[name][2] else floor
            ratio = f"{r['rps'] / base[connections]:>10.2f}" if base[connections] else f"{'':>10}"
            base_cpu = cpu.get(("floor, signed in" if TARGETS[name][2] else "floor", connections))
            cpu_ratio = f"{base_cpu / cpu[(name, connections)]:>14.2f}" if base_cpu and TARGETS[name][0] == "app" else ""
            spread = f"{r['spread'][0]:.0f}-{r['spread'][1]:.0f}"
            print(f"{name:24} {connections:>5} {r['rps']:>9.1f} {spread:>15} {r['p50']:>8.1f} {r['p99']:>8.1f} "
                  f"{r['kb']:>7.1f} {ratio} {cpu[(name, connections)]:>7.2f} {cpu_ratio}")
    for (name, connections), r in results.items():
        if r["failed"]:
            print(f"WARNING: {name}, {connections} conn.: {r['failed']} of {r['requests']} answers not as expected "
                  "(a page-cache target missed the cache: was it cleared meanwhile?)")
    checks = budgets(results, n)
    if checks:
        print("\nBudgets (issue 12; app/floor against the floor of the same kind of visitor):")
        for label, value, limit, passed in checks:
            print(f"  {'PASS' if passed else 'FAIL'}  {label}: {value:.2f}")


if __name__ == "__main__":
    main()
