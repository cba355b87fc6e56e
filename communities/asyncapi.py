"""The WebSocket protocol as an AsyncAPI 3.0 document, generated from `event_schema`.

Served at /api/v1/asyncapi.json, next to the OpenAPI document. It describes the server
application: it *sends* the frames of `event_schema.FRAME` (their JSON Schemas come from the
pydantic models) and *receives* the requests of `event_schema.REQUESTS`. What pydantic
checks in code (a message's channel equals the frame's channel, reactions list every kind)
is stated in the descriptions; the schemas carry the rest.
"""

from functools import lru_cache
from typing import get_args
from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .event_schema import FRAME_MODELS, ID, OPTIONAL_ID, OPTIONAL_TIME, REQUESTS

CHANNEL = "live"
REF_TEMPLATE = "#/components/schemas/{model}"

REQUEST_FIELD_SCHEMAS = {
    ID: {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    OPTIONAL_ID: {"type": ["integer", "null"], "minimum": 0, "maximum": 2**63 - 1,
                  "description": "a message id; 0 or null: from the start"},
    OPTIONAL_TIME: {"type": ["integer", "null"], "minimum": 0, "maximum": 2**53 - 1,
                    "description": "milliseconds since 1970 (server time)"},
}

REQUEST_DESCRIPTIONS = {
    "subscribe": "Follow a channel. The server answers `subscribed` and sends every message after `since` "
                 "(or `resync` when too many were missed); with `changes_since` also the present state of "
                 "messages edited, deleted or hidden since then, and `subscribed` then carries `at`.",
    "subscribe_case": "Follow a case the user may read: its phase changes, questions and feedback.",
    "unsubscribe": "Stop following a channel or a case (`channel` or `case`; with both, the channel).",
    "typing": "The user is typing in a subscribed channel; the others get a `typing` frame.",
    "read": "The page showed the channel up to `message` while visible; the read marker moves there.",
}


def _frame_types(model) -> list[str]:
    return list(get_args(model.model_fields["type"].annotation))


def _server_messages(schemas: dict) -> dict:
    messages = {}
    for model in FRAME_MODELS:
        schema = model.model_json_schema(ref_template=REF_TEMPLATE)
        schemas.update(schema.pop("$defs", {}))
        types = _frame_types(model)
        messages[model.__name__] = {
            "name": model.__name__,
            "title": ", ".join(types),
            "summary": (model.__doc__ or f"The server sends {' or '.join(types)}.").strip().splitlines()[0],
            "contentType": "application/json",
            "payload": schema,
        }
    return messages


def _request_schema(kind: str, fields: dict[str, str]) -> dict:
    properties = {"type": {"const": kind}}
    properties.update({name: REQUEST_FIELD_SCHEMAS[field_kind] for name, field_kind in fields.items()})
    schema = {
        "type": "object",
        "properties": properties,
        "required": ["type", *[name for name, field_kind in fields.items() if field_kind == ID]],
        "additionalProperties": True,  # the consumer ignores fields it does not know
    }
    if kind == "unsubscribe":
        schema["properties"].update(channel=REQUEST_FIELD_SCHEMAS[ID], case=REQUEST_FIELD_SCHEMAS[ID])
        schema["anyOf"] = [{"required": ["channel"]}, {"required": ["case"]}]  # both: the channel
    return schema


def _client_messages() -> dict:
    return {
        f"request.{kind}": {
            "name": f"request.{kind}",
            "title": kind,
            "summary": REQUEST_DESCRIPTIONS.get(kind, ""),
            "contentType": "application/json",
            "payload": _request_schema(kind, fields),
        }
        for kind, fields in REQUESTS.items()
    }


def _server() -> dict:
    site = urlsplit(settings.SITE_URL)
    return {
        "host": site.netloc,
        "protocol": "wss" if site.scheme == "https" else "ws",
        "description": "The site itself; the socket is authenticated by the session cookie and its Origin "
                       "must be one of the allowed hosts.",
    }


@lru_cache(maxsize=1)
def asyncapi_document() -> dict:
    schemas: dict = {}
    server_messages = _server_messages(schemas)
    client_messages = _client_messages()
    all_messages = {**server_messages, **client_messages}

    def refs(names):
        return [{"$ref": f"#/channels/{CHANNEL}/messages/{name}"} for name in names]

    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Leerkring real-time protocol",
            "version": "1",
            "description": "One WebSocket per browser tab at /ws/, JSON text frames. Everything a frame announces "
                           "was committed to the database first; a client that missed frames catches up with "
                           "`subscribe` and `since`. The HTTP API is described in /api/v1/openapi.json.",
        },
        "defaultContentType": "application/json",
        "servers": {"site": _server()},
        "channels": {
            CHANNEL: {
                "address": "/ws/",
                "title": "Live socket",
                "servers": [{"$ref": "#/servers/site"}],
                "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in all_messages},
            }
        },
        "operations": {
            "sendFrame": {
                "action": "send",
                "title": "Server to browser",
                "summary": "Events of subscribed channels and cases, answers and errors.",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "messages": refs(server_messages),
            },
            "receiveRequest": {
                "action": "receive",
                "title": "Browser to server",
                "summary": "Subscriptions, typing and read markers; a refused one gets an `error` frame.",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "messages": refs(client_messages),
            },
        },
        "components": {"messages": all_messages, "schemas": schemas},
    }


@require_GET
def asyncapi_json(request):
    return JsonResponse(asyncapi_document(), json_dumps_params={"indent": 1})
