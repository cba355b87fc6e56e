"""The threads of a channel page: HTML shared by every reader, with each reader's part laid over it.

Most of a channel page is the same for everyone who may post there: the messages, their
authors, times, reaction counts and the structure of the threads. That part is built once per
version of the channel (Channel.content_version, communities/content_versions.py) and kept in
the cache (one entry per page, tagged with the version it shows; the last few also in the
process) as a list of HTML parts, one part per message, rendered for a reader who wrote,
reacted to and saved none of them and has seen them all. Per request only the reader's own
messages, reactions, saved messages and messages new to them are rendered again (one query for
their reactions and saved items on the page), and the CSRF token is put in.

A reader with more than LATEST_REPLIES_SHOWN new replies in a thread sees those replies too
(selectors.thread_replies), so the structure differs: such a page is built for them alone, as
before. Opening the page moves their read marker, so the next visit is a shared one again.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.memo import CSRF_SLOT, SLOT_TAG, ProcessMemo, csrf_token

from . import selectors
from .notifications.saved import saved_ids
from .thread_html import ThreadRenderer, relative_base, shared_fragments

CACHE_SECONDS = 7 * 24 * 3600


@dataclass
class SharedPage:
    # UTF-8 HTML: a message's part is its default rendering, an empty part precedes each thread.
    # Bytes, as a page with emoji in a str takes four bytes a character to join, search and encode.
    parts: list
    messages: dict  # message id -> (part index, MessageNode, root id, shared fragments, author id)
    threads: list  # (index of the empty part before the thread, its message ids in page order)
    newest_left_out: dict  # root id -> id of the newest reply the shared page leaves out
    snapshot: int
    next_cursor: str | None
    version: int  # the channel's content_version it shows


@dataclass
class ReaderPage:
    html: bytes  # UTF-8
    snapshot: int
    next_cursor: str | None
    first_new_message_id: int | None
    message_ids: list


_recent = ProcessMemo(size=64)  # a hit skips the cache server and unpickling


# Where the threads go in the rendered page (`respond`).
THREADS_SLOT = mark_safe(f"<!--lk-threads-{CSRF_SLOT.removeprefix('csrf-')}-->")


def clear_process_cache() -> None:
    """Forget this process's shared pages (tests; the cache server's are cleared with the cache)."""
    _recent.clear()


def _context(request, *, channel_url, member_base, can_post, is_facilitator):
    """What the shared HTML is rendered with: no reader, nothing saved, the CSRF slot."""
    return {"request": request, "user": None, "csrf_token": CSRF_SLOT, "channel_url": channel_url,
            "member_base": member_base, "can_post": can_post, "is_facilitator": is_facilitator, "saved_ids": frozenset()}


def _shared_key(channel, cursor, base, can_post, is_facilitator) -> str:
    """One entry per channel page and kind of reader; the entry says which version it shows."""
    language = get_language() or settings.LANGUAGE_CODE
    # The creation time tells this channel from one with the same id in another database
    # (a database made anew next to a cache server that kept its entries; a test's rolled back one).
    created = int(channel.created_at.timestamp() * 1_000_000)
    return (f"lk-channel-page:4:{SLOT_TAG}:{channel.pk}.{created}:{cursor or '-'}:{language}:"
            f"{timezone.get_current_timezone_name()}:{base}:{can_post:d}{is_facilitator:d}")


def _build_shared(channel, cursor, context) -> SharedPage:
    found = selectors.channel_thread_roots(channel, cursor=cursor)
    latest = selectors.LATEST_REPLIES_SHOWN
    replies = selectors.thread_replies(found.roots, last_read=0, latest=latest + 1)
    newest_left_out = {reply.thread_id: reply.pk for reply in replies if reply.rank > latest}
    shown = [reply for reply in replies if reply.rank <= latest]
    threads = selectors.build_threads(None, found.roots, replies=shown)
    renderer = ThreadRenderer(context)
    fragments = shared_fragments([node.message for thread in threads for node in thread.nodes], renderer.labels)
    parts, messages, thread_index = [], {}, []
    for thread in threads:
        thread_index.append((len(parts), [node.message.pk for node in thread.nodes]))
        parts.append("")
        slots = {}
        offset = len(parts)
        parts.extend(renderer.thread_parts(thread, fragments, slots))
        for node in thread.nodes:
            messages[node.message.pk] = (offset + slots[node.message.pk], _detached(node), thread.root.pk,
                                         fragments[node.message.pk], node.message.author_id)
    return SharedPage(parts=[part.encode() for part in parts], messages=messages, threads=thread_index,
                      newest_left_out=newest_left_out, snapshot=found.snapshot, next_cursor=found.next_cursor,
                      version=channel.content_version)


def _detached(node):
    """The node without what the cache need not keep (the message's children, its unused fields)."""
    message = node.message
    kept = message.__class__(
        pk=message.pk, author_id=message.author_id, parent_id=message.parent_id, depth=message.depth,
        deleted_at=message.deleted_at, hidden_at=message.hidden_at, edited_at=message.edited_at,
    )
    kept.author_name = getattr(message, "author_name", None)
    return replace(node, message=kept, children=[])


def shared_page(request, channel, *, cursor, context) -> SharedPage:
    """The shared HTML of this version of the page: from this process, else from the cache
    server (one entry per page, so old versions take no room), else built and stored."""
    base = relative_base(request, context["channel_url"])
    key = _shared_key(channel, cursor, base, context["can_post"], context["is_facilitator"])
    version = channel.content_version
    page = _recent.get((key, version))
    if page is None:
        page = cache.get(key)
        if page is None or page.version != version:
            page = _build_shared(channel, cursor, context)
            cache.set(key, page, CACHE_SECONDS)
        _recent.put((key, version), page)
    return page


def reader_page(request, channel, *, cursor, last_read: int, channel_url, member_base, can_post, is_facilitator) -> ReaderPage:
    """The page of threads for this reader (see the module's docstring)."""
    user = request.user
    context = _context(request, channel_url=channel_url, member_base=member_base, can_post=can_post,
                       is_facilitator=is_facilitator)
    shared = shared_page(request, channel, cursor=cursor, context=context)
    if last_read and any(reply_id > last_read for reply_id in shared.newest_left_out.values()):
        return _own_page(request, channel, cursor=cursor, last_read=last_read, context=context)
    ids = list(shared.messages)
    reactions, saved = selectors.reader_marks(user, ids)
    parts = list(shared.parts)
    renderer = None
    me = user.pk
    for message_id, (index, node, root_id, fragments, author_id) in shared.messages.items():
        is_new = bool(last_read) and message_id > last_read and author_id != me
        if is_new or author_id == me or message_id in reactions or message_id in saved:
            if renderer is None:
                renderer = ThreadRenderer({**context, "user": user, "saved_ids": saved})
            node = _for_reader(node, reactions.get(message_id, ()), is_new)
            parts[index] = renderer.message(node, root_id, fragments).encode()
    first_new = _first_new(shared, last_read, me)
    if first_new is not None:
        parts[first_new[0]] = renderer.new_marker().encode()
    html = b"".join(parts).replace(CSRF_SLOT.encode(), csrf_token(request).encode())
    return ReaderPage(html=html, snapshot=shared.snapshot, next_cursor=shared.next_cursor,
                      first_new_message_id=first_new and first_new[1], message_ids=ids)


def _for_reader(node, my_kinds, is_new: bool):
    reactions = [replace(r, mine=True) if r.kind in my_kinds else r for r in node.reactions] if my_kinds else node.reactions
    return replace(node, reactions=reactions, is_new=is_new)


def _first_new(shared, last_read, user_id) -> tuple[int, int] | None:
    """The first message new to this reader, and where "New since your last visit" goes (before its thread)."""
    if not last_read:
        return None
    for marker_index, message_ids in shared.threads:
        for message_id in message_ids:
            if message_id > last_read and shared.messages[message_id][4] != user_id:
                return marker_index, message_id
    return None


def _own_page(request, channel, *, cursor, last_read, context) -> ReaderPage:
    page = selectors.channel_threads(request.user, channel, cursor=cursor, last_read=last_read)
    ids = [node.message.pk for thread in page.threads for node in thread.nodes]
    saved = saved_ids(request.user, "message", ids)
    renderer = ThreadRenderer({**context, "user": request.user, "saved_ids": saved, "csrf_token": csrf_token(request)})
    return ReaderPage(html=renderer.render(page.threads, new_marker=True).encode(), snapshot=page.snapshot,
                      next_cursor=page.next_cursor, first_new_message_id=page.first_new_message_id, message_ids=ids)


def respond(request, template: str, context: dict, page: ReaderPage, **kwargs) -> HttpResponse:
    """The page rendered with the threads put in afterwards: the template engine would copy their
    140 KB once for every block and include around them."""
    html = render_to_string(template, {**context, "page": replace(page, html=THREADS_SLOT)}, request)
    before, _slot, after = html.partition(THREADS_SLOT)
    return HttpResponse(b"".join((before.encode(), page.html, after.encode())), **kwargs)
