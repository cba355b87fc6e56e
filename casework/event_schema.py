"""The shape of every real-time event casework sends to `case-<id>` groups (after commit).

Subscribers are checked with `can_read_case` before they join the group, so an event may
carry what any reader of the case sees, never more. tests/casework/test_events.py checks
every emitted event against these schemas.
"""

AUTHOR = {"id": (int, type(None)), "name": str}

QUESTION = {
    "id": int,
    "case": int,
    "author": AUTHOR,
    "html": str,
    "created": str,
    "answer_html": (str, type(None)),
    "answered": (str, type(None)),
}

FEEDBACK = {
    "id": int,
    "case": int,
    "kind": str,
    "author": AUTHOR,
    "guest": bool,
    "helpful": bool,
    "created": str,
    "html": (str, type(None)),
    "rubric": (dict, type(None)),
}

EVENTS = {
    "case.updated": {"type": str, "case": int, "phase": str, "title": str},
    "question.created": {"type": str, "case": int, "question": QUESTION},
    "question.answered": {"type": str, "case": int, "question": QUESTION},
    "feedback.created": {"type": str, "case": int, "feedback": FEEDBACK},
}


def check_event(event: dict) -> None:
    """Raise AssertionError unless `event` has exactly the keys and types of its schema."""
    schema = EVENTS.get(event.get("type"))
    assert schema is not None, f"unknown event type {event.get('type')!r}"
    _check(event, schema, event["type"])


def _check(value: dict, schema: dict, path: str) -> None:
    assert isinstance(value, dict), f"{path} is not an object"
    assert set(value) == set(schema), f"{path}: keys {sorted(value)} != {sorted(schema)}"
    for key, expected in schema.items():
        if isinstance(expected, dict):
            _check(value[key], expected, f"{path}.{key}")
        else:
            assert isinstance(value[key], expected), f"{path}.{key} is {type(value[key]).__name__}"
