"""The /api/v1/ JSON API: one NinjaAPI, one router per app.

Every answer is JSON, errors too, in one schema (config.api_conventions.ErrorOut):
`{"detail": "<message in the user's language>", "code": "...", "errors": [...]}` with the status
of the error (communities.errors: 401/404/409/422/429; ServiceError subclasses carry their own
status). Wrong payload types answer 422 with the fields at fault in `errors`; a body that is not
JSON 415; a 401 carries `WWW-Authenticate: Bearer`; a method the path does not have answers 405
with an Allow header. Every answer passes `finish_response` (ETag, idempotency keys).
"""

import functools
import hashlib
import logging

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpResponseNotAllowed, HttpResponseNotModified
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from casework.api import router as casework_router
from communities.api import router as communities_router
from communities.api_auth import api_auth
from communities.errors import ServiceError
from communities.models import Reaction
from communities.notifications.api import router as notifications_router
from idempotency.api import finish_idempotent_request
from partners.api import router as partners_router

logger = logging.getLogger(__name__)


REALM = "Leerkring API"


class NotJson(Exception):
    """A JSON endpoint got a body of another media type: 415."""


class JsonOnlyParser(Parser):
    """Ninja asks the parser only for endpoints that take a JSON body (not for uploads)."""

    def parse_body(self, request):
        media_type = request.content_type or ""
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise NotJson(media_type)
        return super().parse_body(request)


class JsonNinjaAPI(NinjaAPI):
    """A NinjaAPI whose every answer passes `finish_response`. Ninja's path view answers a
    method the path does not have with a bare-text HttpResponseNotAllowed and offers no hook
    for it (nor for headers on every answer), so every API view is wrapped."""

    def get_openapi_schema(self, *args, **kwargs):
        return document_conventions(super().get_openapi_schema(*args, **kwargs))

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _finishing(pattern.callback)
        return urls


PARAMETERS = {
    "slug": "The circle's slug, e.g. slim-samenwerken",
    "channel_slug": "The channel's slug within the circle, e.g. algemeen",
    "membership_id": "The id of a membership of the circle",
    "message_id": "The id of a message",
    "case_id": "The id of a case",
    "question_id": "The id of the question",
    "feedback_id": "The id of a feedback item of the case",
    "notification_id": "The id of one of your notifications",
    "kind": "What to react with, or what to save (message or case)",
    "object_id": "The id of the message or case",
    "q": "The words to look for",
    "type": "Only this section, paged with `cursor`",
    "circle": "Only this circle (its slug)",
    "cursor": "Opaque: the `next_cursor` of the previous page. Leave out for the first page.",
}

# Path parameters with a fixed set of values, by (the path segment before them, their name).
PATH_CHOICES = {
    ("reactions", "kind"): list(Reaction.Kind.values),
    ("saved", "kind"): ["message", "case"],
}

HEADERS = {
    "ETag": "A weak tag of this answer for you; send it as If-None-Match to get 304 while nothing changed",
    "Link": 'RFC 8288: <URL of the next page>; rel="next", while there is a next page',
    "WWW-Authenticate": f'Bearer realm="{REALM}"',
    "Idempotent-Replayed": "true when this is the stored answer to an earlier request with the same Idempotency-Key",
}


def document_conventions(document: dict) -> dict:
    """What every operation shares, written into the document once rather than in each view:
    descriptions of the recurring parameters and the headers of config.api_conventions."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                choices = PATH_CHOICES.get((path.split("/")[-2], parameter["name"]))
                if choices:
                    parameter["schema"]["enum"] = choices
                if not parameter.get("description"):
                    parameter["description"] = parameter.get("schema", {}).get("description") or PARAMETERS.get(
                        parameter["name"], parameter["name"].replace("_", " "))
            for status, answer in operation["responses"].items():
                names = []
                if method == "get" and status == "200":
                    names.append("ETag")
                    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                    if schema.get("$ref", "").endswith(("Page", "ListOut")):
                        names.append("Link")
                if status == "401":
                    names.append("WWW-Authenticate")
                if status == "201" and "Idempotency-Key" in operation.get("description", ""):
                    names.append("Idempotent-Replayed")
                if names:
                    answer["headers"] = {name: {"description": HEADERS[name], "schema": {"type": "string"}}
                                         for name in names}
    return document


def _finishing(view):
    if iscoroutinefunction(view):
        async def async_view(request, *args, **kwargs):
            return finish_response(request, await view(request, *args, **kwargs))

        return markcoroutinefunction(functools.wraps(view)(async_view))

    @functools.wraps(view)
    def sync_view(request, *args, **kwargs):
        return finish_response(request, view(request, *args, **kwargs))

    return sync_view


def finish_response(request, response):
    if isinstance(response, HttpResponseNotAllowed):
        return method_not_allowed(request, allowed=response["Allow"].split(", "))
    if response.status_code == 401:
        response["WWW-Authenticate"] = f'Bearer realm="{REALM}"'
    finish_idempotent_request(request, response)
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
        return conditional_get(request, response)
    return response


def conditional_get(request, response):
    """A weak ETag from the answer and who asked, so that a tag never matches another user's
    view; `If-None-Match` with it answers 304. Anything that changes the answer (an edit, a
    reaction, a phase) changes the tag."""
    viewer = request.user.pk if request.user.is_authenticated else "anonymous"
    digest = hashlib.sha256(f"{viewer}:".encode() + response.content).hexdigest()[:32]
    etag = f'W/"{digest}"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
    sent = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag.removeprefix("W/") in sent or "*" in sent:
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary"):
            not_modified[header] = response[header]
        return not_modified
    return response


DESCRIPTION = """Learning circles, channels, messages, cases and the knowledge desk.

