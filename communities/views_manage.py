"""Facilitator screens: requests, members and roles, invitations, channels."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .errors import ServiceError
from .forms_circles import ChannelForm, ChannelSettingsForm, InvitationForm, RoleForm
from .models import Channel, Invitation, Membership
from .web import error_redirect, facilitator_required


def _context(circle, membership, section, **extra):
    return {
        "circle": circle,
        "membership": membership,
        "is_facilitator": True,
        "section": section,
        "pending_count": selectors.pending_requests(circle).count(),
        **extra,
    }


def _url(name, circle):
    return reverse(f"communities:{name}", args=[circle.slug])


@facilitator_required
def manage_requests(request, circle, membership):
    context = _context(circle, membership, "requests", requests=list(selectors.pending_requests(circle)))
    return render(request, "communities/manage/requests.html", context)


@require_POST
@facilitator_required
def manage_request(request, circle, membership, membership_id):
    target = Membership.objects.filter(pk=membership_id, circle=circle).select_related("user__profile").first()
    if target is None:
        raise Http404
    back = _url("manage_requests", circle)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.membership_approve(facilitator=request.user, membership=target)
            messages.success(request, _("%(name)s is now a member. We have let them know by email.")
                             % {"name": target.user.profile.display_name})
        elif action == "decline":
            services.membership_decline(facilitator=request.user, membership=target)
            messages.success(request, _("The request of %(name)s has been declined. We have let them know by email.")
                             % {"name": target.user.profile.display_name})
        else:
            messages.error(request, _("Choose whether to approve or decline the request."))
    except ServiceError as error:
        return error_redirect(request, error, back)
    return redirect(back)


@facilitator_required
def manage_members(request, circle, membership):
    members = selectors.role_order(selectors.circle_members(circle))
    for member in members:
        member.role_form = RoleForm(initial={"role": member.role}, prefix=f"m{member.pk}")
    return render(request, "communities/manage/members.html", _context(circle, membership, "members", members=members))


@require_POST
@facilitator_required
def manage_member(request, circle, membership, membership_id):
    target = Membership.objects.filter(pk=membership_id, circle=circle).select_related("user__profile").first()
    if target is None:
        raise Http404
    back = _url("manage_members", circle)
    name = target.user.profile.display_name
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(facilitator=request.user, membership=target)
            messages.success(request, _("%(name)s has been removed from the circle.") % {"name": name})
        else:
            role = request.POST.get("role") or request.POST.get(f"m{target.pk}-role")
            services.membership_change_role(facilitator=request.user, membership=target, role=role)
            target.refresh_from_db()
            messages.success(request, _("%(name)s is now %(role)s.") % {"name": name, "role": target.get_role_display()})
    except ServiceError as error:
        return error_redirect(request, error, back)
    return redirect(back)


@facilitator_required
def manage_invitations(request, circle, membership):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                facilitator=request.user, circle=circle, email=form.cleaned_data["email"],
                role=form.cleaned_data["role"] or Membership.Role.MEMBER,
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect(_url("manage_invitations", circle))
    invitations = list(Invitation.objects.filter(circle=circle).select_related("accepted_by__profile")[:100])
    now = timezone.now()
    for invitation in invitations:
        if invitation.accepted_at:
            invitation.status = _("accepted")
        elif invitation.revoked_at:
            invitation.status = _("withdrawn")
        elif invitation.expires_at <= now:
            invitation.status = _("expired")
        else:
            invitation.status = _("open")
            invitation.is_open = True
    context = _context(circle, membership, "invitations", form=form, invitations=invitations)
    return render(request, "communities/manage/invitations.html", context)


@require_POST
@facilitator_required
def manage_invitation_revoke(request, circle, membership, invitation_id):
    invitation = Invitation.objects.filter(pk=invitation_id, circle=circle).first()
    if invitation is None:
        raise Http404
    back = _url("manage_invitations", circle)
    try:
        services.invitation_revoke(facilitator=request.user, invitation=invitation)
    except ServiceError as error:
        return error_redirect(request, error, back)
    messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect(back)


@facilitator_required
def manage_channels(request, circle, membership):
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(
                facilitator=request.user, circle=circle, name=form.cleaned_data["name"], topic=form.cleaned_data["topic"]
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The channel %(name)s has been opened.") % {"name": channel.name})
            return redirect(_url("manage_channels", circle))
    channels = list(circle.channels.order_by("archived", "name"))
    return render(request, "communities/manage/channels.html",
                  _context(circle, membership, "channels", form=form, channels=channels))


@facilitator_required
def manage_channel(request, circle, membership, channel_slug):
    channel = Channel.objects.filter(circle=circle, slug=channel_slug).first()
    if channel is None:
        raise Http404
    channel.circle = circle
    initial = {"name": channel.name, "topic": channel.topic, "locked": channel.locked, "archived": channel.archived}
    form = ChannelSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.channel_update(facilitator=request.user, channel=channel, name=data["name"], topic=data["topic"],
                                    locked=data["locked"], archived=data["archived"])
        except ServiceError as error:
            form.add_service_error(error, field="topic" if error.code == "invalid_topic" else "name")
        else:
            messages.success(request, _("The channel settings have been saved."))
            return redirect(_url("manage_channels", circle))
    return render(request, "communities/manage/channel.html",
                  _context(circle, membership, "channels", form=form, channel=channel))



AUDIT_PAGE_SIZE = 50


@facilitator_required
def manage_log(request, circle, membership):
    """The circle's audit log: facilitator actions, newest first. Facilitators of this circle only."""
    from django.core.paginator import Paginator

    from .audit import describe_entries

    page = Paginator(selectors.audit_entries(circle), AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    describe_entries(list(page), circle=circle, viewer=request.user)  # list(page) keeps the page's rows
    return render(request, "communities/manage/log.html", _context(circle, membership, "log", page=page))
