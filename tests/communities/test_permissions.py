"""Every page and API endpoint of the circles app × every role of DESIGN.md.

Inside a circle, a signed-in person who may not see something gets 404 (never 403), and an
anonymous visitor gets the login page (pages) or 404/401 (API), whatever the object: neither
tells whether it exists.
"""

import json
from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import reverse

from communities.models import Circle, Membership
from tests.communities.conftest import post
from tests.factories import UserFactory

ROLES = ["anonymous", "outsider", "member", "expert", "facilitator", "removed"]
LOGIN = "login"  # a redirect to the login page


def by_role(anonymous, outsider, member, expert, facilitator, removed):
    return dict(zip(ROLES, (anonymous, outsider, member, expert, facilitator, removed)))


MEMBER_PAGE = by_role(LOGIN, 404, 200, 200, 200, 404)
MEMBER_ACTION = by_role(LOGIN, 404, 302, 302, 302, 404)
FACILITATOR_PAGE = by_role(LOGIN, 404, 404, 404, 200, 404)
FACILITATOR_ACTION = by_role(LOGIN, 404, 404, 404, 302, 404)
EVERYONE = by_role(200, 200, 200, 200, 200, 200)


@dataclass
class Case:
    name: str
    method: str
    url: Callable  # (world, user) -> url
    expected: dict
    data: Callable | dict | None = None
    api: bool = False

    def __str__(self):
        return self.name


def c_url(name, *extra):
    return lambda w, u: reverse(f"communities:{name}", args=[w.circle.slug, *[e(w, u) if callable(e) else e for e in extra]])


def root_of_author(w, u):
    return w.__dict__.setdefault("root", post(w.author, w.channel, "Wat vinden jullie?"))


def own_message(w, u):
    """A message written by the caller (for anonymous: by another member)."""
    return post(w.author, w.channel, "Eigen bericht").pk if u is None else _force_message(w, u).pk


def _force_message(w, u):
    from communities.models import Message

    return Message.objects.create(channel=w.channel, author=u, body_source="Eigen bericht", body_html="<p>Eigen bericht</p>",
                                  last_message_id=0)


def pending_membership(w, u):
    requester = UserFactory(username="vera")
    return Membership.objects.create(user=requester, circle=w.circle, state=Membership.State.PENDING).pk


def other_membership(w, u):
    return Membership.objects.get(user=w.author, circle=w.circle).pk


def open_invitation(w, u):
    from communities import services

    invitation, _token = services.invitation_create(facilitator=w.facilitator, circle=w.circle, email="nieuw@example.org")
    return invitation.pk


def own_token(w, u):
    from communities import services

    owner = u or w.author
    return services.access_token_create(user=owner, name="script")[0].pk


def unlisted(w, u):
    Circle.objects.filter(pk=w.circle.pk).update(visibility=Circle.Visibility.UNLISTED)
    return reverse("communities:circle", args=[w.circle.slug])


def msg_url(name):
    return lambda w, u: reverse(f"communities:{name}", args=[w.circle.slug, w.channel.slug, root_of_author(w, u).pk])


def own_msg_url(name):
    return lambda w, u: reverse(f"communities:{name}", args=[w.circle.slug, w.channel.slug, own_message(w, u)])


