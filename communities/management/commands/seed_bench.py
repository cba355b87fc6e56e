"""Build the benchmark data set of DESIGN.md: 10,000 members, 200 circles, 200,000 messages.

Bulk inserts with ids assigned here (so replies can point at their parents within one batch),
one password hash shared by all benchmark users, and a small pool of pre-rendered message
bodies: minutes, not hours. Sizes are parameters, so tests run it tiny.

The first benchmark user (`bench-00000@bench.leerkring.example`, password `leerkring-bench`)
is a member of the first circle, whose first channel (`/kringen/bench-000/kanalen/algemeen/`)
holds at least 50 threads when there are enough messages: the page the benchmark reads.
"""

import random
import time
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from communities.models import Channel, Circle, Membership, Message, Profile, Reaction, ReadMarker
from communities.rendering import render_markdown
from communities.search_vectors import refresh_message_vectors

BENCH_PASSWORD = "leerkring-bench"
BENCH_DOMAIN = "bench.leerkring.example"
BATCH = 2000

SENTENCES = [
    "Hoe betrekken jullie de gemeenteraad bij besluiten in de regio?",
    "In onze regio werken we met een gezamenlijke **investeringsagenda**.",
    "Wij hebben goede ervaringen met een vaste regiotafel voor wethouders.",
    "Wat is jullie ervaring met *netwerksturing* in het sociaal domein?",
    "De U10 heeft een mooie handreiking voor samenwerkingsafspraken.",
    "Zie ook het rapport over middelgrote steden: https://www.platform31.nl",
    "Ik denk dat je het beste kunt beginnen bij de eigen identiteit van de gemeente.",
    "Goed punt! Dat herken ik uit onze eigen praktijk.",
    "- woningbouw\n- bereikbaarheid\n- werklocaties",
    "Kunnen we dit als casus inbrengen bij de volgende bijeenkomst?",
    "Dank voor het delen, ik neem het mee naar ons team.",
    "Welke rol speelt de provincie bij jullie?",
]


def _bodies(rng: random.Random, count: int) -> list[tuple[str, str]]:
    pool = []
    for _ in range(count):
        source = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
        pool.append((source, render_markdown(source)))
    return pool


@contextmanager
def _own_timestamps(*models):
    """Let bulk inserts keep the created_at values set here (auto_now_add would overwrite them)."""
    fields = [m._meta.get_field("created_at") for m in models]
    saved = [f.auto_now_add for f in fields]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in zip(fields, saved):
            field.auto_now_add = value


