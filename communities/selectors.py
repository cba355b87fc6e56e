"""Reads shared by pages and the API, each with a fixed number of queries.

Thread lists use a cursor over `last_message_id` (the newest message id of a thread) plus a
snapshot: the highest message id when the first page was shown. A thread that gets a reply
while someone pages through the list keeps the place it had at the snapshot, so no thread is
skipped or shown twice; new activity shows on the first page at the next visit.
"""

from collections import defaultdict
from datetime import timedelta
from datetime import timezone as dt_timezone
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from django.db.models import Count, DateTimeField, F, Max, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from . import permissions
from .errors import InvalidInput, NotFound
from .models import Channel, Circle, Membership, Message, Notification, Profile, Reaction, ReadMarker, SavedItem

MAX_NESTING = 3  # deeper replies are shown flat, with "in reply to"
THREADS_PER_PAGE = 25  # the newest threads; "Older threads" loads the next ones (htmx: in place)
# The channel page shows a long thread as its starter and its newest replies, plus the replies
# that are new since the last visit up to a cap; the thread page shows everything.
LATEST_REPLIES_SHOWN = 3
NEW_REPLIES_SHOWN = 10
MESSAGES_PER_API_PAGE = 50
MAX_API_PAGE = 200


# --- SQL of the pages every member opens all the time -------------------------------------
# The circle, membership, channel, sidebar and reader queries of the channel page are written in
# SQL: building them through the ORM cost 0.3-1.9 ms of CPU each, several times what the database
# takes to answer them (bench/README.md). The columns come from the models.


@lru_cache(maxsize=None)
def _columns(model, alias: str) -> str:
    return ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields)


@lru_cache(maxsize=None)
def _attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _instance(model, values):
    values = list(values)
    for index in _aware_columns(model):  # SQLite gives naive UTC datetimes, as the ORM's converters would not
        if values[index] is not None and values[index].tzinfo is None:
            values[index] = values[index].replace(tzinfo=dt_timezone.utc)
    return model.from_db(connection.alias, _attnames(model), values)


@lru_cache(maxsize=None)
def _aware_columns(model) -> tuple[int, ...]:
    if not settings.USE_TZ:
        return ()
    return tuple(i for i, f in enumerate(model._meta.concrete_fields) if isinstance(f, DateTimeField))


