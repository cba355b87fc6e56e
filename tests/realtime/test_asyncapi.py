"""The AsyncAPI 3.0 document of the WebSocket protocol: served, well-formed, complete, and
strict enough to refuse frames that are not of the protocol. That real frames pass it is
checked wherever the realtime tests receive one (helpers.Socket.receive)."""

import json

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, ValidationError

from communities.asyncapi import asyncapi_document
from communities.event_schema import CASE_EVENT_TYPES, CHANNEL_EVENT_TYPES, ERROR_CODES, REQUESTS

from .asyncapi import validate_client_frame, validate_server_frame, validators


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(document, ref):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


@pytest.mark.django_db
def test_served_next_to_the_openapi_document_to_anyone():
    response = Client().get("/api/v1/asyncapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document == json.loads(json.dumps(asyncapi_document()))
    assert document["asyncapi"] == "3.0.0"
    assert document["channels"]["live"]["address"] == "/ws/"
    assert Client().post("/api/v1/asyncapi.json").status_code == 405


def test_every_reference_resolves_and_every_payload_is_a_json_schema():
    document = asyncapi_document()
    for ref in _refs(document):
        _resolve(document, ref)
    channel_messages = set(document["channels"]["live"]["messages"])
    for operation in document["operations"].values():
        assert operation["action"] in {"send", "receive"}
        assert operation["channel"] == {"$ref": "#/channels/live"}
        for ref in operation["messages"]:
            assert ref["$ref"].startswith("#/channels/live/messages/")  # AsyncAPI 3: the channel's own messages
            assert ref["$ref"].rsplit("/", 1)[1] in channel_messages
    for message in document["components"]["messages"].values():
        Draft202012Validator.check_schema(message["payload"])
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_frame_type_of_the_protocol_is_described():
    forwarded = CHANNEL_EVENT_TYPES | CASE_EVENT_TYPES | {"notification", "channel.read"}
    answers = {"subscribed", "unsubscribed", "subscription.ended", "resync", "session.ended", "error"}
    assert set(validators("server")) == forwarded | answers
    assert set(validators("client")) == set(REQUESTS)
    error = asyncapi_document()["components"]["messages"]["ErrorFrame"]["payload"]
    assert error["properties"]["code"]["enum"] == list(ERROR_CODES)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "subscribe", "channel": 3, "since": None},
        {"type": "subscribe", "channel": 3, "since": 0},
        {"type": "subscribe", "channel": 3, "since": 17, "changes_since": 1764770000000},
        {"type": "subscribe_case", "case": 9},
        {"type": "unsubscribe", "channel": 3},
        {"type": "unsubscribe", "case": 9},
        {"type": "typing", "channel": 3},
        {"type": "read", "channel": 3, "message": 40},
        {"type": "typing", "channel": 3, "extra": "ignored"},
    ],
)
def test_client_frames_of_the_protocol_pass(frame):
    validate_client_frame(frame)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "subscribe"},
        {"type": "subscribe", "channel": "3"},
        {"type": "subscribe", "channel": 0},
        {"type": "subscribe", "channel": 3, "since": -1},
        {"type": "subscribe", "channel": 3, "changes_since": 2**53},
        {"type": "subscribe_case", "case": None},
        {"type": "unsubscribe"},
        {"type": "read", "channel": 3},
        {"type": "typing", "channel": True},
    ],
)
def test_client_frames_that_the_consumer_refuses_do_not_pass(frame):
    with pytest.raises(ValidationError):
        validate_client_frame(frame)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "message.created", "channel": 1},
        {"type": "message.created", "channel": 2, "message": {"id": 1}},
        {"type": "typing", "channel": "1", "user": {"id": 1, "name": "Anouk"}},
        {"type": "channel.updated", "channel": 1, "locked": "ja", "archived": False, "name": "x"},
        {"type": "channel.read", "channel": 1, "unread": -1},
        {"type": "case.updated", "case": 1},
        {"type": "session.ended"},
        {"type": "subscribed", "channel": 1, "extra": 2},
        {"type": "error", "code": "oops", "detail": "x"},
        {"type": "subscription.ended", "channel": 1, "reason": "bored", "detail": "x"},
        {"type": "reaction.updated", "channel": 1, "message": 2, "reactions": [{"kind": "boo", "count": 1}]},
    ],
)
def test_server_frames_that_are_not_of_the_protocol_do_not_pass(frame):
    with pytest.raises(ValidationError):
        validate_server_frame(frame)


def test_an_unknown_type_is_not_in_the_document():
    with pytest.raises(AssertionError):
        validate_server_frame({"type": "gossip"})
    with pytest.raises(AssertionError):
        validate_client_frame({"type": "message.created"})
