"""Channel and thread pages, and what can be done to a message."""

import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import channel_page, permissions, selectors, services
from .errors import InvalidInput, NotFound, ServiceError
from .forms_circles import MessageForm, ReplyForm, ReportForm
from .models import Membership, Message
from .web import channel_member_required, error_redirect, member_required, safe_next


def _thread_url(circle, channel, root_id, message_id=None):
    url = reverse("communities:thread", args=[circle.slug, channel.slug, root_id])
    return f"{url}#message-{message_id}" if message_id else url


def message_urls(channel) -> dict:
    """Prefixes for the per-message links of the thread templates (see includes/thread.html)."""
    return {"channel_url": channel.get_absolute_url(), "member_base": reverse("communities:member", args=[0])[:-2]}


def _base_context(circle, membership, channel, channels):
    is_facilitator = membership.role == Membership.Role.FACILITATOR
    can_post = permissions.can_post_in_channel_of(membership, channel)
    shown = [c for c in channels if not c.archived or c.pk == channel.pk]
    return {
        # When the page's messages were read, for the live client's `changes_since`
        # (consumers.py; a margin there covers the few ms between the reads and this).
        "rendered_at": int(time.time() * 1000),
        **message_urls(channel),
        "circle": circle,
        "membership": membership,
        "channel": channel,
        "channels": shown,
        # What the channel list shows ({% memo %} keys on it).
        "sidebar": (circle.slug, channel.pk, *((c.pk, c.slug, c.name, c.locked, c.archived, c.unread) for c in shown)),
        "is_facilitator": is_facilitator,
        "can_post": can_post,
        # What the channel's header, breadcrumbs and new-thread form show ({% memo %} keys on it).
        "frame": (circle.pk, circle.slug, circle.name, channel.pk, channel.slug, channel.name, channel.topic,
                  channel.locked, channel.archived, is_facilitator, can_post),
    }


def _saved_message_ids(user, threads) -> set[int]:
    """Which shown messages the user saved ("Bewaard"): one query for the page."""
    from .notifications.saved import saved_ids

    return saved_ids(user, "message", [node.message.pk for thread in threads for node in thread.nodes])


@channel_member_required
def channel_detail(request, frame):
    circle, membership, channel = frame.circle, frame.membership, frame.channel
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_post(author=request.user, channel=channel, body=form.cleaned_data["body"])
        except NotFound:
            raise
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your message has been posted."))
            return redirect(_thread_url(circle, channel, message.pk, message.pk))
    cursor, last_read = request.GET.get("na"), channel.last_read
    context = _base_context(circle, membership, channel, frame.channels)
    try:
        page = channel_page.reader_page(
            request, channel, cursor=cursor, last_read=last_read, channel_url=context["channel_url"],
            member_base=context["member_base"], can_post=context["can_post"], is_facilitator=context["is_facilitator"],
        )
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect(channel)
    if cursor is None and request.method == "GET":
        services.read_marker_advance(user=request.user, channel=channel, message_id=page.snapshot, known=last_read)
    context.update({"page": page, "form": form, "cursor": cursor, "last_read": last_read})
    # "Older threads" with htmx: only the next page's threads and link, put in place of the link.
    older_in_place = bool(request.htmx) and cursor is not None and request.method == "GET"
    template = "communities/includes/channel_threads.html" if older_in_place else "communities/channel.html"
    response = channel_page.respond(request, template, context, page)
    patch_vary_headers(response, ["HX-Request"])
    return response