PAGES = [
    Case("circle list", "get", lambda w, u: reverse("communities:circle_list"), EVERYONE),
    Case("circle home (listed: public description)", "get", c_url("circle"), EVERYONE),
    Case("circle home (unlisted)", "get", unlisted, by_role(LOGIN, 404, 200, 200, 200, 404)),
    Case("join", "post", c_url("circle_join"), by_role(LOGIN, 302, 302, 302, 302, 302)),
    Case("leave: confirm", "get", c_url("circle_leave"), by_role(LOGIN, 302, 200, 200, 200, 302)),
    Case("leave", "post", c_url("circle_leave"), by_role(LOGIN, 302, 302, 302, 302, 302)),
    Case("invitation without a link", "get", c_url("invitation_landing"), by_role(404, 404, 404, 404, 404, 404)),
    Case("manage: requests", "get", c_url("manage_requests"), FACILITATOR_PAGE),
    Case("manage: approve request", "post", c_url("manage_request", pending_membership), FACILITATOR_ACTION,
         {"action": "approve"}),
    Case("manage: members", "get", c_url("manage_members"), FACILITATOR_PAGE),
    Case("manage: change role", "post", c_url("manage_member", other_membership), FACILITATOR_ACTION,
         {"action": "role", "role": "expert"}),
    Case("manage: remove member", "post", c_url("manage_member", other_membership), FACILITATOR_ACTION,
         {"action": "remove"}),
    Case("manage: invitations", "get", c_url("manage_invitations"), FACILITATOR_PAGE),
    Case("manage: invite", "post", c_url("manage_invitations"), FACILITATOR_ACTION,
         {"email": "nieuw@example.org", "role": "member"}),
    Case("manage: withdraw invitation", "post", c_url("manage_invitation_revoke", open_invitation), FACILITATOR_ACTION),
    Case("manage: channels", "get", c_url("manage_channels"), FACILITATOR_PAGE),
    Case("manage: open channel", "post", c_url("manage_channels"), FACILITATOR_ACTION, {"name": "Casuïstiek"}),
    Case("manage: channel settings", "get", c_url("manage_channel", "algemeen"), FACILITATOR_PAGE),
    Case("manage: lock channel", "post", c_url("manage_channel", "algemeen"), FACILITATOR_ACTION,
         {"name": "Algemeen", "locked": "on"}),
    Case("channel", "get", c_url("channel", "algemeen"), MEMBER_PAGE),
    Case("channel: new thread", "post", c_url("channel", "algemeen"), MEMBER_ACTION, {"body": "Nieuwe vraag"}),
    Case("thread", "get", msg_url("thread"), MEMBER_PAGE),
    Case("thread: reply", "post", msg_url("thread"), MEMBER_ACTION, {"body": "Mijn antwoord"}),
    Case("edit own message: form", "get", own_msg_url("message_edit"), MEMBER_PAGE),
    Case("edit own message", "post", own_msg_url("message_edit"), MEMBER_ACTION, {"body": "Beter zo"}),
    Case("edit someone else's message", "get", msg_url("message_edit"), by_role(LOGIN, 404, 404, 404, 404, 404)),
    Case("delete own message: confirm", "get", own_msg_url("message_delete"), MEMBER_PAGE),
    Case("delete own message", "post", own_msg_url("message_delete"), MEMBER_ACTION),
    Case("delete someone else's message", "post", msg_url("message_delete"), by_role(LOGIN, 404, 404, 404, 404, 404)),
    Case("hide message", "post", msg_url("message_hide"), FACILITATOR_ACTION),
    Case("react", "post", msg_url("message_react"), MEMBER_ACTION, {"kind": "thumbs_up"}),
    Case("report: form", "get", msg_url("message_report"), MEMBER_PAGE),
    Case("report", "post", msg_url("message_report"), MEMBER_ACTION, {"reason": "Niet vertrouwelijk genoeg"}),
    Case("API tokens page", "get", lambda w, u: reverse("communities:tokens"), by_role(LOGIN, 200, 200, 200, 200, 200)),
    Case("create API token", "post", lambda w, u: reverse("communities:tokens"), by_role(LOGIN, 302, 302, 302, 302, 302),
         {"name": "script", "scope": "read", "expires_in_days": "30"}),
    Case("revoke own API token", "post", lambda w, u: reverse("communities:token_revoke", args=[own_token(w, u)]),
         by_role(LOGIN, 302, 302, 302, 302, 302)),
]


def a(path):
    return lambda w, u: "/api/v1" + path(w, u)


API_MEMBER_READ = by_role(404, 404, 200, 200, 200, 404)
API_FACILITATOR = by_role(401, 404, 404, 404, 200, 404)

