"""Real ASGI server processes for cross-process and browser tests (loopback only)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**extra) -> dict:
    """Environment for a server process that shares the test database and channel layer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    db = connection.settings_dict
    env["LEERKRING_TESTING"] = "1"
    env["DEBUG"] = "1"
    if db["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL  # the test process's own (per xdist worker) database
        env["CHANNEL_LAYER_PREFIX"] = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]  # ... and prefix
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextlib.contextmanager
def asgi_server(port: int | None = None, env: dict | None = None, timeout: float = 30.0):
    """Start `uvicorn config.asgi:application` on 127.0.0.1:<port>; yields the base URL."""
    port = port or free_port()
    process = start_asgi_server(port, env)
    try:
        wait_for_port(port, timeout, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def start_asgi_server(port: int, env: dict | None = None) -> subprocess.Popen:
    uvicorn = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
               "--port", str(port), "--lifespan", "off", "--log-level", "warning"]
    return subprocess.Popen(uvicorn, cwd=ROOT, env=env or server_env())


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"server on port {port} did not start within {timeout}s")


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


