"""Circle list, circle home, joining, leaving and invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .errors import NotFound, ServiceError
from .models import Membership
from .web import error_redirect, not_found_as_404

CIRCLES_PER_PAGE = 24
INVITATION_SESSION_KEY = "lk_invitation_token"


def circle_list(request):
    page = Paginator(selectors.listed_circles(), CIRCLES_PER_PAGE).get_page(request.GET.get("pagina"))
    memberships = selectors.memberships_by_circle(request.user)
    for circle in page:
        circle.my_membership = memberships.get(circle.pk)
    return render(
        request,
        "communities/circle_list.html",
        {"page": page, "circles": page.object_list, "my_circles": selectors.my_circles(request.user)},
    )


def circle_home(request, slug):
    try:
        circle = selectors.visible_circle(request.user, slug)
    except NotFound as error:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise Http404(error.message) from None
    membership = permissions.active_membership(request.user, circle)
    if membership is None:
        own = None
        if request.user.is_authenticated:
            own = Membership.objects.filter(user=request.user, circle=circle).first()
        member_count = circle.memberships.filter(state=Membership.State.ACTIVE).count()
        return render(
            request,
            "communities/circle_public.html",
            {"circle": circle, "own_membership": own, "member_count": member_count},
        )
    is_facilitator = membership.role == Membership.Role.FACILITATOR
    channels = selectors.channels_with_unread(request.user, circle)
    members = selectors.role_order(selectors.circle_members(circle))
    context = {
        "circle": circle,
        "membership": membership,
        "is_facilitator": is_facilitator,
        "channels": [c for c in channels if not c.archived],
        "archived_channels": [c for c in channels if c.archived],
        "members": members,
        "pending_count": selectors.pending_requests(circle).count() if is_facilitator else 0,
    }
    return render(request, "communities/circle_home.html", context)


@require_POST
@login_required
@not_found_as_404
def circle_join(request, slug):
    circle = selectors.visible_circle(request.user, slug)
    try:
        membership = services.circle_join(user=request.user, circle=circle)
    except ServiceError as error:
        return error_redirect(request, error, circle.get_absolute_url())
    if membership.state == Membership.State.ACTIVE:
        messages.success(request, _("Welcome to %(circle)s.") % {"circle": circle.name})
    else:
        messages.success(
            request,
            _("Your request has been sent. You will get an email when a facilitator has decided on it."),
        )
    return redirect(circle)


@login_required
@not_found_as_404
def circle_leave(request, slug):
    circle = selectors.visible_circle(request.user, slug)
    membership = Membership.objects.filter(
        user=request.user, circle=circle, state__in=[Membership.State.ACTIVE, Membership.State.PENDING]
    ).first()
    if request.method == "POST":
        try:
            services.circle_leave(user=request.user, circle=circle)
        except ServiceError as error:
            return error_redirect(request, error, circle.get_absolute_url())
        if membership is not None and membership.state == Membership.State.PENDING:
            messages.success(request, _("Your request to join %(circle)s has been withdrawn.") % {"circle": circle.name})
        else:
            messages.success(request, _("You have left %(circle)s.") % {"circle": circle.name})
        return redirect("communities:circle_list")
    if membership is None:
        messages.error(request, _("You are not a member of this circle."))
        return redirect(circle)
    return render(request, "communities/circle_leave.html", {"circle": circle, "membership": membership})


def invitation_start(request, slug, token):
    """The link from the email: keep the token in the session (it survives signing up and
    confirming the email address) and continue on a URL without it."""
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("communities:invitation_landing", slug=slug)


def invitation(request, slug):
    token = request.session.get(INVITATION_SESSION_KEY)
    invitation = services.invitation_for_token(token)
    if token is None:
        raise Http404(_("This invitation link is not valid. Ask the facilitator for a new invitation."))
    if invitation is not None and invitation.circle.slug != slug:
        invitation = None
    circle = invitation.circle if invitation else None
    problem = services.invitation_problem(invitation)
    error = None
    if request.method == "POST" and request.user.is_authenticated and not problem:
        try:
            services.invitation_accept(user=request.user, token=token)
        except ServiceError as failure:
            error = failure.message
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(request, _("Welcome to %(circle)s.") % {"circle": circle.name})
            return redirect(circle)
    here = reverse("communities:invitation_landing", args=[slug])
    return render(
        request,
        "communities/invitation.html",
        {
            "invitation": invitation,
            "circle": circle,
            "problem": problem,
            "error": error,
            "login_url": f"{reverse('account_login')}?next={here}",
            "signup_url": f"{reverse('account_signup')}?next={here}",
        },
        status=422 if error else 200,
    )


def pending_invitation_url(request) -> str | None:
    """Where to continue after login when an invitation is waiting in the session."""
    token = request.session.get(INVITATION_SESSION_KEY)
    invitation = services.invitation_for_token(token)
    if invitation is None or services.invitation_problem(invitation):
        return None
    return reverse("communities:invitation_landing", args=[invitation.circle.slug])