class Command(BaseCommand):
    help = "Create the benchmark data set (members, circles, channels, threaded messages)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10_000)
        parser.add_argument("--circles", type=int, default=200)
        parser.add_argument("--messages", type=int, default=200_000)
        parser.add_argument("--channels-per-circle", type=int, default=3)
        parser.add_argument("--thread-size", type=int, default=5, help="average messages per thread")
        parser.add_argument("--seed", type=int, default=31)

    def handle(self, *args, members, circles, messages, channels_per_circle, thread_size, seed, **options):
        User = get_user_model()
        if User.objects.filter(username="bench-00000").exists():
            self.stdout.write("The benchmark data set is already there; nothing to do.")
            return
        if min(members, circles, channels_per_circle, thread_size) < 1 or messages < 0:
            raise CommandError("Sizes must be positive.")
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic(), _own_timestamps(Message, Membership):
            users = self._users(User, members)
            circle_list, channels = self._circles(circles, channels_per_circle)
            members_of = self._memberships(rng, users, circle_list)
            count = self._messages(rng, channels, members_of, messages, thread_size)
            self._extras(rng, users, channels)
            self._reset_sequences()
            # Bulk inserts go around the services, which keep the search vectors.
            refresh_message_vectors(Message.objects.filter(channel__in=channels))
        self._analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Benchmark data: {len(users)} members, {len(circle_list)} circles, {len(channels)} channels, "
                f"{count} messages in {time.monotonic() - started:.0f}s. "
                f"Log in as bench-00000@{BENCH_DOMAIN} / {BENCH_PASSWORD}."
            )
        )

    def _users(self, User, count):
        from allauth.account.models import EmailAddress

        password = make_password(BENCH_PASSWORD)
        User.objects.bulk_create(
            [User(username=f"bench-{i:05d}", email=f"bench-{i:05d}@{BENCH_DOMAIN}", password=password) for i in range(count)],
            batch_size=BATCH,
        )
        users = list(User.objects.filter(username__startswith="bench-").order_by("username").values_list("pk", flat=True))
        Profile.objects.bulk_create(
            [Profile(user_id=pk, display_name=f"Deelnemer {i}", organisation=f"Gemeente {i % 350}") for i, pk in enumerate(users)],
            batch_size=BATCH,
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user_id=pk, email=f"bench-{i:05d}@{BENCH_DOMAIN}", verified=True, primary=True)
             for i, pk in enumerate(users)],
            batch_size=BATCH,
        )
        self.stdout.write(f"  {len(users)} members")
        return users

    def _circles(self, count, per_circle):
        Circle.objects.bulk_create(
            [Circle(name=f"Benchkring {i}", slug=f"bench-{i:03d}", description="Een kring voor de benchmark.",
                    join_policy=Circle.JoinPolicy.REQUEST) for i in range(count)],
            batch_size=BATCH,
        )
        circle_list = list(Circle.objects.filter(slug__startswith="bench-").order_by("slug"))
        names = ["Algemeen", "Casuïstiek", "Kennisagenda", "Regio", "Wonen", "Zorg"]
        Channel.objects.bulk_create(
            [Channel(circle=c, name=names[k % len(names)] + ("" if k < len(names) else f" {k}"),
                     slug=(names[k % len(names)] + ("" if k < len(names) else f"-{k}")).lower().replace("ï", "i"))
             for c in circle_list for k in range(per_circle)],
            batch_size=BATCH,
        )
        channels = list(Channel.objects.filter(circle__in=circle_list).order_by("circle__slug", "id"))
        self.stdout.write(f"  {len(circle_list)} circles, {len(channels)} channels")
        return circle_list, channels

    def _memberships(self, rng, users, circle_list):
        """Every member in one to three circles; the first member facilitates the first circle."""
        members_of = {c.pk: [] for c in circle_list}
        rows = []
        now = timezone.now()
        for i, user_id in enumerate(users):
            chosen = {circle_list[i % len(circle_list)]}
            for _ in range(rng.randint(0, 2)):
                chosen.add(rng.choice(circle_list))
            for circle in chosen:
                role = Membership.Role.FACILITATOR if i < len(circle_list) else (
                    Membership.Role.EXPERT if rng.random() < 0.05 else Membership.Role.MEMBER)
                rows.append(Membership(user_id=user_id, circle=circle, role=role, state=Membership.State.ACTIVE,
                                       created_at=now))
                members_of[circle.pk].append(user_id)
        Membership.objects.bulk_create(rows, batch_size=BATCH)
        self.stdout.write(f"  {len(rows)} memberships")
        return members_of

    def _messages(self, rng, channels, members_of, total, thread_size):
        pool = _bodies(rng, 300)
        next_id = (Message.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        start = timezone.now() - timedelta(days=180)
        step = timedelta(days=180) / max(total, 1)
        per_channel = [total // len(channels)] * len(channels)
        for k in range(total - sum(per_channel)):
            per_channel[k] += 1
        pending, written, clock = [], 0, 0
        for channel, amount in zip(channels, per_channel):
            authors = members_of[channel.circle_id]
            roots, threads = [], []
            for n in range(amount):
                clock += 1
                created = start + step * clock
                source, html = rng.choice(pool)
                author = rng.choice(authors)
                if not threads or rng.random() < 1 / thread_size:
                    message = Message(id=next_id, channel_id=channel.pk, author_id=author, depth=0, body_source=source,
                                      body_html=html, created_at=created, last_activity_at=created, last_message_id=next_id)
                    roots.append(message)
                    threads.append([message])
                else:
                    thread = rng.choice(threads[-8:])  # recent threads get the replies
                    root = thread[0]
                    parent = rng.choice([m for m in thread if m.depth < 6])
                    message = Message(id=next_id, channel_id=channel.pk, author_id=author, parent_id=parent.pk,
                                      thread_id=root.pk, depth=parent.depth + 1, body_source=source, body_html=html,
                                      created_at=created)
                    thread.append(message)
                    root.last_message_id, root.last_activity_at = next_id, created
                    root.reply_count += 1
                next_id += 1
                pending.append(message)
            if len(pending) >= BATCH * 5:
                written += self._flush(pending)
        written += self._flush(pending)
        self.stdout.write(f"  {written} messages")
        return written

    def _flush(self, pending) -> int:
        count = len(pending)
        if pending:
            Message.objects.bulk_create(pending, batch_size=BATCH)
            pending.clear()
        return count

    def _extras(self, rng, users, channels):
        """Some reactions on the first circle's messages, and read markers for its first member."""
        first_channels = [c for c in channels if c.circle_id == channels[0].circle_id]
        ids = list(Message.objects.filter(channel__in=first_channels).values_list("id", flat=True))
        reactions = {(rng.choice(ids), rng.choice(users[:50]), rng.choice(Reaction.Kind.values)) for _ in range(len(ids) // 3)} if ids else set()
        Reaction.objects.bulk_create([Reaction(message_id=m, user_id=u, kind=k) for m, u, k in reactions],
                                     batch_size=BATCH, ignore_conflicts=True)
        for channel in first_channels:
            last = Message.objects.filter(channel=channel).order_by("-id").values_list("id", flat=True)[20:21]
            if last:
                ReadMarker.objects.create(user_id=users[0], channel=channel, last_read_message_id=last[0])

    def _analyze(self):
        """Fresh planner statistics: without them PostgreSQL plans the bulk-filled tables as the
        empty ones they were (sequential scans of all messages) until autovacuum comes by."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), [Message])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