@channel_member_required
def thread_detail(request, frame, message_id):
    circle, membership, channel = frame.circle, frame.membership, frame.channel
    root = selectors.thread_root(channel, message_id)
    form = ReplyForm(request.POST or None, initial={"parent": request.GET.get("antwoord") or root.pk})
    if request.method == "POST" and form.is_valid():
        parent_id = form.cleaned_data.get("parent") or root.pk
        parent = Message.objects.filter(pk=parent_id, channel__circle=circle).first()
        try:
            if parent is None:
                raise InvalidInput(_("You can only reply to a message in the same channel."))
            message = services.message_post(author=request.user, channel=channel, body=form.cleaned_data["body"], parent=parent)
        except NotFound:
            raise
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your reply has been posted."))
            return redirect(_thread_url(circle, channel, root.pk, message.pk))
    last_read = channel.last_read
    root.sort_key = root.last_message_id
    [thread] = selectors.build_threads(request.user, [root], last_read=last_read)
    if request.method == "GET":
        services.read_marker_advance(user=request.user, channel=channel, message_id=root.last_message_id, known=last_read)
    reply_to = None
    parent_value = form["parent"].value()
    try:
        reply_to = next((n.message for n in thread.nodes if n.message.pk == int(parent_value)), None)
    except (TypeError, ValueError):
        reply_to = None
    context = _base_context(circle, membership, channel, frame.channels)
    context.update({"thread": thread, "root": root, "form": form, "reply_to": reply_to or root, "last_read": last_read,
                    "saved_ids": _saved_message_ids(request.user, [thread])})
    return render(request, "communities/thread.html", context)


def _message(circle, channel_slug, message_id):
    return selectors.message_in_circle(circle, channel_slug, message_id)


@member_required
def message_edit(request, circle, membership, channel_slug, message_id):
    message = _message(circle, channel_slug, message_id)
    if not permissions.can_edit_message(request.user, message):
        if message.author_id == request.user.pk:
            messages.error(request, _("You can only edit your own messages, in an open channel."))
            return redirect(_thread_url(circle, message.channel, message.thread_id_or_self, message.pk))
        raise Http404
    form = MessageForm(request.POST or None, initial={"body": message.body_source})
    if request.method == "POST" and form.is_valid():
        try:
            services.message_edit(editor=request.user, message=message, body=form.cleaned_data["body"])
        except NotFound:
            raise
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your message has been changed."))
            return redirect(_thread_url(circle, message.channel, message.thread_id_or_self, message.pk))
    return render(request, "communities/message_edit.html", {"circle": circle, "channel": message.channel,
                                                             "message": message, "form": form})


@member_required
def message_delete(request, circle, membership, channel_slug, message_id):
    message = _message(circle, channel_slug, message_id)
    back = _thread_url(circle, message.channel, message.thread_id_or_self, message.pk)
    if message.author_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            services.message_delete(actor=request.user, message=message)
        except ServiceError as error:
            return error_redirect(request, error, back)
        messages.success(request, _("Your message has been deleted. Replies to it stay in the thread."))
        return redirect(back)
    return render(request, "communities/message_delete.html", {"circle": circle, "channel": message.channel,
                                                               "message": message, "back": back})


@require_POST
@member_required
def message_hide(request, circle, membership, channel_slug, message_id):
    message = _message(circle, channel_slug, message_id)
    if membership.role != Membership.Role.FACILITATOR:
        raise Http404
    services.message_hide(moderator=request.user, message=message)
    messages.success(request, _("The message has been hidden."))
    return redirect(_thread_url(circle, message.channel, message.thread_id_or_self, message.pk))


@require_POST
@member_required
def message_react(request, circle, membership, channel_slug, message_id):
    message = _message(circle, channel_slug, message_id)
    back = safe_next(request, _thread_url(circle, message.channel, message.thread_id_or_self, message.pk),
                     anchor=f"message-{message.pk}")
    try:
        services.reaction_toggle(user=request.user, message=message, kind=request.POST.get("kind"))
    except ServiceError as error:
        return error_redirect(request, error, back)
    if request.htmx:
        node = selectors.MessageNode(message=message, reactions=selectors.reaction_counts(request.user, [message.pk])[message.pk])
        return render(request, "communities/includes/reactions.html",
                      {"node": node, "circle": circle, "channel": message.channel, "can_post": True,
                       **message_urls(message.channel)})
    return redirect(back)


@member_required
def message_report(request, circle, membership, channel_slug, message_id):
    message = _message(circle, channel_slug, message_id)
    back = _thread_url(circle, message.channel, message.thread_id_or_self, message.pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report(reporter=request.user, message=message, reason=form.cleaned_data["reason"])
        except NotFound:
            raise
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Thank you. The facilitators have been told about this message."))
            return redirect(back)
    return render(request, "communities/message_report.html", {"circle": circle, "channel": message.channel,
                                                               "message": message, "form": form, "back": back})
