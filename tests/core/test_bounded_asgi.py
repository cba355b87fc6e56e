"""config.asgi.BoundedASGIHandler: at most DJANGO_CONCURRENT_REQUESTS requests in Django's views at once."""

import asyncio
import os

from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse

from config.asgi import BoundedASGIHandler, get_bounded_asgi_application


def counting_views(handler):
    seen = {"inside": 0, "peak": 0, "served": 0}

    async def view(request):
        seen["inside"] += 1
        seen["peak"] = max(seen["peak"], seen["inside"])
        await asyncio.sleep(0.01)
        seen["inside"] -= 1
        seen["served"] += 1
        return HttpResponse("ok")

    handler.get_response_async = view
    return seen


async def test_eight_requests_at_once_enter_the_views_two_at_a_time_and_all_are_served():
    handler = BoundedASGIHandler(2)
    seen = counting_views(handler)
    responses = await asyncio.gather(*(handler.run_get_response(object()) for _ in range(8)))
    assert [r.content for r in responses] == [b"ok"] * 8
    assert seen["peak"] == 2 and seen["served"] == 8


async def test_a_failing_view_gives_its_slot_back():
    handler = BoundedASGIHandler(1)

    async def broken(request):
        raise RuntimeError("boom")

    handler.get_response_async = broken
    for _ in range(3):
        try:
            await asyncio.wait_for(handler.run_get_response(object()), timeout=1)
        except RuntimeError:
            pass
    assert not handler.slots.locked()


def test_the_bound_is_set_by_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_CONCURRENT_REQUESTS", "3")
    bounded = get_bounded_asgi_application()
    assert isinstance(bounded, BoundedASGIHandler) and bounded.slots._value == 3
    monkeypatch.setenv("DJANGO_CONCURRENT_REQUESTS", "0")
    assert type(get_bounded_asgi_application()) is ASGIHandler
    monkeypatch.delenv("DJANGO_CONCURRENT_REQUESTS")
    assert get_bounded_asgi_application().slots._value == (os.cpu_count() or 2)
