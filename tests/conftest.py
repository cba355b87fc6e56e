import os

import pytest

SCALEOUT = bool(os.environ.get("DATABASE_URL")) and bool(os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    skip_embedded = pytest.mark.skip(reason="scale-out lane only (needs DATABASE_URL and REDIS_URL)")
    for item in items:
        if "scaleout" in item.keywords and not SCALEOUT:
            item.add_marker(skip_embedded)
        _serialize_transactional(item)


def _serialize_transactional(item):
    """Every transactional test restores the rows data migrations made (Wagtail's root page,
    the editorial groups and workflow) when it ends.

    Mixing flushed and serialized transactional tests breaks the latter (content types are
    re-created by the flush and then clash with the serialized copy), so it is all or none.
    """
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or "transactional_db" in getattr(
        item, "fixturenames", ()
    )
    if transactional:
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    """Each test starts with an empty cache (rate limits) and private file storage."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storages = dict(settings.STORAGES)
    storages["private"] = {**storages["private"], "OPTIONS": {"location": tmp_path / "private", "base_url": None}}
    settings.STORAGES = storages
    from cms import generations
    from communities.channel_page import clear_process_cache
    from communities.templatetags import lk_memo

    cache.clear()
    generations.subscription.reset()  # a test before may have read them from another cache
    clear_process_cache()
    lk_memo.clear()
    yield
    cache.clear()


@pytest.fixture
def captured_events(monkeypatch):
    """Events as sent to the channel layer (after commit), like Zulip's capture_send_event_calls."""
    sent = []
    monkeypatch.setattr("communities.events.send_event_now", lambda group, event: sent.append((group, event)))
    return sent


@pytest.fixture(scope="session", autouse=True)
def _end_leftover_database_sessions(django_db_setup, django_db_blocker):
    """Lets pytest-django drop the PostgreSQL test database at the end.

    Connections opened in worker threads (asgiref's executor, Playwright helpers) or by a killed
    ASGI server process can outlive their tests; PostgreSQL refuses to drop a database that
    still has sessions, which leaves the test database behind with a warning.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
