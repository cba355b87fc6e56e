"""Thin views of the public site: they validate input, call cms.services and render."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import feedgenerator, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.ratelimit import limit_exceeded

from . import selectors, services
from .emails import absolute_url
from .forms import NewsletterForm, RegistrationForm, SearchForm
from .ical import event_calendar, ics_filename
from .pagination import paginate

# --- search -------------------------------------------------------------------------------


def search(request):
    from communities.notifications.search import search_page_context

    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    # Signed-in members also search the messages and cases of their own circles.
    members = search_page_context(request, query=query)
    public_results = None
    if query and members["show_public"]:
        public_results = paginate(request, selectors.public_page_search(query=query), per_page=10)
    context = {"form": form, "query": query, "public_results": public_results, **members}
    return render(request, "cms/search.html", context)


# --- events -------------------------------------------------------------------------------


def _event_page_response(request, page, *, form, status: int, error: str = ""):
    response = page.render(request, context_overrides={"registration_form": form, "registration_error": error})
    response.status_code = status
    return response


def event_register(request, page):
    if request.method != "POST":
        return HttpResponseRedirect(page.get_url(request) + "#aanmelden")
    form = RegistrationForm(request.POST, event=page)
    if limit_exceeded(request, "registration"):
        error = _("Too many registrations were sent from your connection. Please try again in a few minutes.")
        return _event_page_response(request, page, form=RegistrationForm(event=page), status=429, error=error)
    if form.is_bot:
        error = _("Your registration could not be processed.")
        return _event_page_response(request, page, form=RegistrationForm(event=page), status=400, error=error)
    if not form.is_valid():
        return _event_page_response(request, page, form=form, status=400)
    data = form.cleaned_data
    try:
        result = services.registration_create(
            event=page,
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            job_title=data["job_title"],
            extra_participants=data.get("extra_participants") or [],
            language=translation.get_language(),
        )
    except ValidationError as error:
        field = "email" if getattr(error, "code", None) == "duplicate" else None
        form.add_error(field, error)
        return _event_page_response(request, page, form=form, status=400)
    if result.on_waiting_list:
        messages.warning(
            request,
            _(
                "This event is full, so you are on the waiting list (number %(position)d). "
                "If a place becomes available, you get it automatically and we email you."
            )
            % {"position": result.waiting_position},
        )
    else:
        messages.success(
            request,
            _("You are registered. We have sent a confirmation with a calendar appointment to %(email)s.")
            % {"email": result.registration.email},
        )
    # An explicit fragment, so the browser does not keep #aanmelden from the form and scrolls to the message.
    return HttpResponseRedirect(page.get_url(request) + "#main")


def event_cancel(request, page, token):
    registration = services.registration_for_token(event=page, token=token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration has been cancelled. Thank you for letting us know."))
        return HttpResponseRedirect(page.get_url(request))
    return render(request, "cms/event_cancel.html", {"page": page, "registration": registration})


def event_ics(request, page):
    response = HttpResponse(
        event_calendar(page, url=absolute_url(page.get_url(request))), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(page)}"'
    return response


def news_feed(request, index):
    feed = feedgenerator.Rss201rev2Feed(
        title=index.title,
        link=request.build_absolute_uri(index.get_url(request)),
        description=index.intro or index.title,
        language=translation.get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for item in selectors.latest_news(within=index, limit=20):
        link = request.build_absolute_uri(item.get_url(request))
        feed.add_item(
            title=item.title,
            link=link,
            description=item.intro,
            unique_id=link,
            pubdate=datetime.datetime.combine(item.date, datetime.time(9, 0), tzinfo=datetime.UTC),
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8")


# --- newsletter ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def newsletter_signup(request):
    form = NewsletterForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST":
        if limit_exceeded(request, "newsletter"):
            form = NewsletterForm()
            error = _("Too many sign-ups were sent from your connection. Please try again in a few minutes.")
            status = 429
        elif form.is_bot:
            form = NewsletterForm()
            error = _("Your sign-up could not be processed.")
            status = 400
        elif form.is_valid():
            services.newsletter_subscribe(email=form.cleaned_data["email"], language=translation.get_language())
            messages.success(
                request,
                _(
                    "Almost done: we have sent an email to %(email)s. "
                    "Click the link in that email to confirm your subscription."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("cms:newsletter")
        else:
            status = 400
    return render(request, "cms/newsletter_signup.html", {"form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token):
    if request.method == "POST":
        try:
            services.newsletter_confirm(token=token)
        except services.InvalidToken as error:
            return render(request, "cms/newsletter_result.html", {"error": error.messages[0]}, status=400)
        return render(request, "cms/newsletter_result.html", {"confirmed": True})
    return render(request, "cms/newsletter_action.html", {"action": "confirm"})


@csrf_exempt  # the signed token authenticates; mail clients' one-click unsubscribe (RFC 8058) has no CSRF token
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token):
    if request.method == "POST":
        try:
            services.newsletter_unsubscribe(token=token)
        except services.InvalidToken as error:
            return render(request, "cms/newsletter_result.html", {"error": error.messages[0]}, status=400)
        return render(request, "cms/newsletter_result.html", {"unsubscribed": True})
    return render(request, "cms/newsletter_action.html", {"action": "unsubscribe"})
