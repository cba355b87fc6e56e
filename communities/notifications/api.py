"""API: notifications (cursor-paginated list, mark read, mark all read, preferences),
member search and saved items. Same selectors, services and rules as the pages."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from communities.errors import InvalidInput, NotAuthenticated, NotFound
from config.api_conventions import ERRORS, PageOut, cursor_param, keyset_page

from . import saved as saved_items
from . import search, selectors, services
from .payloads import notification_payload

# Authentication is the API's own (config/api.py: session with CSRF, or a personal access
# token); everything here is about the caller, so anonymous calls answer 401.
router = Router(tags=["notifications"])

MAX_LIMIT = 100


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    excerpt: str
    url: str
    circle: int | None
    created: str
    read: bool


class NotificationListOut(PageOut):
    items: list[NotificationOut]
    unread: int


class UnreadOut(Schema):
    unread: int
    marked: int = 0


class PreferencesIn(Schema):
    preferences: dict[str, str]


class PreferencesOut(Schema):
    preferences: dict[str, str]


class SearchCircleOut(Schema):
    id: int
    slug: str
    name: str


class HitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    excerpt_html: str
    meta: str
    circle: SearchCircleOut
    created: str


class SectionOut(Schema):
    type: str
    count: int
    results: list[HitOut]
    next_cursor: str | None


class SearchOut(Schema):
    query: str
    sections: list[SectionOut]


class SavedOut(Schema):
    kind: str
    id: int
    saved: bool


def _me(request):
    if not request.user.is_authenticated:
        raise NotAuthenticated(_("Log in, or send a personal access token, to do this."))
    return request.user


def _cursor_id(cursor: str | None) -> int | None:
    if cursor in (None, ""):
        return None
    if not cursor.isdigit():
        raise InvalidInput(_("This cursor is not valid; use the next_cursor of the previous page."), code="bad_cursor")
    return int(cursor)


@router.get("/notifications", response={200: NotificationListOut, **ERRORS}, summary="Your notifications")
def notification_list(request, response: HttpResponse, cursor: str | None = cursor_param(),
                      limit: int = Query(50, ge=1, le=MAX_LIMIT, description="Notifications per page"),
                      unread: bool = Query(False, description="Only the unread ones")):
    """Newest first; `unread` counts all your unread notifications."""
    me = _me(request)
    queryset = selectors.notifications_for(me)
    if unread:
        queryset = queryset.filter(read_at__isnull=True)
    listed = keyset_page(request, response, queryset, cursor=cursor, size=limit, descending=True,
                         out=lambda n: notification_payload(n, may_read=n.may_read))
    return {**listed, "unread": selectors.unread_count(me)}


@router.post("/notifications/read-all", response={200: UnreadOut, **ERRORS})
def notification_mark_all_read(request):
    """Marks all your notifications read; answers how many were marked."""
    marked = services.notification_mark_all_read(user=_me(request))
    return {"unread": 0, "marked": marked}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def notification_mark_read(request, notification_id: int):
    """Marks one of your notifications read."""
    me = _me(request)
    services.notification_mark_read(user=me, notification_id=notification_id)
    notification = selectors.notifications_for(me).get(pk=notification_id)
    return notification_payload(notification, may_read=notification.may_read)


@router.get("/notifications/preferences", response={200: PreferencesOut, **ERRORS})
def notification_preferences(request):
    """How you want each kind of notification: immediately, in a digest, or not at all."""
    return {"preferences": services.preferences_for(_me(request))}


@router.put("/notifications/preferences", response={200: PreferencesOut, **ERRORS})
def notification_preferences_update(request, payload: PreferencesIn):
    """Send the kinds to change with their delivery."""
    return {"preferences": services.preferences_update(user=_me(request), preferences=payload.preferences)}


def _hit_out(hit: search.Hit) -> dict:
    return {
        "kind": hit.kind,
        "id": hit.pk,
        "title": hit.title,
        "url": hit.url,
        "excerpt_html": str(hit.excerpt),
        "meta": hit.meta,
        "circle": {"id": hit.circle.pk, "slug": hit.circle.slug, "name": hit.circle.name},
        "created": hit.created.isoformat(),
    }


@router.get("/search", response={200: SearchOut, **ERRORS})
def member_search(request, q: str = "", type: str | None = None, circle: str | None = None, cursor: str | None = None):
    """Messages (and cases) in the caller's circles. `type` narrows to one section and pages it:
    pass a section's `next_cursor` back as `cursor`. `excerpt_html` is escaped text with <mark>."""
    me = _me(request)
    query = search.clean_query(q)
    if type is not None and type not in search.SEARCH_TYPES:
        raise InvalidInput(
            _("Unknown type: choose one of %(types)s.") % {"types": ", ".join(search.SEARCH_TYPES)}, code="bad_type"
        )
    circle_obj = None
    if circle:
        circle_obj = search.member_circles(me).filter(slug=circle).first()
        if circle_obj is None:
            raise NotFound(_("This learning circle does not exist."))
    page_number = _cursor_id(cursor) or 1
    if not query:
        return {"query": query, "sections": []}
    sections = search.member_search(user=me, query=query, type_name=type, circle=circle_obj, page=page_number)
    return {
        "query": query,
        "sections": [
            {
                "type": section.type.name,
                "count": section.count,
                "results": [_hit_out(hit) for hit in section.hits],
                "next_cursor": str(section.page.next_page_number()) if type and section.page.has_next() else None,
            }
            for section in sections
        ],
    }


@router.post("/saved/{kind}/{object_id}", response={200: SavedOut, **ERRORS})
def saved_add(request, kind: str, object_id: int):
    """Save a message or case for later (`kind` message or case). Saving twice changes nothing."""
    saved_items.saved_item_add(user=_me(request), kind=kind, object_id=object_id)
    return {"kind": kind, "id": object_id, "saved": True}


@router.delete("/saved/{kind}/{object_id}", response={200: SavedOut, **ERRORS})
def saved_remove(request, kind: str, object_id: int):
    """Forget a saved message or case."""
    saved_items.saved_item_remove(user=_me(request), kind=kind, object_id=object_id)
    return {"kind": kind, "id": object_id, "saved": False}

