"""Pages: /meldingen/ (notifications, preferences, unsubscribe) and /bewaard/ (saved items).

Thin: they read through selectors and write through services. Every action is a plain
form post followed by a redirect, so it all works without JavaScript.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.errors import NotFound, ServiceError
from communities.models import Notification, NotificationKind
from communities.web import safe_next

from . import saved as saved_items
from . import selectors, services
from .emails import DIGEST_SCOPE, read_unsubscribe_token
from .forms import PreferencesForm
from .texts import notification_excerpt, notification_text

PAGE_SIZE = 50
SAVED_PAGE_SIZE = 50


@dataclass
class Row:
    notification: Notification
    text: str
    excerpt: str


def _list_context(request, form: PreferencesForm | None = None) -> dict:
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        Row(notification=n, text=notification_text(n), excerpt=notification_excerpt(n, may_read=n.may_read))
        for n in page.object_list
    ]
    if form is None:
        form = PreferencesForm(initial_preferences=services.preferences_for(request.user))
    return {"page": page, "rows": rows, "form": form, "unread": selectors.unread_count(request.user)}


@login_required
@require_GET
def notification_list(request):
    return render(request, "communities/notifications/list.html", _list_context(request))


@login_required
@require_GET
def notification_open(request, notification_id: int):
    """Follow a notification (from the page or an email): mark it read, go to what it is about."""
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_read(request, notification_id: int):
    try:
        services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return redirect(safe_next(request, "/meldingen/"))


@login_required
@require_POST
def notification_mark_all_read(request):
    marked = services.notification_mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(safe_next(request, "/meldingen/"))


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    current = services.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, initial_preferences=current)
    if request.method == "POST":
        if form.is_valid():
            services.preferences_update(user=request.user, preferences=form.cleaned_data)
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:list")
        return render(request, "communities/notifications/list.html", _list_context(request, form), status=400)
    return render(request, "communities/notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click: the mail client posts without cookies; the signed token is the key.
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token: str):
    decoded = read_unsubscribe_token(token)
    user = None
    if decoded is not None:
        user = get_user_model().objects.filter(pk=decoded[0], is_active=True).first()
    if user is None:
        return render(request, "communities/notifications/unsubscribe.html", {"invalid": True}, status=404)
    scope = decoded[1]
    label = _("the daily digest") if scope == DIGEST_SCOPE else NotificationKind(scope).label
    if request.method == "POST":
        try:
            services.notifications_unsubscribe(user=user, scope=scope)
        except ServiceError as error:
            return render(request, "communities/notifications/unsubscribe.html", {"invalid": True, "error": error.message}, status=400)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "communities/notifications/unsubscribe.html", {"done": True, "label": label})
    return render(request, "communities/notifications/unsubscribe.html", {"label": label, "token": token})


# --- Saved items --------------------------------------------------------------------------


@login_required
@require_GET
def saved_list(request):
    page = Paginator(selectors.saved_items_for(request.user), SAVED_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = saved_items.resolve_saved(request.user, list(page.object_list))
    return render(request, "communities/notifications/saved.html", {"page": page, "entries": entries})


@login_required
@require_POST
def saved_toggle(request, kind: str, object_id: int):
    """Save or remove one item (`action` = save | remove); answers 404 for what the user may not read."""
    action = request.POST.get("action")
    if action not in ("save", "remove"):
        raise Http404
    try:
        if action == "save":
            saved_items.saved_item_add(user=request.user, kind=kind, object_id=object_id)
        else:
            saved_items.saved_item_remove(user=request.user, kind=kind, object_id=object_id)
    except NotFound as error:
        raise Http404(error.message) from error
    next_url = safe_next(request, "/bewaard/", anchor=f"message-{object_id}" if kind == "message" else "")
    if request.htmx and request.htmx.trigger_name == "action" and kind == "message":
        # The button under a message in a thread (its form is the message's reaction form).
        return render(request, "communities/notifications/includes/save_message_button.html",
                      {"message_id": object_id, "saved": action == "save", "saved_url": reverse("notifications:saved")})
    if request.htmx:  # swap just the form
        return render(
            request,
            "communities/notifications/includes/save_button.html",
            {"kind": kind, "object_id": object_id, "saved": action == "save", "next": next_url},
        )
    if action == "save":
        messages.success(request, _("Saved. You find it again under “Saved”."))
    else:
        messages.success(request, _("Removed from your saved items."))
    return redirect(next_url)
