"""The circles part of the JSON API (/api/v1/). Same permissions and services as the pages.

Lists page the one way config/api_conventions.py describes (`cursor` in; `next`, `next_cursor`
and a `Link: rel="next"` header out).
"""

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, StrictInt, StrictStr

from config.api_conventions import ERRORS, NOT_BLANK, PageOut, documented, cursor_param, decode_cursor, keyset_page, offset_page, page
from idempotency.api import HEADER_DESCRIPTION as IDEMPOTENCY
from idempotency.api import idempotent

from . import permissions, selectors, services

from .api_auth import require_user
from .errors import InvalidInput, NotFound
from .models import Circle, Membership, Message, Reaction
from .models.channels import MESSAGE_MAX_LENGTH
from .payloads import author_payload, message_payload

router = Router(tags=["circles"])

ROLES = list(Membership.Role.values)
RoleName = Literal[tuple(ROLES)]
MembershipState = Literal[tuple(Membership.State.values)]
ReactionKind = Literal[tuple(Reaction.Kind.values)]

PAGE_SIZE = 50


# --- Schemas ----------------------------------------------------------------------------


class Person(Schema):
    id: int | None
    name: str


class MyMembership(Schema):
    role: RoleName
    state: MembershipState


class CircleOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    visibility: Literal[tuple(Circle.Visibility.values)]
    join_policy: Literal[tuple(Circle.JoinPolicy.values)]
    archived: bool
    member_count: int
    url: str
    my_membership: MyMembership | None


class CirclePage(PageOut):
    items: list[CircleOut]


class MembershipOut(Schema):
    id: int
    circle: str
    user: Person
    role: RoleName
    state: MembershipState


class MembershipPage(PageOut):
    items: list[MembershipOut]


class RoleIn(Schema):
    role: StrictStr = Field(description="The new role", examples=["expert"], **documented(enum=ROLES))


class InvitationIn(Schema):
    email: StrictStr = Field(description="Where the invitation goes", **documented(format="email", maxLength=254),
                             examples=["collega@gemeente.nl"])
    role: StrictStr = Field("member", description="The role the invitee gets on accepting", **documented(enum=ROLES))


class InvitationOut(Schema):
    id: int
    email: str = Field(json_schema_extra={"format": "email"})
    role: RoleName
    expires_at: datetime


class ChannelOut(Schema):
    id: int
    slug: str
    name: str
    topic: str
    locked: bool
    archived: bool
    unread: int
    url: str


class ChannelPage(PageOut):
    items: list[ChannelOut]


class ChannelIn(Schema):
    name: StrictStr = Field(**documented(minLength=1, maxLength=80, pattern=NOT_BLANK), examples=["Wonen"])
    topic: StrictStr = Field("", **documented(maxLength=250), examples=["Woonagenda's en regionale afspraken"])


class ChannelPatch(Schema):
    name: StrictStr | None = Field(None, **documented(minLength=1, maxLength=80, pattern=NOT_BLANK))
    topic: StrictStr | None = Field(None, **documented(maxLength=250))
    locked: StrictBool | None = Field(None, description="A locked channel takes no new threads")
    archived: StrictBool | None = None


class ReactionOut(Schema):
    kind: ReactionKind
    count: int
    mine: bool


class MessageOut(Schema):
    id: int
    channel: int
    parent: int | None
    thread: int
    depth: int
    author: Person
    html: str
    created: str
    edited: str | None
    deleted: bool
    hidden: bool
    reactions: list[ReactionOut]


class MessagePage(PageOut):
    items: list[MessageOut]


class MessageIn(Schema):
    body: StrictStr = Field(description="Markdown", **documented(minLength=1, maxLength=MESSAGE_MAX_LENGTH, pattern=NOT_BLANK),
                            examples=["Hoe pakken jullie de **regionale woonagenda** aan?"])
    parent: StrictInt | None = Field(None, **documented(minimum=1, maximum=2**63 - 1), description="id of the message this replies to",
                                     examples=[None])


class MessageEditIn(Schema):
    body: StrictStr = Field(description="Markdown", **documented(minLength=1, maxLength=MESSAGE_MAX_LENGTH, pattern=NOT_BLANK),
                            examples=["Hoe pakken jullie de regionale woonagenda aan? (aangevuld)"])


class ReportIn(Schema):
    reason: StrictStr = Field(**documented(minLength=1, maxLength=2000, pattern=NOT_BLANK), examples=["Dit bericht noemt een inwoner bij naam."])


