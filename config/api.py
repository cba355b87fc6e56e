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

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _finishing(pattern.callback)
        return urls


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


api = JsonNinjaAPI(
    title="Leerkring API",
    version="1",
    description=(
        "Learning circles, channels, messages and cases. Authenticate with the session (browser, "
        "with CSRF token) or a personal access token: `Authorization: Bearer <token>`. A read-only "
        "token answers 403 to anything but GET."
    ),
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
