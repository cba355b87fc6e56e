"""The HTML of threads on the channel and thread pages, built in Python.

A channel page shows a few hundred messages. Through the template engine each of them cost
about a millisecond (includes, `{% translate %}`, the time zone looked up per message), so the
page's cost grew with what it showed. Here:

- what every reader sees alike of a message (its time, the "edited" mark and its body, or the
  deleted/hidden notice) is rendered once and kept in Django's cache, under a key with the
  message id, a version from its edited/deleted/hidden times and the language and time zone;
  services.py forgets the old entries on edit, delete and hide;
- what depends on the reader (reaction buttons with their own presses, save, edit/delete or
  report, hide, reply) is rendered once per page through includes/message_controls.html, with
  `__message__`/`__thread__` where the ids go, which `Controls.for_message` fills in (ids are
  integers; nothing else is filled in per message). The live client copies the same markup
  (includes/live_message_controls.html);
- labels are translated once per page, the time zone read once.

Reaction counts are not cached: they change often and the buttons are built from a small
memoised set (`reaction_button`).
"""

import hashlib
import re
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from core.memo import csrf_token

from .models import Membership

LIVE_MESSAGE_ID = "__message__"
LIVE_THREAD_ID = "__thread__"
CACHE_SECONDS = 7 * 24 * 3600


# --- What every reader sees alike ---------------------------------------------------------


def _stamp(value) -> int:
    return int(value.timestamp() * 1_000_000) if value else 0


def message_version(message) -> str:
    # The body's hash too: bulk rewrites (account erasure turns mentions into "deleted
    # participant") change the body without an edit time.
    body = hashlib.blake2b(message.body_html.encode(), digest_size=6).hexdigest()
    return f"{_stamp(message.edited_at)}.{_stamp(message.deleted_at)}.{_stamp(message.hidden_at)}.{body}"


def message_cache_key(message, language: str, zone: str) -> str:
    return f"lk-message-html:2:{message.pk}:{message_version(message)}:{language}:{zone}"


def message_cache_keys(message) -> list[str]:
    """The keys of this version of the message in every language (for services.py to forget)."""
    zone = timezone.get_current_timezone_name()
    return [message_cache_key(message, code, zone) for code, _name in settings.LANGUAGES]


def _time(value, zone) -> str:
    local = value.astimezone(zone).replace(microsecond=0)
    shown = f"{local.day} {MONTHS_3[local.month]} {local.year}, {local:%H:%M}"
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), shown)


def _shared_fragments(message, zone, labels) -> tuple[str, str, str]:
    """(time, "edited" mark, body): a message's reader-independent HTML."""
    removed = message.deleted_at or message.hidden_at
    edited = f'<span class="lk-message__time">{labels["edited"]}</span>' if message.edited_at and not removed else ""
    if message.deleted_at:
        body = f"<p>{labels['deleted']}</p>"
    elif message.hidden_at:
        body = f"<p>{labels['hidden']}</p>"
    else:
        body = message.body_html  # sanitised when it was stored (rendering.py)
    return _time(message.created_at, zone), edited, body


def shared_fragments(messages, labels) -> dict[int, tuple[str, str, str]]:
    """The cached fragments of these messages: one cache read, one write for those missing."""
    language, zone = get_language() or settings.LANGUAGE_CODE, timezone.get_current_timezone()
    keys = {message_cache_key(m, language, timezone.get_current_timezone_name()): m for m in messages}
    found = cache.get_many(list(keys))
    missing = {}
    for key, message in keys.items():
        if key not in found:
            found[key] = missing[key] = _shared_fragments(message, zone, labels)
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return {message.pk: found[key] for key, message in keys.items()}


# --- What depends on the reader -----------------------------------------------------------


@lru_cache(maxsize=4096)
def reaction_button(kind: str, emoji: str, label: str, count: int, mine: bool, can_post: bool) -> str:
    # A page carries hundreds of these buttons, so every byte counts: no type (submit is the
    # default), no class (CSS tells an unused reaction by its missing count), and the emoji is an
    # image named by its label, so that the button's name is "label count".
    return format_html(
        '<button name="kind" value="{}" aria-pressed="{}" title="{}"{}>'
        '<span role="img" aria-label="{}">{}</span>{}</button>',
        kind,
        "true" if mine else "false",
        label,
        "" if can_post else mark_safe(" disabled"),
        label,
        emoji,
        format_html(' <span class="lk-reaction__count">{}</span>', count) if count else "",
    )


