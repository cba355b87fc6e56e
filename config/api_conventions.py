"""What every router of the /api/v1/ JSON API shares: the one error schema and the one way to page.

Pagination: a list answers `{"items": [...], "next": <absolute URL or null>, "next_cursor": <str
or null>}` and, when there is a next page, an RFC 8288 `Link: <next>; rel="next"` header. Pass
`next_cursor` back as `cursor` (or follow `next`). The cursor is opaque: a client must not build
or take one apart; an unreadable cursor answers 422 `invalid_cursor`.
"""

import base64
import binascii
import json

from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import Field

from communities.errors import InvalidInput


class FieldErrorOut(Schema):
    field: str | None = Field(description="The field at fault, dotted for nested fields; null for the body as a whole")
    message: str = Field(description="What is wrong with it, in the caller's language")
    type: str | None = Field(None, description="A stable machine-readable kind of problem, e.g. missing")


class ErrorOut(Schema):
    """Every error the API answers, whatever its status."""

    detail: str = Field(description="A message in the caller's language (Dutch or English)",
                        examples=["Dit bestaat niet, of je mag het niet zien."])
    code: str = Field(description="A stable machine-readable code, e.g. not_found, invalid_payload",
                      examples=["not_found"])
    errors: list[FieldErrorOut] | None = Field(
        None, description="For 422 invalid_payload: each field at fault. Absent for other errors."
    )


# What any call can answer: 400 a body that cannot be read, 401 not signed in or a bad token
# (with WWW-Authenticate), 403 a read-only token or failed CSRF check, 404, 409 a state that does
# not allow it (or an Idempotency-Key still in use), 413 too large, 415 a body that is not JSON,
# 422 bad input (with `errors`), 429 too many requests.
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 415, 422, 429)}

def documented(**constraints) -> dict:
    """Constraints the services enforce with their own translated message (e.g. "Een bericht kan
    niet leeg zijn."), written into the OpenAPI document only, so that the API still answers
    with that message rather than a generic one: `Field(..., **documented(maxLength=80))`."""
    return {"json_schema_extra": constraints}


# Text the services refuse when it is empty or only whitespace (JSON Schema patterns are unanchored).
NOT_BLANK = r"\S"

CURSOR_DESCRIPTION = "Opaque: the `next_cursor` of the previous page. Leave out for the first page."


def cursor_param():
    return Query(None, description=CURSOR_DESCRIPTION, max_length=200)


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"v": value}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The position a cursor of encode_cursor stands for; None for the first page."""
    if cursor in (None, ""):
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["v"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        value = None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise InvalidInput(_("This cursor is not valid; use the next_cursor of the previous page."),
                           code="invalid_cursor")
    return value


def next_page_url(request: HttpRequest, next_cursor: str) -> str:
    query = request.GET.copy()
    query["cursor"] = next_cursor
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.lists()), doseq=True)


def page(request: HttpRequest, response: HttpResponse, items: list, next_position: int | None) -> dict:
    """A list answer: the items, `next`/`next_cursor`, and the `Link: rel="next"` header."""
    next_cursor = next_url = None
    if next_position is not None:
        next_cursor = encode_cursor(next_position)
        next_url = next_page_url(request, next_cursor)
        response["Link"] = f'<{next_url}>; rel="next"'
    return {"items": items, "next": next_url, "next_cursor": next_cursor}


def keyset_page(request, response, queryset, *, cursor, size, key="id", descending=False, out=lambda item: item):
    """One page of `queryset` ordered by its unique `key`, after the cursor's key value."""
    after = decode_cursor(cursor)
    queryset = queryset.order_by(f"-{key}" if descending else key)
    if after is not None:
        queryset = queryset.filter(**{f"{key}__{'lt' if descending else 'gt'}": after})
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return page(request, response, [out(row) for row in rows], getattr(rows[-1], key) if more else None)


def offset_page(request, response, rows: list, *, cursor, size, out=lambda item: item):
    """One page of a short, already ordered list (a circle's channels): the cursor is an offset."""
    start = decode_cursor(cursor) or 0
    chunk = rows[start: start + size]
    return page(request, response, [out(row) for row in chunk], start + size if len(rows) > start + size else None)


class PageOut(Schema):
    """The paging fields of every list; a list adds its `items`."""

    next: str | None = Field(description="The absolute URL of the next page; null on the last page")
    next_cursor: str | None = Field(description="Pass back as `cursor` for the next page; null on the last page")