**Authentication.** The session (browser, with CSRF token) or a personal access token:
`Authorization: Bearer <token>`. A read-only token answers 403 to anything but GET. A call that
needs you signed in answers 401 with `WWW-Authenticate: Bearer realm="Leerkring API"`.

**Requests.** Bodies are JSON (`Content-Type: application/json`); any other body answers 415.
Uploads are multipart forms.

**Errors.** Every error has one shape, `ErrorOut`: `detail` (in your language, from
`Accept-Language` or your profile), a stable `code`, and for 422 `invalid_payload` an `errors`
list of `{field, message, type}`.

**Pagination.** Every list pages the same way: it answers `items`, `next` (the absolute URL of
the next page, or null) and `next_cursor` (or null), and a `Link: <next>; rel="next"` header
while there is a next page. Pass `next_cursor` back as `cursor`, or follow `next`. Cursors are
opaque; a cursor the API cannot read answers 422 `invalid_cursor`.

**Retries.** Creating a message, case, case question or feedback accepts an `Idempotency-Key`
header (e.g. a UUID, at most 255 characters): a retry with the same key and body stores nothing
new and answers the first status and body again, with `Idempotent-Replayed: true`. The same key
with another body answers 422 `idempotency_key_reused`; while the first is still running, 409
`idempotency_key_in_use`. Keys are kept 24 hours, and only for successful answers.

**Conditional GET.** Every 200 to a GET carries a weak `ETag` (for you: it never matches another
user's view) and `Vary: Authorization, Cookie, Accept-Language`. Send it back as `If-None-Match`
to get `304 Not Modified` while the answer is the same; an edit, a reaction or a phase change
changes it.
"""

api = JsonNinjaAPI(
    title="Leerkring API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url="/docs",
    parser=JsonOnlyParser(),
    openapi_url="/openapi.json",
    auth=api_auth,
)
api.add_router("/", communities_router)
api.add_router("/", casework_router)
api.add_router("/", notifications_router)
api.add_router("/", partners_router)


def error_response(request, status: int, detail: str, code: str, **extra):
    """Every error of the API, in the one schema of config.api_conventions.ErrorOut."""
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def method_not_allowed(request, *, allowed: list[str]):
    allowed = sorted(allowed)
    detail = _("This address does not accept the %(method)s method, only %(allowed)s.") % {
        "method": request.method,
        "allowed": ", ".join(allowed),
    }
    response = error_response(request, 405, detail, "method_not_allowed")
    response["Allow"] = ", ".join(allowed)
    return response


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return error_response(request, exc.status, str(exc.message), exc.code)


FIELD_PROBLEMS = {
    "string_too_long": lambda: _("is too long"),
    "string_too_short": lambda: _("must not be empty"),
    "string_pattern_mismatch": lambda: _("must not be empty"),
    "too_long": lambda: _("has too many items"),
    "list_type": lambda: _("must be a list"),
    "missing": lambda: _("is required"),
    "string_type": lambda: _("must be text"),
    "int_type": lambda: _("must be a whole number"),
    "int_parsing": lambda: _("must be a whole number"),
    "bool_type": lambda: _("must be true or false"),
    "bool_parsing": lambda: _("must be true or false"),
    "greater_than_equal": lambda: _("is too small"),
    "less_than_equal": lambda: _("is too large"),
    "literal_error": lambda: _("is not one of the allowed values"),
    "model_attributes_type": lambda: _("must be a JSON object"),
    "dict_type": lambda: _("must be a JSON object"),
    "json_invalid": lambda: _("is not valid JSON"),
}


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    fields = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in ("body", "query", "path", "header", "cookie", "form"):
            location = location[1:]
        if location and location[0] == "payload":
            location = location[1:]
        problem = FIELD_PROBLEMS.get(error.get("type"), lambda: _("is not valid"))()
        if error.get("type") in ("string_too_long", "too_long"):
            problem += " " + _("(at most %(max)s)") % {"max": error.get("ctx", {}).get("max_length")}
        fields.append({"field": ".".join(location) or None, "message": problem, "type": error.get("type")})
    summary = "; ".join(f"{f['field']} {f['message']}" if f["field"] else f["message"] for f in fields)
    detail = _("The request is not valid: %(problems)s.") % {"problems": summary}
    return error_response(request, 422, detail, "invalid_payload", errors=fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return error_response(request, 401, _("Log in, or send a personal access token, to do this."), "not_authenticated")


@api.exception_handler(Http404)
def not_found(request, exc):
    return error_response(request, 404, _("This does not exist, or you may not see it."), "not_found")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, NotJson):
        return error_response(
            request, 415, _("This address takes JSON: send the body with Content-Type: application/json."),
            "unsupported_media_type",
        )
    if exc.status_code == 400:
        return error_response(request, 400, _("The request body is not valid JSON."), "bad_request")
    return error_response(request, exc.status_code, str(exc), "error")


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def unreadable_request(request, exc):
    """A body Django cannot read (e.g. multipart without a boundary): 400, as pages answer, not 500."""
    if isinstance(exc, RequestDataTooBig):
        return error_response(request, 413, _("The request is too large."), "too_large")
    return error_response(
        request, 400, _("The request cannot be read. Send JSON with Content-Type: application/json."), "bad_request"
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return error_response(request, 403, _("You may not do this."), "forbidden")


@api.exception_handler(Exception)
def unexpected_error(request, exc):
    logger.exception("Unexpected error in the API", exc_info=exc)
    return error_response(request, 500, _("Something went wrong on our side. Try again later."), "server_error")


def api_path_not_found(request, rest=""):
    """Unknown paths under /api/v1/ answer JSON too, never an HTML error page."""
    return error_response(request, 404, _("This does not exist, or you may not see it."), "not_found")
