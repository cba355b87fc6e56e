"""Real-time events: sent only after commit, to the case's group, in their schema."""

import pytest

from casework import services
from casework.event_schema import check_event
from tests.realtime.asyncapi import validate_server_frame

from .conftest import fresh

pytestmark = pytest.mark.django_db


def case_events(captured):
    """The case group's events; notifications of the same actions go to the people's own groups."""
    assert all(group.startswith(("case-", "user-")) for group, _event in captured)
    assert all(event["type"] == "notification" for group, event in captured if group.startswith("user-"))
    return [(group, event) for group, event in captured if group.startswith("case-")]


def test_every_event_of_a_consultation_is_sent_after_commit_in_its_schema(
    case, official, member, expert, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_move(actor=official, case=case, to_phase="questions")
    assert captured_events == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert case_events(captured_events) == [(f"case-{case.pk}", {"type": "case.updated", "case": case.pk, "phase": "questions",
                                                    "title": "Kostenverdeling jeugdzorg in de regio"})]

    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(author=fresh(member), case=case, body="Sinds wanneer?")
        services.question_answer(author=official, question=question, body="Sinds 2018.")
        services.case_move(actor=official, case=case, to_phase="advice")
        services.feedback_give(author=fresh(member), case=case, body="Tip")
        services.feedback_give(author=fresh(expert), case=case, analysis="a", approach="b", risks="c")
        services.case_move(actor=official, case=case, to_phase="reflection")

    captured = case_events(captured_events)
    types = [event["type"] for _group, event in captured]
    assert types == ["case.updated", "question.created", "question.answered", "case.updated",
                     "feedback.created", "feedback.created", "case.updated"]
    for group, event in captured:
        assert group == f"case-{case.pk}"
        check_event(event)
        validate_server_frame(event)  # forwarded to browsers as the AsyncAPI document describes
    expert_event = captured[5][1]
    assert expert_event["feedback"]["kind"] == "expert"
    assert expert_event["feedback"]["rubric"]["risks"] == "<p>c</p>"


def test_a_draft_sends_its_events_only_to_its_own_group(case, official, captured_events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(editor=official, case=case, title="Nieuwe titel")
    [(group, event)] = captured_events
    assert group == f"case-{case.pk}" and event["title"] == "Nieuwe titel"
