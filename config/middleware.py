import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
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

    SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST is the inactivity timeout; this is the
    absolute one, which Django lacks.
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
