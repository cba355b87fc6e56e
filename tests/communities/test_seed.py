"""The benchmark data command (tiny sizes) and the demo content."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from communities.models import Channel, Circle, Membership, Message

pytestmark = pytest.mark.django_db


def test_seed_bench_builds_consistent_threads(client):
    out = io.StringIO()
    call_command("seed_bench", members=40, circles=3, messages=600, channels_per_circle=2, stdout=out)
    assert "600 messages" in out.getvalue()
    assert Circle.objects.filter(slug__startswith="bench-").count() == 3
    assert Channel.objects.count() == 6
    assert Message.objects.count() == 600
    # Every reply sits in the thread and channel of its parent; roots know their latest message.
    for reply in Message.objects.filter(parent__isnull=False).select_related("parent"):
        assert reply.channel_id == reply.parent.channel_id
        assert reply.thread_id == (reply.parent.thread_id or reply.parent_id)
        assert reply.depth == reply.parent.depth + 1
    roots = Message.objects.filter(thread__isnull=True).annotate(latest=Max("thread_messages__id"), n_replies=Count("thread_messages"))
    for root in roots:
        assert root.last_message_id == (root.latest or root.pk)
        assert root.reply_count == root.n_replies
    # New messages get fresh ids after the explicit ones.
    assert Message.objects.create(channel=Channel.objects.first(), body_source="x", body_html="x").pk == 601
    # The benchmark member reads the first channel.
    client.login(username="bench-00000", password="leerkring-bench")
    response = client.get("/kringen/bench-000/kanalen/algemeen/")
    assert response.status_code == 200
    assert response.content.decode().count('class="lk-thread"') > 10
    # A second run changes nothing.
    call_command("seed_bench", members=40, circles=3, messages=600, stdout=io.StringIO())
    assert Message.objects.count() == 601


@pytest.mark.scaleout
def test_seed_bench_gives_postgresql_fresh_statistics():
    from django.db import connection

    call_command("seed_bench", members=40, circles=3, messages=600, channels_per_circle=2, stdout=io.StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Message._meta.db_table])
        [estimate] = cursor.fetchone()
    assert 500 < estimate < 700  # ANALYZE ran: the planner knows the messages are there


def test_seed_demo_is_idempotent_and_gives_each_demo_user_their_role(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    circle = Circle.objects.get(slug="slim-samenwerken")
    assert circle.join_policy == "request"
    roles = dict(Membership.objects.filter(circle=circle).values_list("user__username", "role"))
    assert roles == {"demo-facilitator": "facilitator", "demo-expert": "expert", "demo-member": "member",
                     "demo-member2": "member"}
    assert Circle.objects.get(slug="vitale-binnensteden").join_policy == "open"
    assert Message.objects.filter(channel__circle=circle, parent__isnull=False).count() >= 8
    assert Message.objects.filter(channel__circle=circle).count() == circle.channels.aggregate(
        n=Count("messages"))["n"]
    client.login(username="demo-member", password="leerkring-demo")
    page = client.get("/kringen/slim-samenwerken/kanalen/regionale-netwerkkracht/").content.decode()
    assert "Nieuwegein heeft in de U10" in page
    assert "Antwoord op" in page  # the fourth level is shown flat