class ReactionState(Schema):
    kind: ReactionKind
    mine: bool


# --- Helpers ----------------------------------------------------------------------------


def _circle_out(circle: Circle, membership: Membership | None) -> dict:
    mine = None
    if membership is not None:
        mine = {"role": membership.role, "state": membership.state}
    return {
        "id": circle.pk,
        "slug": circle.slug,
        "name": circle.name,
        "description": circle.description,
        "visibility": circle.visibility,
        "join_policy": circle.join_policy,
        "archived": circle.archived,
        "member_count": getattr(circle, "member_count", 0),
        "url": circle.get_absolute_url(),
        "my_membership": mine,
    }


def _membership_out(membership: Membership) -> dict:
    return {
        "id": membership.pk,
        "circle": membership.circle.slug,
        "user": author_payload(membership.user),
        "role": membership.role,
        "state": membership.state,
    }


def _channel_out(channel) -> dict:
    return {
        "id": channel.pk,
        "slug": channel.slug,
        "name": channel.name,
        "topic": channel.topic,
        "locked": channel.locked,
        "archived": channel.archived,
        "unread": getattr(channel, "unread", 0),
        "url": channel.get_absolute_url(),
    }


def _message_out(message: Message, reactions) -> dict:
    return {
        **message_payload(message),
        "reactions": [{"kind": r.kind, "count": r.count, "mine": r.mine} for r in reactions],
    }


def _member_circle(request, slug):
    return selectors.member_circle(request.user, slug)


def _managed_membership(request, slug, membership_id) -> Membership:
    require_user(request)
    circle, _mine = _member_circle(request, slug)
    permissions.require_facilitator(request.user, circle)
    membership = Membership.objects.filter(pk=membership_id, circle=circle).select_related("user__profile").first()
    if membership is None:
        raise NotFound(_("This membership does not exist."))
    membership.circle = circle
    return membership


# --- Circles and memberships ------------------------------------------------------------


@router.get("/circles", response={200: CirclePage, **ERRORS}, summary="Listed circles and your own")
def list_circles(request, response: HttpResponse, cursor: str | None = cursor_param()):
    """Circles anyone may find, and the circles you are an active member of, oldest first."""
    mine = Q()
    if request.user.is_authenticated:
        mine = Q(memberships__user=request.user, memberships__state=Membership.State.ACTIVE)
    queryset = selectors.circles_with_member_count(
        Circle.objects.filter(Q(visibility=Circle.Visibility.LISTED, archived=False) | mine)
    )
    memberships = selectors.memberships_by_circle(request.user)
    return keyset_page(request, response, queryset, cursor=cursor, size=PAGE_SIZE,
                       out=lambda circle: _circle_out(circle, memberships.get(circle.pk)))


@router.get("/circles/{slug}", response={200: CircleOut, **ERRORS})
def get_circle(request, slug: str):
    """A listed circle, or a circle you are a member of; 404 otherwise."""
    circle = selectors.visible_circle(request.user, slug)
    circle.member_count = circle.memberships.filter(state=Membership.State.ACTIVE).count()
    own = Membership.objects.filter(user=request.user, circle=circle).first() if request.user.is_authenticated else None
    return _circle_out(circle, own)


@router.post("/circles/{slug}/join", response={201: MembershipOut, **ERRORS},
             summary="Join an open circle, or ask to join one on request")
def join_circle(request, slug: str):
    """An open circle makes you a member at once; a circle on request records a pending request for its facilitators."""
    user = require_user(request)
    circle = selectors.visible_circle(user, slug)
    return Status(201, _membership_out(services.circle_join(user=user, circle=circle)))


@router.post("/circles/{slug}/leave", response={200: MembershipOut, **ERRORS},
             summary="Leave a circle, or withdraw a request to join")
def leave_circle(request, slug: str):
    """Ends your membership, or withdraws your pending request. The last facilitator cannot leave (409)."""
    user = require_user(request)
    circle = Circle.objects.filter(slug=slug).first()
    if circle is None:
        raise NotFound(_("This learning circle does not exist."))
    return _membership_out(services.circle_leave(user=user, circle=circle))


@router.get("/circles/{slug}/memberships", response={200: MembershipPage, **ERRORS},
            summary="Members (facilitators may also list pending requests)")
