"""Page throughput: a channel page (50 threads) and a CMS page served by the app, side by side
with a trivial ASGI response on the same server type (uvicorn, one process each).

Loopback only; every run is bounded in requests and in time. Prints requests per second,
p50/p99 latency and the ratio app/trivial. Run through `make bench` (scripts/bench.sh), which
prepares the database (seed_demo + seed_bench) and the static files first.

    python bench/pages.py [--concurrency 8] [--seconds 10] [--max-requests 5000] [--targets channel,cms,trivial]
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
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def bench_session() -> str:
    """A logged-in session of the first benchmark member, made directly in the session store."""
    os.environ.update({k: v for k, v in server_env().items() if k not in os.environ})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username="bench-00000")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


async def _read_response(reader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
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
    return status, body


async def _worker(port, request: bytes, stop_at, budget, latencies, check):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            status, body = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200 or (check and not check(body)):
                raise RuntimeError(f"unexpected answer {status}: {body[:300]!r}")
    finally:
        writer.close()


async def measure(port, path, cookie, *, concurrency, seconds, max_requests, check=None) -> dict:
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
               + (f"Cookie: sessionid={cookie}\r\n" if cookie else "") + "\r\n").encode()
    warm = []
    await asyncio.gather(*[_worker(port, request, time.monotonic() + 5, [20], warm, check) for _ in range(2)])
    latencies, budget = [], [max_requests]
    started = time.perf_counter()
    await asyncio.gather(*[_worker(port, request, time.monotonic() + seconds, budget, latencies, check)
                           for _ in range(concurrency)])
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--targets", default="channel,cms,trivial",
                        help="comma-separated subset of channel, cms, trivial (app/trivial needs trivial)")
    args = parser.parse_args()
    targets = set(args.targets.split(","))
    if not targets or targets - {"channel", "cms", "trivial"}:
        parser.error("--targets takes channel, cms and/or trivial")
    options = {"concurrency": args.concurrency, "seconds": args.seconds, "max_requests": args.max_requests}
    cookie = bench_session()
    env = server_env()
    results = {}
    if targets & {"channel", "cms"}:
        with uvicorn("config.asgi:application", env) as port:
            if "channel" in targets:
                results["channel page (50 threads)"] = asyncio.run(measure(
                    port, CHANNEL_PATH, cookie, check=lambda body: body.count(b'class="lk-thread"') == 50, **options))
            if "cms" in targets:
                results["CMS page (/)"] = asyncio.run(measure(port, "/", None, **options))
    if "trivial" in targets:
        with uvicorn("bench.trivial_asgi:app", env) as port:
            results["trivial ASGI"] = asyncio.run(measure(port, "/", None, **options))
    trivial = results["trivial ASGI"]["rps"] if "trivial ASGI" in results else None
    print(f"\nPage throughput on uvicorn, 1 process, {args.concurrency} connections, "
          f"at most {args.seconds:g}s / {args.max_requests} requests each (loopback)")
    print(f"{'':28} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'app/trivial':>12}")
    for name, r in results.items():
        line = f"{name:28} {r['requests']:>9} {r['rps']:>9.1f} {r['p50']:>8.1f} {r['p99']:>8.1f}"
        if trivial:
            ratio = r["rps"] / trivial
            line += f" {ratio:>12.5f}  (1:{1 / ratio:,.0f})"
        print(line)


if __name__ == "__main__":
    main()
