"""Django's Redis cache with one connection pool per process.

Django makes a cache object, and with it a redis-py connection pool, per thread and per asyncio
task (django.core.cache.caches is context-local). Under ASGI every request runs in a context of
its own, so every request that touched the cache opened a new TCP connection to Redis (and left
it to the garbage collector). redis-py's pools are thread-safe: here all cache objects with the
same servers and options share one.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ProcessPoolClient(RedisCacheClient):
    _shared: dict = {}
    _lock = threading.Lock()

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        with self._lock:
            self._pools = self._shared.setdefault((tuple(servers), repr(sorted(options.items()))), {})

    def _get_connection_pool(self, write):
        with self._lock:  # two threads must not each make the pool of one index
            return super()._get_connection_pool(write)


class ProcessRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ProcessPoolClient

    def clear(self):
        """Empties the cache, and every process forgets the generations it read (cms.generations)."""
        emptied = super().clear()
        from cms import generations

        generations.cache_emptied()
        return emptied