def list_memberships(request, response: HttpResponse, slug: str,
                     state: Literal["active", "pending"] = Query("active", description="active members, or pending requests (facilitators)"),
                     cursor: str | None = cursor_param()):
    """Oldest first. Pending requests are for the circle's facilitators only (403 for others)."""
    circle, mine = _member_circle(request, slug)
    if state == "pending":
        permissions.require_facilitator(request.user, circle)

    def out(membership):
        membership.circle = circle
        return _membership_out(membership)

    queryset = Membership.objects.filter(circle=circle, state=state).select_related("user__profile")
    return keyset_page(request, response, queryset, cursor=cursor, size=PAGE_SIZE, out=out)


@router.post("/circles/{slug}/memberships/{membership_id}/approve", response={200: MembershipOut, **ERRORS})
def approve_membership(request, slug: str, membership_id: int):
    """Facilitators: accept a pending request to join."""
    membership = _managed_membership(request, slug, membership_id)
    return _membership_out(services.membership_approve(facilitator=request.user, membership=membership))


@router.post("/circles/{slug}/memberships/{membership_id}/decline", response={200: MembershipOut, **ERRORS})
def decline_membership(request, slug: str, membership_id: int):
    """Facilitators: turn down a pending request to join."""
    membership = _managed_membership(request, slug, membership_id)
    return _membership_out(services.membership_decline(facilitator=request.user, membership=membership))


@router.patch("/circles/{slug}/memberships/{membership_id}", response={200: MembershipOut, **ERRORS},
              summary="Change a member's role")
def change_role(request, slug: str, membership_id: int, payload: RoleIn):
    """Facilitators: make a member a member, expert or facilitator."""
    membership = _managed_membership(request, slug, membership_id)
    return _membership_out(
        services.membership_change_role(facilitator=request.user, membership=membership, role=payload.role)
    )


@router.delete("/circles/{slug}/memberships/{membership_id}", response={200: MembershipOut, **ERRORS},
               summary="Remove a member from the circle")
def remove_membership(request, slug: str, membership_id: int):
    """Facilitators: take someone out of the circle; their messages stay."""
    membership = _managed_membership(request, slug, membership_id)
    return _membership_out(services.membership_remove(facilitator=request.user, membership=membership))


@router.post("/circles/{slug}/invitations", response={201: InvitationOut, **ERRORS},
             summary="Invite someone by email (the link is emailed, never returned)")
def create_invitation(request, slug: str, payload: InvitationIn):
    """Facilitators: invite an email address with a role. The link goes by email only."""
    user = require_user(request)
    circle, _mine = _member_circle(request, slug)
    invitation, _token = services.invitation_create(facilitator=user, circle=circle, email=payload.email, role=payload.role)
    return Status(
        201, {"id": invitation.pk, "email": invitation.email, "role": invitation.role, "expires_at": invitation.expires_at}
    )


# --- Channels ---------------------------------------------------------------------------


@router.get("/circles/{slug}/channels", response={200: ChannelPage, **ERRORS},
            summary="Channels with your unread counts")
def list_channels(request, response: HttpResponse, slug: str, cursor: str | None = cursor_param()):
    """Open channels by name, then the archived ones."""
    circle, _mine = _member_circle(request, slug)
    channels = selectors.channels_with_unread(request.user, circle)
    return offset_page(request, response, channels, cursor=cursor, size=PAGE_SIZE, out=_channel_out)


@router.post("/circles/{slug}/channels", response={201: ChannelOut, **ERRORS})
def create_channel(request, slug: str, payload: ChannelIn):
    """Facilitators: add a channel; its slug follows from the name."""
    user = require_user(request)
    circle, _mine = _member_circle(request, slug)
    channel = services.channel_create(facilitator=user, circle=circle, name=payload.name, topic=payload.topic)
    return Status(201, _channel_out(channel))


@router.patch("/circles/{slug}/channels/{channel_slug}", response={200: ChannelOut, **ERRORS},
              summary="Rename, lock/unlock or archive a channel")
def update_channel(request, slug: str, channel_slug: str, payload: ChannelPatch):
    """Facilitators: send only the fields to change."""
    user = require_user(request)
    circle, _mine = _member_circle(request, slug)
    channel = selectors.channel_in_circle(circle, channel_slug)
    permissions.require_facilitator(user, circle)
    channel = services.channel_update(facilitator=user, channel=channel, **payload.dict(exclude_unset=True))
    return _channel_out(channel)


# --- Messages ---------------------------------------------------------------------------


@router.get("/circles/{slug}/channels/{channel_slug}/messages", response={200: MessagePage, **ERRORS},
            summary="Messages of a channel, newest first")
