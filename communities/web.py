"""Shared plumbing of the circle pages: who gets in, and service errors turned into pages.

Inside a circle, someone who may not see a page gets 404 (signed in) or the login page
(anonymous, whatever the URL), so that neither answer tells whether the circle exists.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from . import permissions, selectors
from .errors import NotFound, ServiceError


def _anonymous(request):
    return redirect_to_login(request.get_full_path())


def not_found_as_404(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None

    return wrapper


def member_required(view):
    """Passes `circle` and `membership` (the requester's active one) instead of `slug`."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return _anonymous(request)
        try:
            circle, membership = selectors.member_circle(request.user, slug)
            return view(request, circle, membership, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None

    return wrapper


def channel_member_required(view):
    """`member_required` for a channel's pages: passes the ChannelFrame (circle, membership,
    channel, the sidebar's channels), read in one query, instead of `slug` and `channel_slug`."""

    @wraps(view)
    def wrapper(request, slug, channel_slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return _anonymous(request)
        try:
            frame = selectors.channel_frame(request.user, slug, channel_slug)
        except NotFound as error:
            raise Http404(error.message) from None
        # The header's badge (notifications.context_processors) need not count them again.
        request.unread_notifications = frame.unread_notifications
        try:
            return view(request, frame, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None

    return wrapper


def facilitator_required(view):
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return _anonymous(request)
        try:
            circle, _membership = selectors.member_circle(request.user, slug)
            membership = permissions.require_facilitator(request.user, circle)
            return view(request, circle, membership, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None

    return wrapper


def error_redirect(request, error: ServiceError, to):
    """For a refused button press: show the reason on the page the button was on."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    messages.error(request, error.message)
    return redirect(to)


def safe_next(request, fallback: str, *, anchor: str = "") -> str:
    """Where a button press goes back to: its `next`, else the page it was on (the Referer, on
    this site only, with `anchor`: the thread pages send no `next` per message), else `fallback`."""
    from urllib.parse import urlsplit

    from django.utils.http import url_has_allowed_host_and_scheme

    def allowed(url):
        return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())

    target = request.POST.get("next") or request.GET.get("next")
    if target and allowed(target):
        return target
    referer = request.META.get("HTTP_REFERER", "")
    if referer and allowed(referer):
        parts = urlsplit(referer)
        if parts.path.startswith("/"):
            return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{anchor}" if anchor else "")
    return fallback
