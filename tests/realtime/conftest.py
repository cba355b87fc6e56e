import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tests.factories import ChannelFactory, MembershipFactory, UserFactory


@pytest.fixture
def live_db(db, monkeypatch):
    """The consumer's queries run on the test's own connection, inside its transaction.

    Tests drive the consumer from a sync test through async_to_sync, so channels'
    database_sync_to_async runs its functions on the test thread. Channels closes "old"
    connections around each of them, which would close the test transaction's connection;
    channels' own test communicator patches the same function (channels/testing/application.py).
    """
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)
    yield
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        async_to_sync(layer.flush)()


@pytest.fixture
def channel(live_db):
    return ChannelFactory(name="Algemeen", circle__name="Kring Wmo", circle__slug="kring-wmo")


@pytest.fixture
def official(channel):
    return MembershipFactory(circle=channel.circle, user=UserFactory(username="anouk", profile__display_name="Anouk de Vries")).user


@pytest.fixture
def expert(channel):
    return MembershipFactory(
        circle=channel.circle, role="expert", user=UserFactory(username="bram", profile__display_name="Bram Jansen")
    ).user


@pytest.fixture
def facilitator(channel):
    return MembershipFactory(
        circle=channel.circle, role="facilitator", user=UserFactory(username="fatima", profile__display_name="Fatima El Amrani")
    ).user


@pytest.fixture
def outsider(live_db):
    return UserFactory(username="otto", profile__display_name="Otto Buiten")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`await commit(services.message_post, ...)`: call a service and run its on-commit events."""
    from tests.realtime.helpers import in_test_thread

    def committed(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    async def call(function, **kwargs):
        return await in_test_thread(committed)(function, **kwargs)

    return call