def list_messages(request, response: HttpResponse, slug: str, channel_slug: str, cursor: str | None = cursor_param(),
                  limit: int = Query(PAGE_SIZE, ge=1, le=selectors.MAX_API_PAGE, description="Messages per page")):
    """Every message of the channel (roots and replies), newest first. A new message never
    shifts the pages after the first."""
    circle, _mine = _member_circle(request, slug)
    channel = selectors.channel_in_circle(circle, channel_slug)
    before = decode_cursor(cursor)
    items, reactions, more = selectors.channel_messages(request.user, channel, before=before, limit=limit)
    return page(request, response, [_message_out(m, reactions[m.pk]) for m in items], items[-1].pk if more else None)


@router.post("/circles/{slug}/channels/{channel_slug}/messages", response={201: MessageOut, **ERRORS},
             summary="Post a message, or a reply with `parent`", description=IDEMPOTENCY)
@idempotent
def post_message(request, slug: str, channel_slug: str, payload: MessageIn):
    user = require_user(request)
    circle, _mine = _member_circle(request, slug)
    channel = selectors.channel_in_circle(circle, channel_slug)
    parent = None
    if payload.parent is not None:
        parent = Message.objects.filter(pk=payload.parent, channel__circle=circle).first()
        if parent is None:
            raise InvalidInput(_("You can only reply to a message in the same channel."), code="wrong_parent")
    message = services.message_post(author=user, channel=channel, body=payload.body, parent=parent)
    return Status(201, _message_out(message, selectors.reaction_counts(user, [message.pk])[message.pk]))


@router.get("/messages/{message_id}", response={200: MessageOut, **ERRORS})
def get_message(request, message_id: int):
    """One message you may read, with its reactions."""
    message = selectors.readable_message(request.user, message_id)
    return _message_out(message, selectors.reaction_counts(request.user, [message.pk])[message.pk])


@router.patch("/messages/{message_id}", response={200: MessageOut, **ERRORS}, summary="Edit your own message")
def edit_message(request, message_id: int, payload: MessageEditIn):
    """Authors only; the message shows it was edited."""
    user = require_user(request)
    message = selectors.readable_message(user, message_id)
    message = services.message_edit(editor=user, message=message, body=payload.body)
    return _message_out(message, selectors.reaction_counts(user, [message.pk])[message.pk])


@router.delete("/messages/{message_id}", response={200: MessageOut, **ERRORS},
               summary="Delete your own message (the thread keeps its place)")
def delete_message(request, message_id: int):
    """Authors (and facilitators): the text goes, the place in the thread stays."""
    user = require_user(request)
    message = selectors.readable_message(user, message_id)
    message = services.message_delete(actor=user, message=message)
    return _message_out(message, selectors.reaction_counts(user, [message.pk])[message.pk])


@router.post("/messages/{message_id}/hide", response={200: MessageOut, **ERRORS}, summary="Hide a message (facilitators)")
def hide_message(request, message_id: int):
    """Facilitators: hide a message from the circle without deleting it."""
    user = require_user(request)
    message = selectors.readable_message(user, message_id)
    message = services.message_hide(moderator=user, message=message)
    return _message_out(message, selectors.reaction_counts(user, [message.pk])[message.pk])


@router.post("/messages/{message_id}/report", response={201: dict, **ERRORS}, summary="Report a message to the facilitators")
def report_message(request, message_id: int, payload: ReportIn):
    """Tell the circle's facilitators what is wrong with a message."""
    user = require_user(request)
    message = selectors.readable_message(user, message_id)
    report = services.message_report(reporter=user, message=message, reason=payload.reason)
    return Status(201, {"id": report.pk})


@router.put("/messages/{message_id}/reactions/{kind}", response={200: ReactionState, **ERRORS},
            summary="Add one of the fixed reactions: " + ", ".join(Reaction.Kind.values))
def add_reaction(request, message_id: int, kind: str):
    """Idempotent: adding a reaction you already gave changes nothing."""
    user = require_user(request)
    message = selectors.readable_message(user, message_id)
    return {"kind": kind, "mine": services.reaction_set(user=user, message=message, kind=kind, on=True)}


@router.delete("/messages/{message_id}/reactions/{kind}", response={200: ReactionState, **ERRORS},
               summary="Take back a reaction")
def remove_reaction(request, message_id: int, kind: str):
    """Idempotent: taking back a reaction you did not give changes nothing."""
    user = require_user(request)
    message = selectors.readable_message(user, message_id)
    return {"kind": kind, "mine": services.reaction_set(user=user, message=message, kind=kind, on=False)}
