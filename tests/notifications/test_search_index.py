"""Member search follows the write paths: found after posting and editing, gone after
deleting or hiding, on both lanes; on PostgreSQL through the stored search vector."""

import pytest
from django.db import connection

from casework import services as case_services
from casework.models import Case
from communities import services
from communities.models import Message
from communities.notifications.search import member_search
from communities.search_vectors import refresh_message_vectors
from tests.casework.conftest import fresh

from .conftest import member

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="stored vectors are PostgreSQL's")


def found(user, query, type_name):
    return [hit.pk for section in member_search(user=fresh(user), query=query, type_name=type_name) for hit in section.hits]


def test_a_message_is_found_after_posting_and_after_editing_by_its_new_words(channel, official, expert):
    message = services.message_post(author=expert, channel=channel, body="De woonbegeleider start maandag")
    assert found(official, "woonbegeleider", "messages") == [message.pk]

    services.message_edit(editor=expert, message=message, body="De jongerenwerker start maandag")

    assert found(official, "jongerenwerker", "messages") == [message.pk]
    assert found(official, "woonbegeleider", "messages") == []


def test_a_deleted_message_is_not_found(channel, official, expert):
    message = services.message_post(author=expert, channel=channel, body="De woonbegeleider start maandag")
    services.message_delete(actor=expert, message=message)
    assert found(official, "woonbegeleider", "messages") == []
    assert found(expert, "woonbegeleider", "messages") == []


def test_a_hidden_message_is_not_found_by_anyone(channel, official, expert, facilitator):
    message = services.message_post(author=expert, channel=channel, body="De woonbegeleider start maandag")
    services.message_hide(moderator=facilitator, message=message)
    for person in (official, expert, facilitator):
        assert found(person, "woonbegeleider", "messages") == []


def test_outsiders_find_nothing_of_a_posted_message(channel, expert, outsider, removed_member):
    services.message_post(author=expert, channel=channel, body="De woonbegeleider start maandag")
    assert found(outsider, "woonbegeleider", "messages") == []
    assert found(removed_member, "woonbegeleider", "messages") == []


def test_a_plural_finds_the_singular(channel, official, expert):
    """PostgreSQL stems Dutch words; SQLite matches the word inside the longer one."""
    message = services.message_post(author=expert, channel=channel, body="Zes gemeenten werken samen")
    assert found(official, "gemeente", "messages") == [message.pk]


def _case(owner, circle, **fields):
    data = {"title": "Kostenverdeling jeugdzorg", "context": "Zes gemeenten kopen samen in.", "question": "Hoe?"}
    return case_services.case_create(author=owner, circle=circle, **{**data, **fields})


def test_a_case_is_found_after_creating_and_after_editing(circle, official, expert):
    case = _case(official, circle)
    assert found(official, "kostenverdeling", "cases") == [case.pk]
    assert found(expert, "kostenverdeling", "cases") == []  # a draft is its owner's

    case_services.case_update(editor=official, case=case, title="Inkoop wijkverpleging", context="Nieuwe tekst.")
    case_services.case_move(actor=official, case=case, to_phase="questions")

    assert found(expert, "wijkverpleging", "cases") == [case.pk]
    assert found(official, "wijkverpleging", "cases") == [case.pk]
    assert found(expert, "kostenverdeling", "cases") == []


@postgres_only
def test_postgres_search_reads_the_stored_vector(channel, official, expert):
    """The stored vector is what is searched: text written around the services is not found
    until the vectors are recomputed (manage.py search_reindex)."""
    message = services.message_post(author=expert, channel=channel, body="De woonbegeleider start maandag")
    assert Message.objects.get(pk=message.pk).search_vector
    Message.objects.filter(pk=message.pk).update(body_source="De jongerenwerker start maandag")
    assert found(official, "jongerenwerker", "messages") == []

    refresh_message_vectors(Message.objects.filter(pk=message.pk))

    assert found(official, "jongerenwerker", "messages") == [message.pk]


@postgres_only
def test_removed_messages_keep_no_vector(channel, expert, facilitator):
    deleted = services.message_post(author=expert, channel=channel, body="De woonbegeleider start maandag")
    hidden = services.message_post(author=expert, channel=channel, body="De woonbegeleider start dinsdag")
    services.message_delete(actor=expert, message=deleted)
    services.message_hide(moderator=facilitator, message=hidden)
    assert list(Message.objects.filter(pk__in=[deleted.pk, hidden.pk]).values_list("search_vector", flat=True)) == [None, None]


@postgres_only
def test_search_reindex_fills_the_vectors_of_rows_written_around_the_services(channel, official, expert, circle):
    from django.core.management import call_command

    message = services.message_post(author=expert, channel=channel, body="De woonbegeleider start maandag")
    case = _case(official, circle, title="Inkoop wijkverpleging")
    Message.objects.update(search_vector=None)
    Case.objects.update(search_vector=None)

    call_command("search_reindex", stdout=open("/dev/null", "w"))

    assert found(official, "woonbegeleider", "messages") == [message.pk]
    assert found(official, "wijkverpleging", "cases") == [case.pk]
