"""Case triggers and case search: the right people, once, and no confidential content."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from casework import services
from casework.models import Case
from communities.models import Delivery, Membership, NotificationKind, NotificationPreference
from communities.notifications.search import member_search
from communities.search_vectors import refresh_case_vectors
from tests.casework.conftest import fresh, make_member, put_in_phase
from tests.factories import CircleFactory, UserFactory

from .conftest import notifications_of

pytestmark = pytest.mark.django_db

CONTENT_WORD = "wachtlijstproblematiek"


@pytest.fixture
def circle():
    return CircleFactory(name="Slim samenwerken", slug="slim-samenwerken")


@pytest.fixture
def owner(circle):
    return make_member(circle, "anouk", name="Anouk Ambtenaar")


@pytest.fixture
def colleague(circle):
    return make_member(circle, "cor", name="Cor Collega")


@pytest.fixture
def expert(circle):
    return make_member(circle, "esther", Membership.Role.EXPERT, name="Esther Expert")


@pytest.fixture
def facilitator(circle):
    return make_member(circle, "bram", Membership.Role.FACILITATOR, name="Bram Begeleider")


@pytest.fixture
def outsider():
    return UserFactory(username="olga", profile__display_name="Olga Buitenstaander")


def bring_in(owner, circle, *, confidential=False, title="Kostenverdeling jeugdzorg in de regio"):
    case = services.case_create(
        author=owner,
        circle=circle,
        title=title,
        context=f"Zes gemeenten kopen samen jeugdzorg in; de {CONTENT_WORD} bij familie De Boer loopt op.",
        question="Hoe houden we iedereen aan boord?",
        confidential=confidential,
    )
    return services.case_move(actor=owner, case=case, to_phase="questions")


def kinds(user):
    return [n.kind for n in notifications_of(user)]


def test_a_new_case_reaches_every_member_but_its_owner_and_no_outsider(circle, owner, colleague, expert, facilitator, outsider):
    case = services.case_create(author=owner, circle=circle, title="Concept", context="x", question="y")
    assert kinds(colleague) == []  # a draft is nobody's business yet
    services.case_move(actor=owner, case=case, to_phase="questions")
    for person in (colleague, expert, facilitator):
        assert kinds(person) == [NotificationKind.CASE_NEW]
    assert kinds(owner) == [] and kinds(outsider) == []


def test_a_question_and_feedback_reach_the_owner_once_each(circle, owner, colleague, expert):
    case = bring_in(owner, circle)
    services.question_ask(author=fresh(colleague), case=case, body="Sinds wanneer?")
    put_in_phase(case, Case.Phase.ADVICE)
    services.feedback_give(author=fresh(expert), case=case, analysis="a", approach="b", risks="c")
    owner_kinds = kinds(owner)
    assert owner_kinds == [NotificationKind.CASE_CONTRIBUTION, NotificationKind.CASE_CONTRIBUTION]
    assert [n.data["contribution"] for n in notifications_of(owner)] == ["question", "feedback"]
    assert NotificationKind.CASE_CONTRIBUTION not in kinds(colleague) + kinds(expert)


def test_a_phase_change_reaches_the_contributors_not_the_one_who_moved_it(circle, owner, colleague, expert, facilitator):
    case = bring_in(owner, circle)
    services.question_ask(author=fresh(colleague), case=case, body="Sinds wanneer?")
    services.case_move(actor=fresh(facilitator), case=case, to_phase="advice")
    assert kinds(colleague).count(NotificationKind.CASE_PHASE) == 1
    assert kinds(owner).count(NotificationKind.CASE_PHASE) == 1  # the facilitator moved it
    assert NotificationKind.CASE_PHASE not in kinds(expert)  # did not contribute
    assert NotificationKind.CASE_PHASE not in kinds(facilitator)  # the actor
    services.case_move(actor=owner, case=case, to_phase="reflection")
    assert kinds(colleague).count(NotificationKind.CASE_PHASE) == 2
    assert kinds(owner).count(NotificationKind.CASE_PHASE) == 1


def test_the_six_week_follow_up_is_a_notification_once(circle, owner):
    case = bring_in(owner, circle)
    put_in_phase(case, "concluded")
    lesson = services.lesson_write(author=owner, case=case, body="Begin met gedeelde cijfers.")
    Case.objects.filter(pk=case.pk).update(concluded_at=timezone.now() - timedelta(weeks=6, minutes=1))
    services.lesson_followups_send()
    services.lesson_followups_send()
    assert kinds(owner) == [NotificationKind.CASE_FOLLOWUP]
    assert lesson.pk


def test_confidential_case_content_never_reaches_notifications_or_emails(
    circle, owner, colleague, run_on_commit, captured_events, client
):
    NotificationPreference.objects.create(user=colleague, kind=NotificationKind.CASE_NEW, delivery=Delivery.IMMEDIATE)
    case = run_on_commit(bring_in, owner, circle, confidential=True, title="Uithuisplaatsing familie De Boer")
    [email] = [m for m in mail.outbox if m.to == [colleague.email]]
    everything = email.subject + email.body + email.alternatives[0][0]
    assert "Er is een nieuwe casus ingebracht in Slim samenwerken" in email.subject
    assert "De Boer" not in everything and CONTENT_WORD not in everything and "Anouk" not in everything
    [frame] = [event for group, event in captured_events if group == f"user-{colleague.pk}"]
    assert "De Boer" not in str(frame)
    client.force_login(colleague)
    assert "De Boer" not in client.get("/meldingen/").content.decode()
    # The owner's question notification does not carry it either.
    run_on_commit(services.question_ask, author=fresh(colleague), case=case, body="Hoe oud zijn de kinderen?")
    [to_owner] = [m for m in mail.outbox if m.to == [owner.email]]
    assert "De Boer" not in to_owner.subject + to_owner.body
    assert "Cor Collega stelde een vraag over je casus in Slim samenwerken" in to_owner.subject


# --- Search -------------------------------------------------------------------------------


def case_hits(user, query, **kwargs):
    return [hit for section in member_search(user=user, query=query, **kwargs) if section.type.name == "cases"
            for hit in section.hits]


def test_case_search_only_in_own_circles(circle, owner, colleague):
    mine = bring_in(owner, circle)
    other_circle = CircleFactory(name="Kring Zorg", slug="zorg")
    stranger = make_member(other_circle, "zoe", name="Zoë Zorg")
    theirs = bring_in(stranger, other_circle)
    assert [hit.pk for hit in case_hits(colleague, CONTENT_WORD)] == [mine.pk]
    assert [hit.pk for hit in case_hits(stranger, CONTENT_WORD)] == [theirs.pk]


def test_someone_elses_draft_is_not_found(circle, owner, colleague):
    services.case_create(author=owner, circle=circle, title="Kladje jeugdzorg", context=CONTENT_WORD, question="?")
    assert case_hits(colleague, CONTENT_WORD) == []
    assert len(case_hits(owner, CONTENT_WORD)) == 1


def test_confidential_case_matches_others_on_its_title_only_and_shows_no_excerpt(circle, owner, colleague):
    case = bring_in(owner, circle, confidential=True, title="Jeugdzorg in de regio")
    assert case_hits(colleague, CONTENT_WORD) == []  # its content does not match for others
    [hit] = case_hits(colleague, "jeugdzorg regio")
    assert hit.pk == case.pk and str(hit.excerpt) == ""
    [own] = case_hits(owner, CONTENT_WORD)  # the owner finds it on its content, with an excerpt
    assert f"<mark>{CONTENT_WORD}</mark>" in own.excerpt


def test_confidential_content_absent_from_the_search_page_of_others(client, circle, owner, colleague):
    bring_in(owner, circle, confidential=True, title="Jeugdzorg in de regio")
    client.force_login(colleague)
    html = client.get("/zoeken/?q=jeugdzorg").content.decode()
    assert "Jeugdzorg in de regio" in html
    assert CONTENT_WORD not in html and "De Boer" not in html
    html = client.get(f"/zoeken/?q={CONTENT_WORD}").content.decode()
    assert "Jeugdzorg in de regio" not in html and f"<mark>{CONTENT_WORD}" not in html


def test_a_case_guest_finds_that_case_only(circle, owner, facilitator):
    case = bring_in(owner, circle)
    bring_in(owner, circle, title="Andere casus over jeugdzorg")
    guest = UserFactory(username="gijs", email="gijs@ministerie.example")
    _invitation, token = services.case_guest_invite(inviter=facilitator, case=case, email="gijs@ministerie.example")
    services.case_guest_accept(user=guest, token=token)
    assert [hit.pk for hit in case_hits(fresh(guest), "jeugdzorg")] == [case.pk]


def test_save_a_case_and_see_it_on_the_saved_page(client, circle, owner, colleague, outsider):
    case = bring_in(owner, circle)
    client.force_login(colleague)
    client.post(f"/bewaard/case/{case.pk}/", {"action": "save"})
    assert "Kostenverdeling jeugdzorg in de regio" in client.get("/bewaard/").content.decode()
    client.force_login(outsider)
    assert client.post(f"/bewaard/case/{case.pk}/", {"action": "save"}).status_code == 404


def test_case_search_query_count_equal_at_5_and_100(circle, owner, colleague, django_assert_num_queries, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.notifications.search import search_section

    monkeypatch.setattr("communities.notifications.search.PAGE_SIZE", 100)

    def make(count):
        for index in range(count):
            Case.objects.create(circle=circle, author=owner, title=f"Jeugdzorg {index}", context="x", question="y",
                                phase=Case.Phase.QUESTIONS, confidential=index % 2 == 0)
        refresh_case_vectors(Case.objects.filter(circle=circle))  # as the services do

    make(5)
    search_section(user=colleague, query="jeugdzorg", type_name="cases")
    with CaptureQueriesContext(connection) as five:
        assert len(search_section(user=colleague, query="jeugdzorg", type_name="cases").hits) == 5
    five_count = len(five)
    make(95)
    with django_assert_num_queries(five_count):
        assert len(search_section(user=colleague, query="jeugdzorg", type_name="cases").hits) == 100
