from django.urls import path, re_path

from .consumers import LiveConsumer, UnknownPathConsumer

websocket_urlpatterns = [
    path("ws/", LiveConsumer.as_asgi()),
    re_path(r"", UnknownPathConsumer.as_asgi()),  # without it Channels raises "No route found" (a traceback)
]