def _among(ids) -> tuple[str, list]:
    """SQL for "is one of these ids" and its parameters: on PostgreSQL one array, as a parameter
    per id cost more CPU to send than the query takes."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return "= ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    return f"IN ({', '.join(['%s'] * len(ids)) or 'NULL'})", ids


# --- Circles ----------------------------------------------------------------------------


def circles_with_member_count(queryset=None):
    queryset = Circle.objects.all() if queryset is None else queryset
    return queryset.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=Membership.State.ACTIVE), distinct=True)
    )


def listed_circles():
    return circles_with_member_count(Circle.objects.listed()).order_by("name", "id")


def memberships_by_circle(user) -> dict[int, Membership]:
    if not getattr(user, "is_authenticated", False):
        return {}
    return {m.circle_id: m for m in Membership.objects.filter(user=user)}


def my_circles(user):
    if not getattr(user, "is_authenticated", False):
        return Circle.objects.none()
    return circles_with_member_count(
        Circle.objects.filter(memberships__user=user, memberships__state=Membership.State.ACTIVE)
    ).order_by("name")


def visible_circle(user, slug) -> Circle:
    """The circle if the user may see at least its public description; otherwise NotFound."""
    circle = Circle.objects.filter(slug=slug).first()
    if circle is None or not permissions.can_see_circle_description(user, circle):
        raise NotFound(_("This learning circle does not exist."))
    return circle


@dataclass
class ChannelFrame:
    """What every page of a channel needs before its messages, read in one query."""

    circle: Circle
    membership: Membership
    channel: Channel
    channels: list  # the circle's channels, with `last_read` and `unread` (channels_with_unread)
    unread_notifications: int  # the header's badge


def channel_frame(user, slug, channel_slug) -> ChannelFrame:
    """The circle with the user's active membership, its channels with their unread counts, the
    requested channel and the user's unread notifications. NotFound for anyone but a member."""
    widths = [len(_attnames(model)) for model in (Circle, Membership, Channel)]
    rows = _rows(
        f"SELECT {_columns(Circle, 'c')}, {_columns(Membership, 'm')}, {_columns(Channel, 'ch')}, "
        f"COALESCE(r.last_read_message_id, 0), {_UNREAD_IN_CHANNEL}, "
        f"(SELECT COUNT(*) FROM {_table(Notification)} n WHERE n.recipient_id = %s AND n.read_at IS NULL) "
        f"FROM {_table(Circle)} c "
        f"LEFT JOIN {_table(Membership)} m ON m.circle_id = c.id AND m.user_id = %s AND m.state = %s "
        f"LEFT JOIN {_table(Channel)} ch ON ch.circle_id = c.id "
        f"LEFT JOIN {_table(ReadMarker)} r ON r.channel_id = ch.id AND r.user_id = %s "
        "WHERE c.slug = %s ORDER BY ch.archived, ch.name",
        [user.pk, user.pk, user.pk, Membership.State.ACTIVE, user.pk, str(slug)],
    )
    if not rows or rows[0][widths[0]] is None:
        _remember_membership(user, _instance(Circle, rows[0][: widths[0]]) if rows else None, None)
        raise NotFound(_("This learning circle does not exist."))
    circle = _instance(Circle, rows[0][: widths[0]])
    membership = _instance(Membership, rows[0][widths[0]: widths[0] + widths[1]])
    _remember_membership(user, circle, membership)
    channels = []
    for row in rows:
        values = row[widths[0] + widths[1]: sum(widths)]
        if values[0] is not None:
            channel = _instance(Channel, values)
            channel.circle, channel.last_read, channel.unread = circle, row[-3], row[-2]
            channels.append(channel)
    current = next((channel for channel in channels if channel.slug == str(channel_slug)), None)
    if current is None:
        raise NotFound(_("This channel does not exist."))
    return ChannelFrame(circle=circle, membership=membership, channel=current, channels=channels,
                        unread_notifications=rows[0][-1])


def _remember_membership(user, circle, membership) -> None:
    """For permissions.active_membership, which would otherwise ask again."""
    if circle is not None and getattr(user, "is_authenticated", False):
        user.__dict__.setdefault("_lk_memberships", {})[circle.pk] = membership


def member_circle(user, slug) -> tuple[Circle, Membership]:
    """The circle and the user's active membership (one query); NotFound for anyone else."""
    width = len(_attnames(Circle))
    rows = _rows(
        f"SELECT {_columns(Circle, 'c')}, {_columns(Membership, 'm')} FROM {_table(Circle)} c "
        f"LEFT JOIN {_table(Membership)} m ON m.circle_id = c.id AND m.user_id = %s AND m.state = %s "
        "WHERE c.slug = %s",
        [getattr(user, "pk", None), Membership.State.ACTIVE, str(slug)],
    )
    if not rows:
        raise NotFound(_("This learning circle does not exist."))
    circle = _instance(Circle, rows[0][:width])
    membership = _instance(Membership, rows[0][width:]) if rows[0][width] is not None else None
    _remember_membership(user, circle, membership)
    if membership is None:
        raise NotFound(_("This learning circle does not exist."))
    return circle, membership


def circle_members(circle: Circle):
    return (
        Membership.objects.active()
        .filter(circle=circle)
        .select_related("user__profile")
        .order_by("role", "user__profile__display_name", "user_id")
    )


def role_order(memberships):
    """Facilitators first, then experts, then members."""
    rank = {Membership.Role.FACILITATOR: 0, Membership.Role.EXPERT: 1, Membership.Role.MEMBER: 2}
    return sorted(memberships, key=lambda m: (rank.get(m.role, 9), m.user.profile.display_name.lower()))


def pending_requests(circle: Circle):
    return (
        Membership.objects.filter(circle=circle, state=Membership.State.PENDING)
        .select_related("user__profile")
        .order_by("created_at")
    )


# --- Channels ---------------------------------------------------------------------------


# Messages of others after the reader's marker `r`, in channel `ch` (parameter: the reader's id).
_UNREAD_IN_CHANNEL = (
    f"(SELECT COUNT(*) FROM {Message._meta.db_table} um WHERE um.channel_id = ch.id "
    "AND um.id > COALESCE(r.last_read_message_id, 0) AND um.deleted_at IS NULL AND um.hidden_at IS NULL "
    "AND (um.author_id IS NULL OR um.author_id <> %s))"
)


