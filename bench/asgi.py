"""The app's ASGI application plus one bare route for bench/fanout.py's baseline.

/bench/bare/ is the least the stack can do: a Channels consumer that joins one group and
writes every group message to its socket (no auth, no checks, no per-message hop to the
sync thread). The fan-out benchmark
compares the app's /ws/ delivery with it on the same server processes. Never deployed.
"""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

from config.asgi import application as app

BARE_GROUP = "bench-bare"


class BareConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(BARE_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        try:
            await self.channel_layer.group_discard(BARE_GROUP, self.channel_name)
        except Exception:  # the list layer's pool runs dry when 200 sockets leave at once
            pass

    async def dispatch(self, message):
        # Like LiveConsumer, skip Channels' per-message close_old_connections() hop: the
        # baseline must be the least the stack can do, not slower than the app.
        if message["type"] == "bench.bare":
            await self.bench_bare(message)
        else:
            await super().dispatch(message)

    async def bench_bare(self, message):
        await self.send(text_data=json.dumps(message["event"], ensure_ascii=False))


bare = BareConsumer.as_asgi()


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"] == "/bench/bare/":
        return await bare(scope, receive, send)
    return await app(scope, receive, send)
