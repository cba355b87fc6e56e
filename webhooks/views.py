"""The circle's webhooks, under its management pages (facilitators only; others get 404)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors as circle_selectors
from communities.errors import NotFound, ServiceError
from communities.web import error_redirect, facilitator_required

from . import permissions, selectors, services
from .forms import EndpointForm

NEW_SECRET_SESSION_KEY = "lk_new_webhook_secret"


def _context(circle, membership, **extra):
    return {
        "circle": circle,
        "membership": membership,
        "is_facilitator": True,
        "section": "webhooks",
        "pending_count": circle_selectors.pending_requests(circle).count(),
        **extra,
    }


def _endpoint(request, circle, endpoint_id):
    try:
        return permissions.get_managed_endpoint(request.user, circle, endpoint_id)
    except NotFound as error:
        raise Http404(error.message) from None


def _detail_url(endpoint):
    return reverse("webhooks:detail", args=[endpoint.circle.slug, endpoint.pk])


def _show_secret_once(request, endpoint, secret):
    request.session[NEW_SECRET_SESSION_KEY] = {"id": endpoint.pk, "secret": secret}


def _pop_secret(request, endpoint):
    shown = request.session.get(NEW_SECRET_SESSION_KEY)
    if shown and shown.get("id") == endpoint.pk:
        del request.session[NEW_SECRET_SESSION_KEY]
        return shown["secret"]
    return None


@facilitator_required
def endpoint_list(request, circle, membership):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint, secret = services.endpoint_create(facilitator=request.user, circle=circle, url=data["url"],
                                                        events=data["events"], description=data["description"])
        except ServiceError as error:
            form.add_service_error(error)
        else:
            _show_secret_once(request, endpoint, secret)
            messages.success(request, _("The webhook has been added."))
            return redirect(_detail_url(endpoint))
    endpoints = list(selectors.circle_endpoints(circle))
    return render(request, "webhooks/list.html", _context(circle, membership, form=form, endpoints=endpoints))


@facilitator_required
def endpoint_detail(request, circle, membership, endpoint_id):
    endpoint = _endpoint(request, circle, endpoint_id)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.endpoint_update(facilitator=request.user, endpoint=endpoint, url=data["url"],
                                     events=data["events"], description=data["description"])
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The webhook settings have been saved."))
            return redirect(_detail_url(endpoint))
    context = _context(circle, membership, endpoint=endpoint, form=form, new_secret=_pop_secret(request, endpoint),
                       deliveries=list(selectors.endpoint_deliveries(endpoint)))
    return render(request, "webhooks/detail.html", context)


@require_POST
@facilitator_required
def endpoint_secret(request, circle, membership, endpoint_id):
    endpoint = _endpoint(request, circle, endpoint_id)
    secret = services.endpoint_regenerate_secret(facilitator=request.user, endpoint=endpoint)
    _show_secret_once(request, endpoint, secret)
    messages.success(request, _("A new secret has been made; the old one no longer signs anything."))
    return redirect(_detail_url(endpoint))


@require_POST
@facilitator_required
def endpoint_toggle(request, circle, membership, endpoint_id):
    endpoint = _endpoint(request, circle, endpoint_id)
    enabled = request.POST.get("enabled")
    try:
        services.endpoint_set_enabled(facilitator=request.user, endpoint=endpoint,
                                      enabled={"1": True, "0": False}.get(enabled, enabled))
    except ServiceError as error:
        return error_redirect(request, error, _detail_url(endpoint))
    messages.success(request, _("The webhook is on.") if enabled == "1" else _("The webhook is off: nothing is sent to it."))
    return redirect(_detail_url(endpoint))


@facilitator_required
def endpoint_delete(request, circle, membership, endpoint_id):
    endpoint = _endpoint(request, circle, endpoint_id)
    if request.method == "POST":
        services.endpoint_delete(facilitator=request.user, endpoint=endpoint)
        messages.success(request, _("The webhook %(url)s has been deleted.") % {"url": endpoint.url})
        return redirect("webhooks:list", circle.slug)
    return render(request, "webhooks/delete.html", _context(circle, membership, endpoint=endpoint))