def channels_with_unread(user, circle: Circle, *, include_archived: bool = True) -> list[Channel]:
    """The circle's channels, each with `last_read` and `unread` (messages of others after it)."""
    rows = _rows(
        f"SELECT {_columns(Channel, 'ch')}, COALESCE(r.last_read_message_id, 0), {_UNREAD_IN_CHANNEL} "
        f"FROM {_table(Channel)} ch LEFT JOIN {_table(ReadMarker)} r ON r.channel_id = ch.id AND r.user_id = %s "
        f"WHERE ch.circle_id = %s{'' if include_archived else ' AND NOT ch.archived'} ORDER BY ch.archived, ch.name",
        [user.pk, user.pk, circle.pk],
    )
    channels = []
    for *values, last_read, unread in rows:
        channel = _instance(Channel, values)
        channel.circle, channel.last_read, channel.unread = circle, last_read, unread
        channels.append(channel)
    return channels


# Timestamps come from the clocks of several app servers; an edit stamped a little before
# the message it is compared with may still have happened after it. Sending a few changes
# twice costs nothing (clients apply them idempotently); missing one leaves a stale message.
CHANGE_CLOCK_MARGIN = timedelta(seconds=5)


def messages_changed_up_to(channel_id: int, since: int, changed_after, limit: int) -> list[Message] | None:
    """Messages with id <= `since` edited, deleted or hidden after `changed_after` (less a margin
    for clocks of different app servers), oldest first: what a client that has had the channel
    up to `since` since that moment may show in an older state.

    None when more than `limit` changed (the client reloads instead).
    """
    after = changed_after - CHANGE_CLOCK_MARGIN
    changed = Message.objects.filter(channel_id=channel_id, pk__lte=since).filter(
        Q(edited_at__gt=after) | Q(deleted_at__gt=after) | Q(hidden_at__gt=after)
    )
    rows = list(changed.select_related("author__profile").order_by("pk")[: limit + 1])
    return None if len(rows) > limit else rows


def channel_unread(user, channel_id: int) -> int:
    """Unread messages of one channel, counted as channels_with_unread counts them."""
    last_read = ReadMarker.objects.filter(user=user, channel_id=channel_id).values_list("last_read_message_id", flat=True)
    return (
        Message.objects.filter(channel_id=channel_id, id__gt=Coalesce(Subquery(last_read[:1]), Value(0)))
        .filter(deleted_at__isnull=True, hidden_at__isnull=True)
        .exclude(author=user)
        .count()
    )


def channel_in_circle(circle: Circle, slug) -> Channel:
    rows = _rows(f"SELECT {_columns(Channel, 'c')} FROM {_table(Channel)} c WHERE c.circle_id = %s AND c.slug = %s",
                 [circle.pk, str(slug)])
    if not rows:
        raise NotFound(_("This channel does not exist."))
    channel = _instance(Channel, rows[0])
    channel.circle = circle
    return channel


def reader_marks(user, message_ids) -> tuple[dict[int, set[str]], set[int]]:
    """The user's reactions (kinds by message) and saved messages among these: one query."""
    if not message_ids:
        return {}, set()
    among, ids = _among(message_ids)
    rows = _rows(
        f"SELECT message_id, kind FROM {_table(Reaction)} WHERE user_id = %s AND message_id {among} "
        f"UNION ALL SELECT object_id, '' FROM {_table(SavedItem)} WHERE user_id = %s AND content_type_id = %s "
        f"AND object_id {among}",
        [user.pk, *ids, user.pk, ContentType.objects.get_for_model(Message).pk, *ids],
    )
    reactions, saved = {}, set()
    for message_id, kind in rows:
        if kind:
            reactions.setdefault(message_id, set()).add(kind)
        else:
            saved.add(message_id)
    return reactions, saved


# --- Threads ----------------------------------------------------------------------------


@dataclass
class ReactionCount:
    kind: str
    emoji: str
    label: str
    count: int
    mine: bool


