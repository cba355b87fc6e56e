"""Member search: messages (and cases) from the circles a user is an active member of.

On PostgreSQL this is full-text search with the Dutch configuration (stemming, stop words:
"gemeenten" finds "gemeente") over the stored, GIN-indexed vectors (communities.search_vectors),
ranked, with ts_headline for the highlighted excerpt of the page shown. On
SQLite (the embedded default) every word must occur (icontains) and the excerpt is cut and
highlighted in Python. Either way the circle filter comes first: a user never gets a hit
from a circle they are not an active member of.

Highlighting is safe: the excerpt is plain text, escaped, and only the markers that this
module put around the matches become <mark> elements.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Circle, Membership, Message
from communities.search_vectors import SEARCH_CONFIG, uses_postgres

from .links import message_url

MAX_QUERY_LENGTH = 200
EXCERPT_CHARS = 220
PAGE_SIZE = 20
SECTION_SIZE = 5

# Markers around matches inside the raw excerpt; control characters never typed in a form
# (the form strips them), so they cannot be faked by a message body.
START, STOP = "\x02", "\x03"


def postgres_query(query: str):
    """websearch_to_tsquery: any text is a valid query (quotes, -, or), never a syntax error."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def clean_query(query: str | None) -> str:
    query = "".join(ch for ch in (query or "") if ch.isprintable())
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def terms(query: str) -> list[str]:
    """The words of a query for the SQLite fallback: quotes and operators dropped."""
    words = re.findall(r"[\w][\w'’-]*", query)
    return [word for word in words if word.lower() not in {"or", "and"}][:10]


def highlight(raw: str) -> SafeString:
    """Escape a raw excerpt and turn only our markers into <mark> elements."""
    escaped = escape(raw.replace(START, "\0S").replace(STOP, "\0E"))
    escaped = escaped.replace("\0S", "<mark>").replace("\0E", "</mark>")
    return mark_safe(escaped)  # noqa: S308 - escaped above; only our own tags added


def excerpt_with_marks(text: str, words: list[str], length: int = EXCERPT_CHARS) -> str:
    """Cut a window of `text` around the first match and put markers around every match."""
    text = " ".join(text.replace(START, "").replace(STOP, "").split())
    if not words:
        return text[:length]
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    window = text[start : start + length]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(text) else ""
    return prefix + pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", window) + suffix


def plain_text(body_html: str) -> str:
    return html.unescape(strip_tags(body_html))


def active_circle_ids(user) -> QuerySet:
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values("circle_id")


def member_circles(user) -> QuerySet:
    """Circles the user may search in, for the circle filter."""
    return Circle.objects.filter(pk__in=active_circle_ids(user)).order_by("name")


@dataclass
class Hit:
    kind: str  # "message" | "case"
    pk: int
    title: str
    url: str
    excerpt: SafeString
    circle: Circle
    created: datetime
    meta: str = ""
    obj: object = None
    saved: bool = False

    @property
    def save_kind(self) -> str:
        from .saved import SAVEABLE

        return self.kind if self.kind in SAVEABLE else ""


# --- Messages -----------------------------------------------------------------------------


def readable_messages(*, user, circle: Circle | None = None) -> QuerySet:
    """Messages the user may read in search: active member of the circle, not removed."""
    queryset = Message.objects.filter(
        channel__circle__in=active_circle_ids(user),
        deleted_at__isnull=True,
        hidden_at__isnull=True,
        channel__archived=False,
    ).select_related("channel__circle", "author__profile")
    if circle is not None:
        queryset = queryset.filter(channel__circle=circle)
    return queryset


def with_excerpt(queryset: QuerySet, search_query) -> QuerySet:
    """PostgreSQL: the highlighted excerpt (ts_headline, run only for the rows of the page)."""
    from django.contrib.postgres.search import SearchHeadline

    return queryset.annotate(
        raw_excerpt=SearchHeadline(
            # without our marker characters, so a message cannot fake a highlight
            Replace(Replace("body_source", Value(START), Value("")), Value(STOP), Value("")),
            search_query,
            config=SEARCH_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
        ),
    )


def message_queryset(*, user, query: str, circle: Circle | None = None) -> QuerySet:
    """Messages the user may read that match `query`, best first; annotated for the excerpt."""
    queryset = readable_messages(user=user, circle=circle)
    if uses_postgres():
        from django.contrib.postgres.search import SearchRank

        search_query = postgres_query(query)
        return with_excerpt(
            queryset.filter(search_vector=search_query)  # the stored vector, GIN-indexed
            .annotate(rank=SearchRank(F("search_vector"), search_query)),
            search_query,
        ).order_by("-rank", "-id")
    words = terms(query)
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(body_source__icontains=word)
    return queryset.order_by("-id")


def message_hit(message: Message, words: list[str]) -> Hit:
    raw = getattr(message, "raw_excerpt", None)
    if raw is None:
        raw = excerpt_with_marks(plain_text(message.body_html), words)
    else:
        raw = " ".join(raw.split())
    channel = message.channel
    author = message.author.profile.display_name if message.author_id and hasattr(message.author, "profile") else ""
    return Hit(
        kind="message",
        pk=message.pk,
        title=_("%(author)s in #%(channel)s") % {"author": author or _("deleted participant"), "channel": channel.name},
        url=message_url(message),
        excerpt=highlight(raw),
        circle=channel.circle,
        created=message.created_at,
        meta="",
        obj=message,
    )


