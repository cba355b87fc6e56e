"""In-process cost of rendering the channel page (see bench/README.md, "Channel page rendering").

    LEERKRING_TESTING=1 .venv/bin/python bench/channel_render.py [--threads 60] [--runs 20] [--profile]

Builds a throw-away test database (var/bench-render.sqlite3, or test_... on DATABASE_URL) with one channel
of `--threads` threads of a starter and four replies (nested, several authors, some reactions),
signs in as a facilitator with Django's test client and requests the channel page `--runs` times
after two warm-up requests (the first fills the message cache). Prints ms per page and per message shown
(wall clock and this process's CPU time, which other work on the machine disturbs less), the number of messages shown and the HTML size; `--profile` adds cProfile's top functions.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LEERKRING_TESTING", "1")


def build(threads: int):
    from communities.models import Membership, Message, Reaction
    from tests.factories import ChannelFactory, CircleFactory, MembershipFactory, MessageFactory, UserFactory

    circle = CircleFactory(slug="bench-render")
    channel = ChannelFactory(circle=circle, slug="algemeen")
    reader = UserFactory(username="reader")
    MembershipFactory(user=reader, circle=circle, role=Membership.Role.FACILITATOR)
    authors = [MembershipFactory(circle=circle, role=role).user for role in ("member", "expert", "member", "member")]
    body = "Hoe pakken jullie dit aan? Wij werken met **regionale tafels** en een [gedeelde agenda](https://example.org)."
    html = "<p>Hoe pakken jullie dit aan? Wij werken met <strong>regionale tafels</strong> en een <a href=\"https://example.org\" rel=\"nofollow noopener noreferrer\">gedeelde agenda</a>.</p>"
    for n in range(threads):
        root = MessageFactory(channel=channel, author=authors[n % 4], body_source=body, body_html=html)
        parent = root
        for depth in range(1, 5):
            author = reader if depth == 2 else authors[(n + depth) % 4]
            parent = MessageFactory(channel=channel, author=author, parent=parent if depth < 3 else root,
                                    thread=root, depth=depth if depth < 3 else 1, body_source=body, body_html=html)
        Message.objects.filter(pk=root.pk).update(last_message_id=parent.pk, reply_count=4)
        Reaction.objects.create(message=root, user=authors[1], kind="idea")
        Reaction.objects.create(message=root, user=reader, kind="thumbs_up")
    return reader, channel


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keepdb", action="store_true", help="keep the database for the next run")
    parser.add_argument("--dump", help="write the page's HTML to this file")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    if connection.vendor == "sqlite":  # not the test suite's database file
        connection.settings_dict["TEST"]["NAME"] = str(settings.BASE_DIR / "var" / "bench-render.sqlite3")
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    try:
        from communities.models import Channel
        from django.contrib.auth import get_user_model

        channel = Channel.objects.filter(circle__slug="bench-render").first()
        if channel is None:
            reader, channel = build(args.threads)
        else:
            reader = get_user_model().objects.get(username="reader")
        client = Client()
        client.force_login(reader)
        url = channel.get_absolute_url()
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        html = response.content.decode()
        if args.dump:
            Path(args.dump).write_text(html)
        shown = html.count('<article class="lk-message')
        profiler = cProfile.Profile() if args.profile else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        for _ in range(args.runs):
            client.get(url)
        if profiler:
            profiler.disable()
        per_page = (time.perf_counter() - started) * 1000 / args.runs
        cpu_per_page = (time.process_time() - cpu_started) * 1000 / args.runs
        threads = html.count('<article class="lk-thread"')
        print(f"{threads} threads, {shown} messages shown, {len(response.content):,} bytes of HTML")
        print(f"{per_page:.1f} ms per page, {per_page / max(shown, 1):.3f} ms per message shown (wall clock)")
        print(f"{cpu_per_page:.1f} ms CPU per page, {cpu_per_page / max(shown, 1):.3f} ms CPU per message shown")
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