@dataclass
class MessageNode:
    message: Message
    children: list = field(default_factory=list)
    reactions: list = field(default_factory=list)
    is_new: bool = False
    # "In reply to": set on replies shown flattened, or whose parent the page leaves out.
    in_reply_to_id: int | None = None
    in_reply_to_name: str | None = None  # None: a deleted participant
    parent_shown: bool = True  # False: "in reply to" links to the parent on the thread page
    author_role: str | None = None
    closes: range = range(0)  # how many </div></article> follow this node (flat rendering)


@dataclass
class ThreadView:
    root: Message
    nodes: list  # depth-first order, see MessageNode.closes
    has_new: bool
    key: int
    show_new_marker: bool = False  # the first thread with messages since the last visit
    reply_count: int = 0
    hidden_count: int = 0  # replies left to the thread page


@dataclass
class ThreadPage:
    threads: list
    snapshot: int
    next_cursor: str | None
    first_new_message_id: int | None


def _parse_thread_cursor(cursor) -> tuple[int, int] | None:
    if not cursor:
        return None
    try:
        snapshot, key = (int(part) for part in str(cursor).split("-"))
    except ValueError:
        raise InvalidInput(_("This page link is not valid. Start again from the newest threads."), code="invalid_cursor") from None
    if snapshot < 0 or key < 0:
        raise InvalidInput(_("This page link is not valid. Start again from the newest threads."), code="invalid_cursor")
    return snapshot, key