def relative_base(request, channel_url: str) -> str:
    """How the page's links reach the channel's URLs: relative on the channel and thread pages
    (shorter, repeated for every message), absolute anywhere else (an htmx answer to a POST)."""
    if request is None or request.method != "GET" or not request.path.startswith(channel_url):
        return channel_url
    return "../" * request.path[len(channel_url):].count("/")


INDENT = re.compile(r"\n\s*")


@lru_cache(maxsize=512)
def _actions_html(language, base, can_post, is_facilitator, own, saved) -> str:
    """The actions under a message, with placeholders for the ids: the same for every message
    and reader of a kind, so rendered once per process (once per request with DEBUG on)."""
    html = render_to_string(
        "communities/includes/message_controls.html",
        {"can_post": can_post, "is_facilitator": is_facilitator, "own": own, "live": own is None, "saved": saved,
         "saved_url": reverse("notifications:saved"), "base": base,
         "message_id": LIVE_MESSAGE_ID, "thread_id": LIVE_THREAD_ID},
    )
    return INDENT.sub("", html.strip())


class Controls:
    """One reader's controls under a message, rendered once per page and filled in per message."""

    def __init__(self, context):
        self.context = context
        self.user_id = getattr(context.get("user"), "pk", None)
        self.can_post = bool(context.get("can_post"))
        self.saved_ids = context.get("saved_ids") or set()
        self.channel_url = context["channel_url"]
        self.base = relative_base(context.get("request"), self.channel_url)
        # One form per message: the reaction buttons, and (through form="f…" formaction) save
        # and hide; the views send the reader back to the page they came from (its Referer).
        self.reaction_form = (
            '<form class="lk-reactions" id="f__message__" method="post" action="{url}__message__/reactie/" '
            'hx-post="{url}__message__/reactie/">\n<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">\n'
        ).format(url=escape(self.base), csrf=escape(self._csrf(context)))

    @staticmethod
    def _csrf(context) -> str:
        """A token or placeholder the caller put in, else the request's one token (memo.py)."""
        value, request = context.get("csrf_token", ""), context.get("request")
        return value if isinstance(value, str) or request is None else csrf_token(request)

    def actions(self, *, own, saved: bool) -> str:
        """The list of actions (own=None: both own and others' items, marked for live.js)."""
        variant = (get_language(), self.base, self.can_post, bool(self.context.get("is_facilitator")), own, saved)
        return _actions_html(*variant) if not settings.DEBUG else _actions_html.__wrapped__(*variant)

    def buttons(self, reactions) -> str:
        return "".join(reaction_button(r.kind, r.emoji, r.label, r.count, r.mine, self.can_post) for r in reactions)

    def reactions(self, message_id, reactions) -> str:
        return self.reaction_form.replace(LIVE_MESSAGE_ID, str(message_id)) + self.buttons(reactions) + "\n</form>"

    def reactions_inside(self, reactions) -> str:
        """The form's content: htmx's answer to a reaction, swapped into the form."""
        return self.reaction_form.split(">\n", 1)[1] + self.buttons(reactions)

    def for_message(self, message, thread_id, reactions) -> str:
        # A deleted participant's message (no author) is nobody's own, also on the shared page (no reader).
        own = self.user_id is not None and message.author_id == self.user_id
        actions = self.actions(own=own, saved=message.pk in self.saved_ids)
        actions = actions.replace(LIVE_MESSAGE_ID, str(message.pk)).replace(LIVE_THREAD_ID, str(thread_id))
        return f"{self.reactions(message.pk, reactions)}\n{actions}"


# --- Threads ------------------------------------------------------------------------------


def page_labels() -> dict[str, str]:
    """Every text of a thread, translated (and escaped) once per language and process."""
    return _labels(get_language())


