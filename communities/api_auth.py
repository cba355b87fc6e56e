"""Authentication of the JSON API, for every router of config/api.py.

- `Authorization: Bearer lk_...`: a personal access token (scripts). No CSRF: no cookie is used.
  A read-only token may only make safe requests (GET, HEAD, OPTIONS): anything else answers
  403 `{"code": "read_only_token"}` before the endpoint runs.
- otherwise the session cookie (the browser), with Django's CSRF check on unsafe methods.
- otherwise anonymous: endpoints decide (public reads work, circle contents answer 404,
  writes answer 401).
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from .errors import NotAuthenticated, ServiceError


class CsrfFailed(ServiceError):
    status = 403
    code = "csrf_failed"


class ReadOnlyToken(ServiceError):
    status = 403
    code = "read_only_token"


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class LeerkringAuth(HttpBearer):
    """Always lets the call through with `request.auth` set; `request.user` is who is calling."""

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if header:
            scheme, _sep, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                raise NotAuthenticated(_("Send a personal access token as: Authorization: Bearer <token>."))
            return self.authenticate(request, raw.strip())
        if request.user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise CsrfFailed(_("The CSRF check failed. Reload the page and try again."), code="csrf_failed")
            return request.user
        request.user = AnonymousUser()
        return "anonymous"

    def authenticate(self, request, token):
        from .services import access_token_authenticate

        found = access_token_authenticate(raw=token)
        if found is None:
            raise NotAuthenticated(_("This token is not valid, has expired or has been revoked."), code="invalid_token")
        if not found.can_write and request.method not in SAFE_METHODS:
            raise ReadOnlyToken(_("This token may only read. Create a token that may also write."))
        request.user = found.user
        request.access_token = found
        return found.user


api_auth = LeerkringAuth()


def require_user(request):
    if not request.user.is_authenticated:
        raise NotAuthenticated(_("Log in, or send a personal access token, to do this."))
    return request.user
