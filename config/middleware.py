import hashlib
import json
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from csp.middleware import CSPMiddleware


class LeerkringCSPMiddleware(CSPMiddleware):
    """Strict CSP on the site; the Wagtail and Django admin ship inline scripts and styles."""

    def process_response(self, request, response):
        if request.path.startswith(settings.CSP_EXEMPT_PATH_PREFIXES):
            response._csp_exempt = True
        return super().process_response(request, response)


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy (no camera, microphone, location,
    payment, ... for this site or anything it embeds) and Cross-Origin-Resource-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in settings.LEERKRING_SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response


class AbsoluteSessionTimeoutMiddleware:
    """Ends a signed-in session SESSION_ABSOLUTE_MAX_AGE seconds after sign-in, however active.

    SESSION_COOKIE_AGE, renewed by SessionActivityMiddleware, is the inactivity timeout; this is
    the absolute one, which Django lacks.
    """

    SESSION_KEY = "_lk_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.SESSION_KEY, now)
            if now - int(started) > settings.SESSION_ABSOLUTE_MAX_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keeps a signed-in session alive without writing on every request.

    Django saves a session only when it changed. A session in use is refreshed (saved, which
    renews its expiry of SESSION_COOKIE_AGE, and its allauth usersessions record told the IP
    address, browser and time) when its last refresh is older than SESSION_REFRESH_INTERVAL or
    the IP address or browser changed. It replaces SESSION_SAVE_EVERY_REQUEST and allauth's
    UserSessionsMiddleware, which wrote both on every request. The moment of sign-in for
    AbsoluteSessionTimeoutMiddleware is stored in the same write that signs in.
    """

    REFRESHED_KEY = "_lk_refreshed_at"
    CLIENT_KEY = "_lk_client"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key or response.status_code >= 500:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        client = self._client(request)
        if session.modified:
            session.setdefault(AbsoluteSessionTimeoutMiddleware.SESSION_KEY, now)
        due = now - int(session.get(self.REFRESHED_KEY, 0)) >= settings.SESSION_REFRESH_INTERVAL
        if due or session.get(self.CLIENT_KEY) != client:
            from allauth.usersessions.internal.usersessionkit import track_activity

            track_activity(request, user=user, session=session)
            session[self.REFRESHED_KEY] = now
            session[self.CLIENT_KEY] = client
        return response

    @staticmethod
    def _client(request) -> str:
        from allauth.account.adapter import get_adapter

        user_agent = request.META.get("HTTP_USER_AGENT", "")
        return hashlib.blake2b(f"{get_adapter().get_client_ip(request)}\n{user_agent}".encode(), digest_size=8).hexdigest()


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _querydict_contains_nul(data) -> bool:
    return any(_contains_nul(key) or _contains_nul(values) for key, values in data.lists())


class RejectNulCharactersMiddleware:
    """Refuses text with NUL characters (U+0000) before any view sees it.

    PostgreSQL cannot store or even compare them, so they would end as a 500 on the scale-out
    lane, and no person types one. Checked: the path, the query string, url-encoded forms and JSON bodies (under /api/ any
    body that is not multipart: django-ninja reads JSON whatever the content type says).
    Multipart forms go through Django form fields, which refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._where_nul_is(request)
        if where is None:
            return self.get_response(request)
        return self._refusal(request, where)

    def _where_nul_is(self, request) -> str | None:
        if "\x00" in request.path or _querydict_contains_nul(request.GET):
            return "query"
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                if _querydict_contains_nul(request.POST):
                    return "body"
            except Exception:  # unreadable bodies get their usual answer from the view
                return None
        if self._may_hold_json(request):
            try:
                if _contains_nul(json.loads(request.body)):
                    return "body"
            except (ValueError, RecursionError, RequestDataTooBig):
                return None
        return None

    @staticmethod
    def _may_hold_json(request) -> bool:
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return False
        if request.content_type == "application/json":
            return True
        return request.path.startswith("/api/") and not request.content_type.startswith("multipart/")

    def _refusal(self, request, where: str):
        message = _("Text may not contain NUL characters (U+0000). Remove them and try again.")
        if request.path.startswith("/api/"):
            status = 422 if where == "body" else 400
            return JsonResponse({"detail": message, "code": "invalid_text"}, status=status)
        return render(request, "400.html", {"message": message}, status=400)


class DropDamagedCookiesMiddleware:
    """Ignores (and removes from the browser) cookies with NUL characters, before the session
    middleware looks the session key up in PostgreSQL, which cannot compare such text: the
    visitor is then simply signed out instead of getting a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        damaged = [name for name, value in request.COOKIES.items() if _contains_nul(name + value)]
        for name in damaged:
            del request.COOKIES[name]
        response = self.get_response(request)
        for name in damaged:
            if not _contains_nul(name) and name not in response.cookies:
                response.delete_cookie(name)
        return response