@lru_cache(maxsize=16)
def _labels(language) -> dict[str, str]:
    texts = {
        "deleted_participant": gettext("deleted participant"),
        Membership.Role.EXPERT: gettext("expert"),
        Membership.Role.FACILITATOR: gettext("facilitator"),
        "edited": gettext("edited"),
        "new": gettext("new"),
        "in_reply_to": gettext("In reply to"),
        "deleted": gettext("This message has been deleted."),
        "hidden": gettext("This message has been hidden by a facilitator."),
        "new_marker": gettext("New since your last visit"),
    }
    return {key: escape(value) for key, value in texts.items()}


class ThreadRenderer:
    """Renders the threads of one page for one reader; build it once per page."""

    def __init__(self, context):
        self.controls = Controls(context)
        self.labels = page_labels()  # shared: not to be changed
        self.base = escape(self.controls.base)
        self.member_base = escape(context["member_base"])
        self._more = {}

    def render(self, threads, *, new_marker: bool = False) -> SafeString:
        shared = shared_fragments([node.message for thread in threads for node in thread.nodes], self.labels)
        parts = []
        for thread in threads:
            if new_marker and thread.show_new_marker:
                parts.append(self.new_marker())
            parts.append(self.thread(thread, shared))
        return mark_safe("".join(parts))

    def new_marker(self) -> str:
        return f'<p class="lk-new-marker" role="separator">{self.labels["new_marker"]}</p>\n'

    def thread(self, thread, shared) -> str:
        return "".join(self.thread_parts(thread, shared, {}))

    def thread_parts(self, thread, shared, slots: dict) -> list[str]:
        """The thread's HTML in parts, one part per message: `slots` gets each message's index."""
        root_id = thread.root.pk
        parts = [f'<article class="lk-thread" id="thread-{root_id}" data-thread="{root_id}">\n']
        for index, node in enumerate(thread.nodes):
            slots[node.message.pk] = len(parts)
            parts.append(self.message(node, root_id, shared[node.message.pk]))
            if index == 0 and thread.hidden_count:
                parts.append(f'\n<p class="lk-thread__more"><a href="{self.base}{root_id}/">{self.more(thread.reply_count)}</a></p>')
            parts.append(f'\n<div class="lk-replies" data-replies-of="{node.message.pk}">')
            parts.append("</div></article>" * len(node.closes))
            parts.append("\n")
        parts.append("</article>")
        return parts

    def more(self, count: int) -> str:
        if count not in self._more:
            self._more[count] = ngettext(
                'Show <span class="lk-thread__count">%(counter)s</span> reply',
                'Show all <span class="lk-thread__count">%(counter)s</span> replies',
                count,
            ) % {"counter": count}
        return self._more[count]

    def message(self, node, root_id, fragments) -> str:
        m, labels = node.message, self.labels
        time_html, edited, body = fragments
        removed = bool(m.deleted_at or m.hidden_at)
        classes = "lk-message" + (" lk-message--removed" if removed else "") + (" lk-message--new" if node.is_new else "")
        if m.author_id and getattr(m, "author_name", None) is not None:
            author = f'<a class="lk-message__author" href="{self.member_base}{m.author_id}/">{escape(m.author_name)}</a>'
        else:
            author = f'<span class="lk-message__author">{labels["deleted_participant"]}</span>'
        role = f' <span class="lk-tag">{labels[node.author_role]}</span>' if node.author_role in labels else ""
        new = f' <span class="lk-tag lk-tag--new">{labels["new"]}</span>' if node.is_new else ""
        parts = [
            f'<article class="{classes}" id="message-{m.pk}" data-message="{m.pk}" data-parent="{m.parent_id or ""}" data-depth="{m.depth}">\n'
            f'<header class="lk-message__header">\n{author}{role}\n'
            f'<a class="lk-message__time" href="{self.base}{root_id}/#message-{m.pk}">{time_html}</a>'
            f'{" " + edited if edited else ""}{new}\n</header>\n'
        ]
        if node.in_reply_to_id:
            href = "" if node.parent_shown else f"{self.base}{root_id}/"
            name = labels["deleted_participant"] if node.in_reply_to_name is None else escape(node.in_reply_to_name)
            parts.append(f'<p class="lk-in-reply-to">{labels["in_reply_to"]} <a href="{href}#message-{node.in_reply_to_id}">{name}</a></p>\n')
        parts.append(f'<div class="lk-message__body">{body}</div>')
        if not removed:
            parts.append("\n" + self.controls.for_message(m, root_id, node.reactions))
        return "".join(parts)
