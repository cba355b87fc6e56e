"""channels-redis's pub/sub layer, plus one signal: "the connection to Redis was lost and is back".

Redis pub/sub keeps nothing for a subscriber that is not connected. When Redis restarts (or the
connection drops), every event published until this process has subscribed again is lost, while
the browsers' WebSockets to this process stay open: the clients cannot notice the gap and so
cannot catch up with `since` (bench/loadfault.py's fault run showed exactly that).

This layer notices every reconnect of its subscriber connection (redis-py re-subscribes in
`PubSub.on_connect`) and then puts a `leerkring.layer_resumed` message on the queue of every
consumer of this process. The consumer answers it by reading, for each channel it follows,
what was committed after the newest message it sent (communities/consumers.py), exactly as a
reconnecting client's `subscribe` with `since` would. Because the signal comes *after* the
subscriptions are back, whatever commits later arrives live and whatever committed before is
in the database: nothing falls in between.

Publishing: redis-py drops a pooled connection that Redis closed only when a command fails on
it, so the first `group_send` after a restart would fail. config/settings.py gives the layer's
connections a short retry (reconnect and send again) for that.
"""

import logging

from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close, create_pool, decode_hosts
from redis import asyncio as aioredis
from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)

RESUMED_TYPE = "leerkring.layer_resumed"


class _ResumingPubSub(PubSub):
    def __init__(self, *args, on_resumed, **kwargs):
        super().__init__(*args, **kwargs)
        self._on_resumed = on_resumed

    async def on_connect(self, connection):
        # redis-py calls this on every connect after the first (it registers the callback once
        # the first connection is made); announcing a first connect would only cost a no-op.
        await super().on_connect(connection)  # subscribes again to every channel and group
        self._on_resumed()


class _ResumingShardConnection(RedisSingleShardConnection):
    def _ensure_redis(self):
        if self._redis is None:
            pool = create_pool(self.host)
            self._redis = aioredis.Redis(connection_pool=pool)
            self._pubsub = _ResumingPubSub(connection_pool=pool, on_resumed=self.channel_layer.announce_resumed)


class _ResumingLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, hosts=None, *args, **kwargs):
        super().__init__(hosts, *args, **kwargs)
        self._shards = [_ResumingShardConnection(host, self) for host in decode_hosts(hosts)]

    def announce_resumed(self):
        logger.warning("channel layer: connection to Redis is back; %d consumers catch up", len(self.channels))
        message = self.channel_layer.serialize({"type": RESUMED_TYPE})
        for queue in list(self.channels.values()):
            queue.put_nowait(message)


class ResumingPubSubChannelLayer(RedisPubSubChannelLayer):
    """RedisPubSubChannelLayer whose consumers hear when the Redis connection came back."""

    def _get_layer(self):
        import asyncio

        loop = asyncio.get_running_loop()
        try:
            layer = self._layers[loop]
        except KeyError:
            layer = _ResumingLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            self._layers[loop] = layer
            _wrap_close(self, loop)
        return layer