def reaction_counts(user, message_ids) -> dict[int, list[ReactionCount]]:
    rows = (
        Reaction.objects.filter(message_id__in=message_ids)
        .values("message_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user_id=getattr(user, "pk", None))))
        .order_by()
    )
    found = defaultdict(dict)
    for row in rows:
        found[row["message_id"]][row["kind"]] = (row["n"], row["mine"] > 0)
    kinds = _reaction_kinds()
    result = {}
    for message_id in message_ids:
        counts = found.get(message_id, {})
        result[message_id] = [ReactionCount(kind, emoji, label, *counts.get(kind, (0, False))) for kind, emoji, label in kinds]
    return result


def no_reactions() -> list[ReactionCount]:
    """Every reaction kind at zero: what a message that has just been posted shows."""
    return [ReactionCount(kind, emoji, label, 0, False) for kind, emoji, label in _reaction_kinds()]


def _reaction_kinds() -> list[tuple[str, str, str]]:
    labels = reaction_labels()
    return [(kind, str(emoji), labels[kind]) for kind, emoji in Reaction.Kind.choices]


def reaction_totals(message_id: int) -> list[dict]:
    """Every reaction kind of one message with its count, zeros included: what all its readers
    see alike (whether a reader reacted themselves is theirs alone, so it is not here)."""
    counts = dict(
        Reaction.objects.filter(message_id=message_id).values_list("kind").annotate(n=Count("id")).order_by()
    )
    return [{"kind": kind, "count": counts.get(kind, 0)} for kind in Reaction.Kind.values]


def reaction_labels() -> dict[str, str]:
    return {
        "thumbs_up": _("Agree"),
        "heart": _("Appreciate"),
        "idea": _("Insightful"),
        "thanks": _("Thanks"),
        "question": _("Question"),
    }


# Message fields a thread's HTML does not use (communities/thread_html.py).
NOT_SHOWN = ("body_source", "search_vector")


@dataclass
class ThreadRoots:
    roots: list  # each with `sort_key`: its place in the list
    snapshot: int
    next_cursor: str | None


def channel_thread_roots(channel: Channel, *, cursor=None, per_page: int | None = None) -> ThreadRoots:
    """The starters of one page of threads, newest activity first (see the module's docstring)."""
    per_page = per_page or THREADS_PER_PAGE
    parsed = _parse_thread_cursor(cursor)
    # Authors' names come from build_threads (one query on the profiles); the page shows the
    # HTML, so the Markdown source and the search vector stay in the database.
    roots_qs = Message.objects.filter(channel=channel, thread__isnull=True).defer(*NOT_SHOWN)
    if parsed is None:
        roots = list(roots_qs.order_by("-last_message_id")[: per_page + 1])
        snapshot = roots[0].last_message_id if roots else 0
    else:
        snapshot, key = parsed
        roots = list(
            roots_qs.filter(last_message_id__lte=snapshot, last_message_id__lt=key).order_by("-last_message_id")[
                : per_page + 1
            ]
        )
        # Threads with replies after the snapshot: their place is that of their last message at the snapshot.
        bumped = roots_qs.filter(last_message_id__gt=snapshot, id__lte=snapshot).annotate(
            key_at_snapshot=Coalesce(Max("thread_messages__id", filter=Q(thread_messages__id__lte=snapshot)), "id")
        ).filter(key_at_snapshot__lt=key)
        for root in bumped:
            root.last_message_id_at_snapshot = root.key_at_snapshot
            roots.append(root)
    for root in roots:
        root.sort_key = getattr(root, "last_message_id_at_snapshot", root.last_message_id)
    roots.sort(key=lambda r: r.sort_key, reverse=True)
    has_more = len(roots) > per_page
    roots = roots[:per_page]
    next_cursor = f"{snapshot}-{roots[-1].sort_key}" if has_more and roots else None
    return ThreadRoots(roots=roots, snapshot=snapshot, next_cursor=next_cursor)


def channel_threads(user, channel: Channel, *, cursor=None, last_read: int = 0, per_page: int | None = None) -> ThreadPage:
    found = channel_thread_roots(channel, cursor=cursor, per_page=per_page)
    threads = build_threads(user, found.roots, last_read=last_read, latest_replies=LATEST_REPLIES_SHOWN)
    first_new = next((n.message.pk for t in threads for n in t.nodes if n.is_new), None)
    first_new_thread = next((t for t in threads if t.has_new), None)
    if first_new_thread is not None:
        first_new_thread.show_new_marker = True
    return ThreadPage(threads=threads, snapshot=found.snapshot, next_cursor=found.next_cursor, first_new_message_id=first_new)


def build_threads(
    user, roots: list[Message], *, last_read: int = 0, latest_replies: int | None = None, replies: list | None = None
) -> list[ThreadView]:
    """The threads of these roots, a fixed number of queries whatever their number and size.

    With `latest_replies`, each thread keeps only its newest replies (see `thread_replies`);
    a reply whose parent is left out hangs under the starter with "in reply to". `replies`:
    the replies to show, when the caller has read them already.
    """
    if not roots:
        return []
    if replies is None:
        replies = thread_replies(roots, last_read=last_read, latest=latest_replies)
    everything = [*roots, *replies]
    reactions = reaction_counts(user, [m.pk for m in everything])
    by_id = {m.pk: m for m in everything}
    children = defaultdict(list)
    shown_replies = defaultdict(int)
    for reply in replies:
        children[reply.parent_id if reply.parent_id in by_id else reply.thread_id].append(reply)
        shown_replies[reply.thread_id] += 1
    author_ids = {m.author_id for m in everything if m.author_id}
    names = _display_names(author_ids | {m.parent_author_id for m in replies if m.parent_author_id})
    for message in everything:
        message.author_name = names.get(message.author_id)
    roles = dict(
        Membership.objects.active()
        .filter(circle__channels__id=roots[0].channel_id, user_id__in=author_ids)
        .values_list("user_id", "role")
    )
    me = getattr(user, "pk", None)
    threads = []
    for root in roots:
        nodes = []
        # Iterative depth-first walk; `extra` counts the ancestors whose containers close after this subtree.
        stack = [(root, 0)]
        while stack:
            message, extra = stack.pop()
            node = MessageNode(
                message=message,
                reactions=reactions[message.pk],
                is_new=bool(last_read) and message.pk > last_read and message.author_id != me,
                author_role=roles.get(message.author_id),
            )
            parent = by_id.get(message.parent_id)
            if message.parent_id and parent is None:
                node.in_reply_to_id, node.parent_shown = message.parent_id, False
                node.in_reply_to_name = names.get(message.parent_author_id)  # annotated by thread_replies
            elif message.depth > MAX_NESTING and parent is not None:
                node.in_reply_to_id, node.in_reply_to_name = parent.pk, parent.author_name
            kids = children.get(message.pk, [])
            node.children = kids
            if not kids:
                node.closes = range(1 + extra)
            else:
                stack.append((kids[-1], extra + 1))
                for kid in reversed(kids[:-1]):
                    stack.append((kid, 0))
            nodes.append(node)
        threads.append(
            ThreadView(
                root=root, nodes=nodes, has_new=any(n.is_new for n in nodes), key=getattr(root, "sort_key", 0),
                reply_count=root.reply_count, hidden_count=max(0, root.reply_count - shown_replies[root.pk]),
            )
        )
    return threads


def thread_replies(roots: list[Message], *, last_read: int, latest: int | None) -> list[Message]:
    """Replies of these threads, oldest first: all of them, or per thread the `latest` newest
    and, since the last visit, up to NEW_REPLIES_SHOWN newest (one query either way)."""
    # Authors' names come from _display_names: joining users and profiles here made PostgreSQL
    # scan the whole user table; the parent's author id is a join on the message's primary key.
    replies = (
        Message.objects.filter(thread_id__in=[r.pk for r in roots])
        .defer(*NOT_SHOWN)
        .annotate(parent_author_id=F("parent__author_id"))
    )
    if latest is None:
        return list(replies.order_by("id"))
    newest_first = Window(RowNumber(), partition_by=F("thread_id"), order_by=F("id").desc())
    keep = Q(rank__lte=latest)
    if last_read:
        keep |= Q(rank__lte=max(latest, NEW_REPLIES_SHOWN), id__gt=last_read)
    return list(
        replies.annotate(rank=newest_first)
        .filter(keep)
        .order_by("id")
    )


def _display_names(user_ids) -> dict[int, str]:
    """Display names by user id, one query on the profiles alone (None: a deleted participant)."""
    return dict(Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "display_name"))


