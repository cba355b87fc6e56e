"""The scale-out lane really talks to PostgreSQL and Redis (skipped only on the embedded lane)."""

import asyncio
import uuid

import pytest
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.scaleout


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.mark.django_db
def test_a_query_run_three_times_on_a_connection_is_prepared_by_postgresql():
    """The page queries are planned once per pooled connection, not once per request."""
    from django.contrib.auth import get_user_model

    for _ in range(3):
        list(get_user_model().objects.filter(username="anouk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "auth_user" WHERE "auth_user"."username" = $1' in statement for statement in prepared)


def test_cache_is_redis():
    key = f"probe-{uuid.uuid4()}"
    cache.set(key, "hallo", 10)
    assert cache.get(key) == "hallo"
    from django.core.cache import caches

    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)


def test_cache_objects_of_all_threads_and_tasks_share_one_connection_pool():
    import threading

    from django.core.cache import caches

    pools = []

    def use_cache():
        caches["default"].get("probe")
        pools.append(caches["default"]._cache._get_connection_pool(write=False))

    threads = [threading.Thread(target=use_cache) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(pool) for pool in pools}) == 1


async def test_channel_layer_round_trip_through_redis():
    layer = get_channel_layer()
    from channels_redis.core import RedisChannelLayer
    from channels_redis.pubsub import RedisPubSubChannelLayer

    # communities.layers.ResumingPubSubChannelLayer (the default) is a RedisPubSubChannelLayer.
    assert isinstance(layer, (RedisPubSubChannelLayer, RedisChannelLayer))
    channel = await layer.new_channel()
    group = f"probe-{uuid.uuid4().hex}"
    await layer.group_add(group, channel)
    try:
        await layer.group_send(group, {"type": "probe.message", "text": "hallo"})
        message = await asyncio.wait_for(layer.receive(channel), timeout=5)
    finally:
        await layer.group_discard(group, channel)
    assert message == {"type": "probe.message", "text": "hallo"}