API = [
    Case("GET /circles", "get", a(lambda w, u: "/circles"), EVERYONE, api=True),
    Case("GET /circles/{slug}", "get", a(lambda w, u: f"/circles/{w.circle.slug}"), EVERYONE, api=True),
    Case("POST join", "post", a(lambda w, u: f"/circles/{w.circle.slug}/join"), by_role(401, 201, 409, 409, 409, 409), api=True),
    Case("POST leave", "post", a(lambda w, u: f"/circles/{w.circle.slug}/leave"), by_role(401, 409, 200, 200, 409, 409), api=True),
    Case("GET memberships", "get", a(lambda w, u: f"/circles/{w.circle.slug}/memberships"), API_MEMBER_READ, api=True),
    Case("GET pending memberships", "get", a(lambda w, u: f"/circles/{w.circle.slug}/memberships?state=pending"),
         by_role(404, 404, 404, 404, 200, 404), api=True),
    Case("POST approve", "post", a(lambda w, u: f"/circles/{w.circle.slug}/memberships/{pending_membership(w, u)}/approve"),
         API_FACILITATOR, api=True),
    Case("POST decline", "post", a(lambda w, u: f"/circles/{w.circle.slug}/memberships/{pending_membership(w, u)}/decline"),
         API_FACILITATOR, api=True),
    Case("PATCH membership role", "patch", a(lambda w, u: f"/circles/{w.circle.slug}/memberships/{other_membership(w, u)}"),
         API_FACILITATOR, {"role": "expert"}, api=True),
    Case("DELETE membership", "delete", a(lambda w, u: f"/circles/{w.circle.slug}/memberships/{other_membership(w, u)}"),
         API_FACILITATOR, api=True),
    Case("POST invitation", "post", a(lambda w, u: f"/circles/{w.circle.slug}/invitations"),
         by_role(401, 404, 404, 404, 201, 404), {"email": "nieuw@example.org"}, api=True),
    Case("GET channels", "get", a(lambda w, u: f"/circles/{w.circle.slug}/channels"), API_MEMBER_READ, api=True),
    Case("POST channel", "post", a(lambda w, u: f"/circles/{w.circle.slug}/channels"),
         by_role(401, 404, 404, 404, 201, 404), {"name": "Casuïstiek"}, api=True),
    Case("PATCH channel", "patch", a(lambda w, u: f"/circles/{w.circle.slug}/channels/algemeen"), API_FACILITATOR,
         {"locked": True}, api=True),
    Case("GET messages", "get", a(lambda w, u: f"/circles/{w.circle.slug}/channels/algemeen/messages"), API_MEMBER_READ, api=True),
    Case("POST message", "post", a(lambda w, u: f"/circles/{w.circle.slug}/channels/algemeen/messages"),
         by_role(401, 404, 201, 201, 201, 404), {"body": "Hallo"}, api=True),
    Case("GET message", "get", a(lambda w, u: f"/messages/{root_of_author(w, u).pk}"), API_MEMBER_READ, api=True),
    Case("PATCH own message", "patch", a(lambda w, u: f"/messages/{own_message(w, u)}"), by_role(401, 404, 200, 200, 200, 404),
         {"body": "Beter zo"}, api=True),
    Case("DELETE own message", "delete", a(lambda w, u: f"/messages/{own_message(w, u)}"), by_role(401, 404, 200, 200, 200, 404),
         api=True),
    Case("POST hide", "post", a(lambda w, u: f"/messages/{root_of_author(w, u).pk}/hide"), API_FACILITATOR, api=True),
    Case("POST report", "post", a(lambda w, u: f"/messages/{root_of_author(w, u).pk}/report"),
         by_role(401, 404, 201, 201, 201, 404), {"reason": "Klopt niet"}, api=True),
    Case("PUT reaction", "put", a(lambda w, u: f"/messages/{root_of_author(w, u).pk}/reactions/idea"),
         by_role(401, 404, 200, 200, 200, 404), api=True),
    Case("DELETE reaction", "delete", a(lambda w, u: f"/messages/{root_of_author(w, u).pk}/reactions/idea"),
         by_role(401, 404, 200, 200, 200, 404), api=True),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", PAGES + API, ids=str)
def test_who_may_do_what(client, world, case, role):
    user = world.people[role]
    if user is not None:
        client.force_login(user)
    url = case.url(world, user)
    data = case.data(world, user) if callable(case.data) else case.data
    if case.api:
        body = json.dumps(data) if data is not None else None
        response = getattr(client, case.method)(url, data=body, content_type="application/json")
        assert response["Content-Type"].startswith("application/json")
    else:
        response = getattr(client, case.method)(url, data=data or {})
    expected = case.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, response.content[:500]
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("path", ["/kringen/bestaat-niet/", "/kringen/bestaat-niet/kanalen/algemeen/",
                                  "/kringen/bestaat-niet/beheer/"])
def test_a_circle_that_does_not_exist_looks_like_one_you_may_not_see(client, outsider, path):
    assert client.get(path).status_code == 302  # anonymous: login, as for an existing circle
    client.force_login(outsider)
    assert client.get(path).status_code == 404


def test_api_errors_on_unknown_objects_are_json_404(client, official):
    client.force_login(official)
    for url in ["/api/v1/circles/bestaat-niet/channels", "/api/v1/messages/999999", "/api/v1/bestaat/niet"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["detail"]