def thread_root(channel: Channel, message_id) -> Message:
    root = (
        Message.objects.filter(channel=channel, pk=message_id, thread__isnull=True)
        .select_related("author__profile")
        .first()
    )
    if root is None:
        raise NotFound(_("This message does not exist."))
    return root


def message_in_circle(circle: Circle, channel_slug, message_id) -> Message:
    message = (
        Message.objects.filter(pk=message_id, channel__circle=circle, channel__slug=channel_slug)
        .select_related("channel", "author__profile")
        .first()
    )
    if message is None:
        raise NotFound(_("This message does not exist."))
    message.channel.circle = circle
    return message


def readable_message(user, message_id) -> Message:
    message = Message.objects.filter(pk=message_id).select_related("channel__circle", "author__profile").first()
    if message is None or not permissions.can_read_channel(user, message.channel):
        raise NotFound(_("This message does not exist."))
    return message


# --- Messages (API) ---------------------------------------------------------------------


def _parse_id_cursor(cursor) -> int | None:
    if cursor in (None, ""):
        return None
    try:
        value = int(cursor)
    except (TypeError, ValueError):
        raise InvalidInput(_("This page link is not valid. Start again from the newest threads."), code="invalid_cursor") from None
    if value < 1:
        raise InvalidInput(_("This page link is not valid. Start again from the newest threads."), code="invalid_cursor")
    return value


def channel_messages(user, channel: Channel, *, before=None, limit: int = MESSAGES_PER_API_PAGE):
    """Messages newest first; `before` is the cursor (an id). New messages only ever come before page one."""
    before = _parse_id_cursor(before)
    queryset = Message.objects.filter(channel=channel).select_related("author__profile").order_by("-id")
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    items = list(queryset[: limit + 1])
    has_more = len(items) > limit
    items = items[:limit]
    reactions = reaction_counts(user, [m.pk for m in items])
    return items, reactions, (str(items[-1].pk) if has_more else None)


# --- Audit log --------------------------------------------------------------------------


def audit_entries(circle: Circle):
    from .models import AuditEntry

    return AuditEntry.objects.filter(circle=circle).select_related("actor__profile", "target_user__profile").order_by("-id")


# --- Account deletion -------------------------------------------------------------------


def circles_only_led_by(user) -> list[Circle]:
    """Circles that would be left without a facilitator, while other members remain, if `user` left."""
    circles = []
    led = Membership.objects.active().filter(user=user, role=Membership.Role.FACILITATOR, circle__archived=False)
    for membership in led.select_related("circle"):
        others = Membership.objects.active().filter(circle_id=membership.circle_id).exclude(user=user)
        if others.exists() and not others.filter(role=Membership.Role.FACILITATOR).exists():
            circles.append(membership.circle)
    return circles
