"""Numbers an integrator sends in query strings and paths (pages, cursors, ids): too large for a
64-bit integer, negative, or not a number at all. Each answers a JSON 4xx or an empty page, on
SQLite (whose driver raises OverflowError past 2**63 - 1) and PostgreSQL alike, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

NUMBERS = ["9223372036854775808", "99999999999999999999999", "-1", "-9223372036854775809", "0", "1e3", "abc"]


@pytest.mark.parametrize("value", NUMBERS)
def test_no_page_cursor_or_id_turns_into_a_server_error(client, channel, official, value):
    client.force_login(official)
    circle = channel.circle.slug
    urls = [
        f"/api/v1/partners/fee?page={value}",
        f"/api/v1/knowledge-questions?before={value}",
        f"/api/v1/knowledge-questions/{value}",
        f"/api/v1/circles?cursor={value}",
        f"/api/v1/circles/{circle}/memberships?cursor={value}",
        f"/api/v1/circles/{circle}/channels/{channel.slug}/messages?before={value}",
        f"/api/v1/circles/{circle}/cases?cursor={value}",
        f"/api/v1/notifications?cursor={value}",
        f"/api/v1/notifications?limit={value}",
        f"/api/v1/search?q=hallo&type=messages&cursor={value}",
        f"/api/v1/messages/{value}",
        f"/api/v1/cases/{value}",
        f"/api/v1/cases/{value}/questions",
    ]
    answers = {url: client.get(url) for url in urls}
    assert {url: answer.status_code for url, answer in answers.items() if answer.status_code >= 500} == {}
    assert {url for url, answer in answers.items() if not answer["Content-Type"].startswith("application/json")} == set()
