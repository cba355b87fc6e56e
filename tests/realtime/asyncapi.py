"""Frames checked against the AsyncAPI document that /api/v1/asyncapi.json serves (jsonschema).

`validate_server_frame` runs on every frame the realtime tests receive (helpers.Socket,
live_client.LiveClient) and on every event the services emit that browsers get unchanged,
so the published document cannot drift from what the server really sends.
"""

from functools import lru_cache

from jsonschema import Draft202012Validator

from communities.asyncapi import asyncapi_document

OPERATIONS = {"server": "sendFrame", "client": "receiveRequest"}


def frame_types(payload: dict) -> list[str]:
    kind = payload["properties"]["type"]
    return list(kind["enum"]) if "enum" in kind else [kind["const"]]


@lru_cache(maxsize=2)
def validators(direction: str) -> dict:
    """frame type -> a validator of the message that carries it."""
    document = asyncapi_document()
    by_type = {}
    for ref in document["operations"][OPERATIONS[direction]]["messages"]:
        channel_message = ref["$ref"].rsplit("/", 1)[1]
        name = document["channels"]["live"]["messages"][channel_message]["$ref"].rsplit("/", 1)[1]
        root = {"$ref": f"#/components/messages/{name}/payload", "components": document["components"]}
        validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for kind in frame_types(document["components"]["messages"][name]["payload"]):
            assert kind not in by_type, f"two messages for {kind!r}"
            by_type[kind] = validator
    return by_type


def _validate(direction: str, frame: dict) -> None:
    known = validators(direction)
    assert frame.get("type") in known, f"{frame.get('type')!r} is not a {direction} frame of the AsyncAPI document"
    known[frame["type"]].validate(frame)


def validate_server_frame(frame: dict) -> None:
    """Raise jsonschema.ValidationError (or AssertionError for an unknown type)."""
    _validate("server", frame)


def validate_client_frame(frame: dict) -> None:
    _validate("client", frame)
