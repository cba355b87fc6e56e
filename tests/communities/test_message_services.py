import pytest

from communities import services
from communities.errors import Conflict, InvalidInput, NotFound
from communities.models import Membership, Message
from tests.factories import ChannelFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return ChannelFactory()


@pytest.fixture
def official(channel):
    return MembershipFactory(circle=channel.circle, user=UserFactory(username="anouk")).user


def test_reply_joins_the_thread_and_bumps_its_activity(channel, official):
    root = services.message_post(author=official, channel=channel, body="Wie heeft ervaring met de U10?")
    reply = services.message_post(author=official, channel=channel, body="Ik!", parent=root)
    deeper = services.message_post(author=official, channel=channel, body="Ik ook", parent=reply)
    root.refresh_from_db()
    assert (reply.thread_id, deeper.thread_id, deeper.depth) == (root.pk, root.pk, 2)
    assert root.reply_count == 2


def test_events_are_sent_only_after_commit(django_capture_on_commit_callbacks, channel, official, captured_events):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.message_post(author=official, channel=channel, body="Hallo")
    assert captured_events == []
    for callback in callbacks:
        callback()
    [(group, event)] = captured_events
    assert group == f"channel-{channel.pk}"
    assert event["type"] == "message.created"
    assert event["message"]["html"] == "<p>Hallo</p>"


@pytest.mark.parametrize("body", ["", "   ", "x" * 20_001, 42, None])
def test_bad_bodies_are_refused_and_nothing_is_stored(channel, official, body):
    with pytest.raises(InvalidInput):
        services.message_post(author=official, channel=channel, body=body)
    assert not Message.objects.exists()


def test_reply_to_a_message_in_another_channel_is_refused(channel, official):
    other_channel = ChannelFactory(circle=channel.circle)
    elsewhere = services.message_post(author=official, channel=other_channel, body="Elders")
    with pytest.raises(InvalidInput):
        services.message_post(author=official, channel=channel, body="Antwoord", parent=elsewhere)
    assert Message.objects.count() == 1


def test_locked_channel_refuses_posts(channel, official):
    channel.locked = True
    channel.save()
    with pytest.raises(Conflict):
        services.message_post(author=official, channel=channel, body="Hallo")


def test_outsider_and_removed_member_get_not_found(channel):
    outsider = UserFactory()
    removed = MembershipFactory(circle=channel.circle, state=Membership.State.REMOVED).user
    for user in (outsider, removed):
        with pytest.raises(NotFound):
            services.message_post(author=user, channel=channel, body="Hallo")


def test_mentions_link_to_member_profiles_and_script_never_survives(channel, official):
    message = services.message_post(author=official, channel=channel, body="Dank @anouk <script>alert(1)</script>")
    assert f'href="/leden/{official.pk}/"' in message.body_html
    assert "<script>" not in message.body_html


def test_delete_keeps_the_row_and_edit_marks_edited(channel, official):
    message = services.message_post(author=official, channel=channel, body="Eerste versie")
    edited = services.message_edit(editor=official, message=message, body="Tweede versie")
    assert edited.edited_at is not None and "Tweede versie" in edited.body_html
    deleted = services.message_delete(actor=official, message=message)
    assert deleted.deleted_at is not None and deleted.body_html == ""
    assert Message.objects.filter(pk=message.pk).exists()