# --- Sections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchType:
    name: str
    label: str
    queryset: Callable  # queryset(user=, query=, circle=) -> QuerySet
    to_hit: Callable | None  # to_hit(obj, words) -> Hit
    to_hit_for: Callable | None = None  # to_hit_for(user) -> to_hit, when the hit depends on the reader


SEARCH_TYPES: dict[str, SearchType] = {}


def register_search_type(search_type: SearchType) -> None:
    SEARCH_TYPES[search_type.name] = search_type


register_search_type(
    SearchType(name="messages", label=gettext_lazy("Messages"), queryset=message_queryset, to_hit=message_hit)
)


@dataclass
class Section:
    type: SearchType
    page: object  # django Page
    hits: list[Hit]
    more_url: str = ""  # the section on its own (from "everything")
    query_string: str = ""  # for the pagination links of a section on its own

    @property
    def count(self) -> int:
        return self.page.paginator.count


def search_section(*, user, query: str, type_name: str, circle: Circle | None = None, page=1, per_page: int | None = None) -> Section:
    """One page of hits of one type: a count query and a page query, whatever the page size."""
    search_type = SEARCH_TYPES[type_name]
    queryset = search_type.queryset(user=user, query=query, circle=circle)
    paginator = Paginator(queryset, per_page or PAGE_SIZE)
    current = paginator.get_page(page)
    words = terms(query)
    to_hit = search_type.to_hit_for(user) if search_type.to_hit_for else search_type.to_hit
    hits = [to_hit(obj, words) for obj in current.object_list]
    _mark_saved(user, hits)
    return Section(type=search_type, page=current, hits=hits)


def _mark_saved(user, hits: list[Hit]) -> None:
    """One query per kind on the page, for the save/unsave buttons."""
    from .saved import SAVEABLE, saved_ids

    for kind in {hit.kind for hit in hits if hit.kind in SAVEABLE}:
        saved = saved_ids(user, kind, [hit.pk for hit in hits if hit.kind == kind])
        for hit in hits:
            if hit.kind == kind:
                hit.saved = hit.pk in saved


def member_search(*, user, query: str, type_name: str | None = None, circle: Circle | None = None, page=1) -> list[Section]:
    """Sections for a signed-in member: all types (a few hits each) or one type, paginated."""
    query = clean_query(query)
    if not query or not getattr(user, "is_authenticated", False):
        return []
    if type_name in SEARCH_TYPES:
        return [search_section(user=user, query=query, type_name=type_name, circle=circle, page=page)]
    return [
        search_section(user=user, query=query, type_name=name, circle=circle, page=1, per_page=SECTION_SIZE)
        for name in SEARCH_TYPES
    ]


__all__ = [
    "Hit",
    "SEARCH_TYPES",
    "Section",
    "clean_query",
    "member_circles",
    "member_search",
    "register_search_type",
    "search_section",
]


# --- The /zoeken/ page ----------------------------------------------------------------------

PAGE_PARAM = "pagina"
PUBLIC_TYPE = "pages"


def search_page_context(request, *, query: str) -> dict:
    """The members' part of /zoeken/: the filter form and the sections for `query`.

    `type` is "" (everything: a few hits per section, each linking to its own list),
    "pages" (public pages only) or a member type ("messages", "cases"): that section alone,
    paginated with ?pagina=. `circle` is a slug of one of the user's circles. Anonymous
    visitors get nothing here; the public pages section is the cms view's.
    """
    from urllib.parse import urlencode

    from .forms import SearchForm

    user = request.user
    if not user.is_authenticated:
        return {"member_search": None, "show_public": True}
    circles = list(member_circles(user))
    type_choices = [(PUBLIC_TYPE, _("Pages on this website"))] + [(t.name, t.label) for t in SEARCH_TYPES.values()]
    form = SearchForm(
        request.GET,
        type_choices=type_choices,
        circle_choices=[(c.slug, c.name) for c in circles],
    )
    type_name, circle = "", None
    if form.is_valid():
        type_name = form.cleaned_data["type"] or ""
        circle = next((c for c in circles if c.slug == form.cleaned_data["circle"]), None)
    query = clean_query(query)
    sections = []
    if query and type_name != PUBLIC_TYPE:
        sections = member_search(
            user=user,
            query=query,
            type_name=type_name or None,
            circle=circle,
            page=request.GET.get(PAGE_PARAM) or 1,
        )
    base = {"q": query}
    if circle is not None:
        base["circle"] = circle.slug
    for section in sections:
        section.more_url = "?" + urlencode({**base, "type": section.type.name})
        section.query_string = urlencode({**base, "type": section.type.name})
    return {
        "member_search": {
            "form": form,
            "sections": sections,
            "type": type_name,
            "circle": circle,
            "single": bool(type_name),
        },
        "show_public": type_name in ("", PUBLIC_TYPE) and circle is None,
    }
