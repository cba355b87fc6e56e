"""The audit log of facilitator actions: written by the services, shown to the circle's facilitators."""

import pytest
from django.urls import reverse

from communities import services
from communities.audit import audit_record
from communities.errors import Conflict
from communities.models import AuditEntry, Membership
from tests.accounts.helpers import main_text, soup
from tests.communities.conftest import post
from tests.factories import CircleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def log_url(circle):
    return reverse("communities:manage_log", args=[circle.slug])


def log_rows(client, circle):
    response = client.get(log_url(circle))
    assert response.status_code == 200
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")][1:] for tr in soup(response).select("main tbody tr")]


def membership(user, circle):
    return Membership.objects.get(user=user, circle=circle)


@pytest.fixture
def applicant(circle):
    user = UserFactory(username="piet", profile__display_name="Piet Aanvrager")
    MembershipFactory(user=user, circle=circle, state=Membership.State.PENDING)
    return user


def test_membership_actions_are_logged_with_who_and_whom(client, circle, facilitator, official, expert, applicant):
    other = UserFactory(username="door", profile__display_name="Door Afgewezen")
    MembershipFactory(user=other, circle=circle, state=Membership.State.PENDING)

    services.membership_approve(facilitator=facilitator, membership=membership(applicant, circle))
    services.membership_decline(facilitator=facilitator, membership=membership(other, circle))
    services.membership_change_role(facilitator=facilitator, membership=membership(official, circle), role="expert")
    services.membership_remove(facilitator=facilitator, membership=membership(expert, circle))

    client.force_login(facilitator)
    assert log_rows(client, circle) == [
        ["Bram Begeleider", "Verwijderde een lid", "Esther Expert", "–"],
        ["Bram Begeleider", "Wijzigde een rol", "Anouk Ambtenaar", "van lid naar expert"],
        ["Bram Begeleider", "Wees een aanvraag om lid te worden af", "Door Afgewezen", "–"],
        ["Bram Begeleider", "Keurde een aanvraag om lid te worden goed", "Piet Aanvrager", "–"],
    ]
    entry = AuditEntry.objects.get(action="role_changed")
    assert (entry.actor, entry.target_user, entry.details) == (facilitator, official, {"old": "member", "new": "expert"})


def test_moderation_of_messages_and_channels_is_logged(client, circle, channel, facilitator, official):
    message = post(official, channel, "Niet zo handig")
    services.message_hide(moderator=facilitator, message=message)
    services.message_hide(moderator=facilitator, message=message)  # already hidden: nothing new
    services.channel_update(facilitator=facilitator, channel=channel, locked=True)
    services.channel_update(facilitator=facilitator, channel=channel, locked=False, archived=True)
    services.channel_update(facilitator=facilitator, channel=channel, archived=False)
    services.channel_update(facilitator=facilitator, channel=channel, topic="Alleen het onderwerp")  # not logged

    client.force_login(facilitator)
    rows = log_rows(client, circle)
    assert [row[1] for row in rows] == [
        "Haalde een kanaal uit het archief",
        "Archiveerde een kanaal",
        "Opende een gesloten kanaal weer",
        "Sloot een kanaal",
        "Verborg een bericht",
    ]
    assert rows[-1] == ["Bram Begeleider", "Verborg een bericht", "Anouk Ambtenaar", "in Algemeen"]
    page = soup(client.get(log_url(circle)))
    thread = reverse("communities:thread", args=[circle.slug, channel.slug, message.pk])
    assert page.find("a", href=f"{thread}#message-{message.pk}").get_text() == "Algemeen"
    assert page.find("a", href=channel.get_absolute_url()).get_text() == "Algemeen"


def test_actions_done_on_the_pages_are_logged_too(client, circle, facilitator, official):
    client.force_login(facilitator)
    client.post(reverse("communities:manage_member", args=[circle.slug, membership(official, circle).pk]), {"action": "remove"})
    assert AuditEntry.objects.get().action == "member_removed"


def test_refused_actions_leave_no_entry(circle, facilitator, official):
    services.membership_remove(facilitator=facilitator, membership=membership(official, circle))
    with pytest.raises(Conflict):
        services.membership_remove(facilitator=facilitator, membership=membership(official, circle))
    with pytest.raises(Conflict):  # the last facilitator cannot step down
        services.membership_change_role(facilitator=facilitator, membership=membership(facilitator, circle), role="member")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["member_removed"]


def test_an_entry_is_rolled_back_with_its_change(circle, facilitator, official, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr("communities.services._end_membership", fail)
    with pytest.raises(RuntimeError):
        services.membership_remove(facilitator=facilitator, membership=membership(official, circle))
    assert not AuditEntry.objects.exists()


def test_unknown_actions_are_refused(circle, facilitator):
    with pytest.raises(ValueError):
        audit_record(circle=circle, actor=facilitator, action="deleted_everything")


@pytest.mark.parametrize(
    "person, status",
    [("anonymous", 302), ("outsider", 404), ("member", 404), ("expert", 404), ("removed", 404), ("facilitator", 200)],
)
def test_only_the_circles_facilitators_see_the_log(client, world, person, status):
    user = world.people[person]
    if user is not None:
        client.force_login(user)
    response = client.get(log_url(world.circle))
    assert response.status_code == status
    if person == "anonymous":
        assert response.url.startswith(reverse("account_login"))


def test_facilitators_of_another_circle_get_404(client, circle, facilitator):
    other = CircleFactory()
    client.force_login(facilitator)
    assert client.get(log_url(other)).status_code == 404
    assert client.get(reverse("communities:manage_log", args=["bestaat-niet"])).status_code == 404


def test_the_manage_navigation_links_to_the_log(client, circle, facilitator):
    client.force_login(facilitator)
    response = client.get(log_url(circle))
    nav = soup(response).select_one("nav.lk-manage-nav")
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "Logboek"
    assert "Er staat nog niets in het logboek." in main_text(response)


def test_a_deleted_account_shows_as_deleted_participant(client, circle, facilitator, official, expert):
    services.membership_change_role(facilitator=facilitator, membership=membership(official, circle), role="expert")
    services.membership_change_role(facilitator=facilitator, membership=membership(expert, circle), role="facilitator")
    services.account_delete(user=official)
    services.account_delete(user=facilitator)

    client.force_login(expert)
    assert log_rows(client, circle)[-1] == ["verwijderde deelnemer", "Wijzigde een rol", "verwijderde deelnemer", "van lid naar expert"]


@pytest.mark.parametrize("size", [5, 60])
def test_the_log_page_needs_the_same_queries_for_5_or_60_entries(client, circle, channel, facilitator, size,
                                                                  django_assert_num_queries):
    people = [UserFactory() for _ in range(3)]
    for n in range(size):
        audit_record(circle=circle, actor=facilitator, action="role_changed", target_user=people[n % 3], old="member", new="expert")
        audit_record(circle=circle, actor=facilitator, action="channel_locked", channel=channel.pk, channel_name="Algemeen")
    client.force_login(facilitator)
    client.get(log_url(circle))
    with django_assert_num_queries(QUERIES):
        response = client.get(log_url(circle) + "?pagina=1")
    assert response.status_code == 200


QUERIES = 8  # no session or usersessions write on this second GET (config.middleware.SessionActivityMiddleware); circle and membership in one
