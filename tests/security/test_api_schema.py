"""Schemathesis over /api/v1/openapi.json: as a member with a personal access token, and as a
facilitator signed in in the browser (session cookie and CSRF token).

Every operation of the OpenAPI document gets a bounded number of generated requests
(derandomized, so a run is repeatable). Path parameters are mostly pointed at the real
circle, channel, messages and a pending membership, so that the endpoints do their work
instead of answering 404; a share keeps the generated value. Checks: no 5xx, status codes,
content types, headers and bodies as the document says.
"""

import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casework import services as case_services
from communities import services
from communities.models import Notification
from config.api import PATH_CHOICES
from partners import services as partner_services
from tests.communities.conftest import post
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.apischema

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def load_schema():
    """The document /api/v1/openapi.json serves, called in-process through WSGI."""
    from config.api import api
    from config.wsgi import application

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = application
    loaded.location = "/api/v1/openapi.json"
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """Like Django's test client: the handler must not close the test transaction's connection
    after each request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def browser_session(user) -> tuple[dict, dict]:
    """What a browser sends: the session cookie, and the CSRF token as cookie and header."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    csrf = _get_new_csrf_string()
    return {"sessionid": browser.cookies["sessionid"].value, "csrftoken": csrf}, {"X-CSRFToken": csrf}


@pytest.fixture(params=["member with a token", "facilitator in the browser"])
def caller(request, circle, channel, official, official2, facilitator):
    root = post(official2, channel, "Een vraag aan de kring")
    answer = post(official, channel, "Mijn antwoord", parent=root)
    thanks = post(official2, channel, "Dank je, @anouk", parent=answer)  # a notification for the member
    pending = MembershipFactory(user=UserFactory(username="piet"), circle=circle, state="pending")
    asking = case_services.case_create(
        author=official, circle=circle, title="Kostenverdeling", context="Zes gemeenten.", question="Hoe verdelen?"
    )
    case_services.case_move(actor=official, case=asking, to_phase="questions")
    clarifying = case_services.question_ask(author=official2, case=asking, body="Wie betaalt wat?")
    advising = case_services.case_create(
        author=official2, circle=circle, title="Afval", context="Drie gemeenten.", question="Samen aanbesteden?"
    )
    for phase in ("questions", "advice"):
        case_services.case_move(actor=official2, case=advising, to_phase=phase)
    feedback = case_services.feedback_give(author=official, case=advising, body="Begin klein.")
    question = partner_services.question_ask(
        author=official, title="Woonagenda", question="Hoe betrekken jullie de regio?", context="", urgency="normal",
        theme="housing",
    )
    if request.param == "member with a token":
        _token, raw = services.access_token_create(user=official, name="schemathesis", scope="write")
        cookies, headers = {}, {"Authorization": f"Bearer {raw}"}
    else:
        cookies, headers = browser_session(facilitator)
    return {
        "cookies": cookies,
        "headers": headers,
        "real": {
            "slug": circle.slug,
            "channel_slug": channel.slug,
            "message_id": [root.pk, answer.pk],
            "membership_id": [pending.pk],
            "question_id": [question.pk, clarifying.pk],
            "case_id": [asking.pk, advising.pk],
            "feedback_id": [feedback.pk],
            "notification_id": list(Notification.objects.values_list("pk", flat=True)),
            "object_id": [root.pk, thanks.pk, asking.pk],
            "kind": PATH_CHOICES,  # reactions and saved items: each path takes its own kinds
        },
    }


@pytest.fixture
def positive_answers():
    """Schemathesis' "schema validation mismatch" warning, as a failure: when the API refuses
    every request the document says is valid (mostly with 400/415/422), the document promises
    more than the API accepts, so it is missing a constraint."""
    answers = []  # (status, error code)
    yield answers
    statuses = [status for status, _code in answers]
    if not statuses or not all(400 <= status < 500 for status in statuses) or set(statuses) <= {401, 403}:
        return
    not_found = statuses.count(404)
    # Only refusals of the request's shape count: 400, 415 and the 422 of payload validation.
    # A service's own 422 `invalid` is about the objects and their state (a question on your
    # own case, feedback of another case), which the fixture's real objects may not allow.
    about_the_shape = [status for status, code in answers
                       if status in (400, 415) or (status == 422 and code != "invalid")]
    if about_the_shape and len(about_the_shape) >= 0.1 * (not_found + len(about_the_shape)):
        pytest.fail(f"Every valid request was refused (schema validation mismatch): {sorted(set(about_the_shape))}")


def error_code(response) -> str | None:
    if response.status_code < 400 or not response.headers.get("Content-Type", "").startswith("application/json"):
        return None
    body = response.json()
    return body.get("code") if isinstance(body, dict) else None


def point_at_real_objects(case, real):
    """Three out of four generated path values are replaced by the member's real objects.
    The choice hashes with crc32, not hash(), so that every run (whatever PYTHONHASHSEED)
    sends the same requests."""
    for name, value in list((case.path_parameters or {}).items()):
        if name not in real:
            continue
        pick = zlib.crc32(str(value).encode())
        options = real[name]
        if isinstance(options, dict):  # by the path segment before the parameter
            options = options[case.path.split("/{" + name + "}")[0].rsplit("/", 1)[-1], name]
        options = options if isinstance(options, list) else [options]
        if pick % 4:
            case.path_parameters[name] = options[pick % len(options)]


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    deadline=2000,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, caller, settings, positive_answers):
    settings.LEERKRING_POST_RATE_LIMIT = (10_000, 60)
    point_at_real_objects(case, caller["real"])
    if caller["cookies"]:
        case.cookies = {**(case.cookies or {}), **caller["cookies"]}
        if case.headers:
            case.headers.pop("Authorization", None)  # the browser sends its session, not a token
    response = case.call_and_validate(headers=caller["headers"], checks=CHECKS,
                                      environ_overrides={"REMOTE_ADDR": "127.0.0.1"})
    # An upload's type is checked by its content, which no OpenAPI document can describe:
    # generated bytes are rightly refused with 415.
    refused_upload = case.media_type == "multipart/form-data" and response.status_code == 415
    if case._meta is not None and case._meta.generation.mode.value == "positive" and not refused_upload:
        positive_answers.append((response.status_code, error_code(response)))


@pytest.mark.django_db
def test_a_body_django_cannot_read_answers_400_not_500(official):
    """Found by this run: multipart without a boundary made the CSRF check raise, and the API said 500."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    client.cookies.load(browser_session(official)[0])
    response = client.generic("POST", "/api/v1/circles/x/join", b"{}", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Het verzoek is niet te lezen. Stuur JSON met Content-Type: application/json.",
        "code": "bad_request",
    }


def test_no_two_api_schemas_share_a_name():
    """Found by this run: casework and partners both had a `QuestionOut` (and an `AttachmentOut`).
    The OpenAPI document keeps one component per name, so case questions were documented with
    the fields of knowledge questions."""
    from collections import defaultdict

    from ninja import Schema

    import config.api  # noqa: F401 (imports every router)

    by_name = defaultdict(set)

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.split(".")[0] in ("communities", "casework", "partners", "cms", "config"):
                by_name[sub.__name__].add(str(sorted(sub.model_json_schema().get("properties", {}).items())))
            walk(sub)

    walk(Schema)
    assert {name: len(shapes) for name, shapes in by_name.items() if len(shapes) > 1} == {}
