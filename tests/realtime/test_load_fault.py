"""A short version of `make load-fault` (bench/loadfault.py): 20 WebSocket clients on two real
ASGI processes, a stream of HTTP posts for a few seconds, Redis restarted and then one ASGI
process crashed (SIGKILL) in the middle. Afterwards every committed message is held by every
client of its channel exactly once, compared with the database.

Redis here is a private redis-server on a free port started for this test, so restarting it
disturbs nothing else that uses the machine's Redis. PostgreSQL is the scale-out lane's test
database.
"""

import shutil

import pytest

from bench import loadfault
from tests.servers import server_env

pytestmark = [pytest.mark.scaleout, pytest.mark.crossprocess]


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = loadfault.PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def test_clients_recover_every_message_exactly_once_after_a_redis_restart_and_a_server_crash(
    transactional_db, private_redis
):
    plan = loadfault.prepare(clients=20, channels=2)
    report = loadfault.run(
        plan,
        env=server_env(),
        redis=private_redis,
        seconds=6,
        rate=5,
        fleets=1,
        faults=[(2.0, "redis"), (4.0, "asgi")],
        drain=10,
    )
    loadfault.print_report("Smoke fault run", report)

    assert [fault["kind"] for fault in report["faults"]] == ["redis", "asgi"]
    assert report["clients_reported"] == 20
    # Half of the clients were on the crashed process; they came back through reconnect + since.
    assert report["reconnects"] >= 10
    assert report["committed"] >= 20
    assert report["fleet_errors"] == []
    assert (report["missing"], report["duplicates"], report["unexpected"]) == (0, 0, 0)
    assert report["deliveries"] == report["committed"] * 10  # 10 clients per channel
