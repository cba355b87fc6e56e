"""Deliveries to a real HTTP receiver: signed, after commit, retried, switched off, and never
with the content of a confidential case."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from casework import services as casework
from casework.models import Case
from communities import services as communities
from tests.casework.conftest import put_in_phase
from webhooks import services
from webhooks.models import Delivery, Endpoint

from .receiver import Receiver

pytestmark = pytest.mark.django_db


def endpoint_for(circle, facilitator, url, events=("message.created",)):
    endpoint, secret = services.endpoint_create(facilitator=facilitator, circle=circle, url=url, events=list(events))
    return endpoint, secret


def verify(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does: recompute the HMAC over "<t>." + body and compare in constant time."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_a_new_message_is_posted_after_commit_signed_and_logged(circle, channel, official, facilitator, receiver,
                                                                django_capture_on_commit_callbacks):
    endpoint, secret = endpoint_for(circle, facilitator, receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = communities.message_post(author=official, channel=channel, body="Wie heeft ervaring met *inkoop*?")
    assert receiver.requests == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    [request] = receiver.requests
    assert request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-leerkring-event"] == "message.created"
    assert verify(secret, request.headers["x-leerkring-signature"], request.body)
    assert not verify("whsec_another", request.headers["x-leerkring-signature"], request.body)
    payload = json.loads(request.body)
    assert payload["id"] == request.headers["x-leerkring-delivery"]
    assert payload["type"] == "message.created"
    assert payload["circle"] == {"id": circle.pk, "slug": "slim-samenwerken"}
    assert abs(timezone.datetime.fromisoformat(payload["timestamp"]) - timezone.now()) < timedelta(minutes=1)
    assert payload["data"]["id"] == message.pk
    assert payload["data"]["channel"] == channel.pk
    assert payload["data"]["author"] == {"id": official.pk, "name": "Anouk Ambtenaar"}
    assert "<em>inkoop</em>" in payload["data"]["html"]
    assert payload["data"]["url"].endswith(f"#message-{message.pk}")

    delivery = Delivery.objects.get()
    assert (str(delivery.pk), delivery.status, delivery.response_code, delivery.attempts) == (
        payload["id"], Delivery.Status.SUCCEEDED, 200, 1
    )
    assert delivery.endpoint == endpoint


def test_only_subscribed_enabled_endpoints_of_the_circle_receive(circle, channel, official, facilitator, committed):
    from tests.factories import CircleFactory, MembershipFactory

    other_circle = CircleFactory()
    other_facilitator = MembershipFactory(circle=other_circle, role="facilitator").user
    with Receiver() as subscribed, Receiver() as cases_only, Receiver() as switched_off, Receiver() as elsewhere:
        endpoint_for(circle, facilitator, subscribed.url)
        endpoint_for(circle, facilitator, cases_only.url, events=["case.updated"])
        off, _ = endpoint_for(circle, facilitator, switched_off.url)
        services.endpoint_set_enabled(facilitator=facilitator, endpoint=off, enabled=False)
        endpoint_for(other_circle, other_facilitator, elsewhere.url)
        with committed():
            communities.message_post(author=official, channel=channel, body="Hallo")
        assert [len(r.requests) for r in (subscribed, cases_only, switched_off, elsewhere)] == [1, 0, 0, 0]


def test_a_500_is_retried_later_with_the_same_delivery_id(circle, channel, official, facilitator, committed):
    with Receiver(statuses=[500, 200]) as receiver:
        endpoint, secret = endpoint_for(circle, facilitator, receiver.url)
        with committed():
            communities.message_post(author=official, channel=channel, body="Hallo")
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.response_code, delivery.error, delivery.attempts) == (
            Delivery.Status.RETRYING, 500, Delivery.Error.HTTP_STATUS, 1
        )
        assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=60)

        assert services.retry_due_deliveries() == 0  # not due yet
        assert services.retry_due_deliveries(now=delivery.next_attempt_at + timedelta(seconds=1)) == 1

        first, second = receiver.requests
        assert first.headers["x-leerkring-delivery"] == second.headers["x-leerkring-delivery"] == str(delivery.pk)
        assert json.loads(first.body) == json.loads(second.body)
        assert verify(secret, second.headers["x-leerkring-signature"], second.body)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (Delivery.Status.SUCCEEDED, 200, 2)
    assert endpoint.consecutive_failures == 0


def test_back_off_doubles():
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_worker_backend_gets_the_retry_scheduled_for_later(circle, channel, official, facilitator, committed):
    from django_tasks import default_task_backend

    from webhooks.tasks import deliver_webhook

    with Receiver(statuses=[503]) as receiver:
        endpoint_for(circle, facilitator, receiver.url)
        with committed():
            communities.message_post(author=official, channel=channel, body="Hallo")
        [queued] = default_task_backend.results
        assert receiver.requests == []  # the worker sends it, not the request
        with committed():
            deliver_webhook.call(*queued.args)
        assert len(receiver.requests) == 1
    delivery = Delivery.objects.get()
    retry = default_task_backend.results[-1]
    assert retry.args == [str(delivery.pk)]
    assert retry.task.run_after == delivery.next_attempt_at


@override_settings(WEBHOOK_MAX_ATTEMPTS=3)
def test_a_delivery_gives_up_after_the_last_attempt(circle, channel, official, facilitator, committed):
    with Receiver(statuses=[500]) as receiver:
        endpoint, _ = endpoint_for(circle, facilitator, receiver.url)
        with committed():
            communities.message_post(author=official, channel=channel, body="Hallo")
        later = timezone.now() + timedelta(days=1)
        assert services.retry_due_deliveries(now=later) == 1
        assert services.retry_due_deliveries(now=later) == 1
        assert services.retry_due_deliveries(now=later) == 0
        assert len(receiver.requests) == 3
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Delivery.Status.FAILED, 3, None)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 3


@override_settings(WEBHOOK_DISABLE_AFTER_FAILURES=3)
def test_repeated_failures_switch_the_endpoint_off(circle, channel, official, facilitator, committed):
    with Receiver(statuses=[500]) as receiver:
        endpoint, _ = endpoint_for(circle, facilitator, receiver.url)
        for n in range(3):
            with committed():
                communities.message_post(author=official, channel=channel, body=f"Bericht {n}")
        endpoint.refresh_from_db()
        assert not endpoint.enabled
        assert endpoint.disabled_reason == Delivery.Error.HTTP_STATUS
        assert endpoint.disabled_at is not None
        assert "foutstatus" in endpoint.disabled_reason_label()
        # what waited for a retry is not sent any more, nor anything new
        assert sorted(Delivery.objects.values_list("status", flat=True)) == ["cancelled", "cancelled", "failed"]
        assert services.retry_due_deliveries(now=timezone.now() + timedelta(days=1)) == 0
        with committed():
            communities.message_post(author=official, channel=channel, body="Nog een")
        assert len(receiver.requests) == 3

        receiver.statuses = [200]
        services.endpoint_set_enabled(facilitator=facilitator, endpoint=endpoint, enabled=True)
        with committed():
            communities.message_post(author=official, channel=channel, body="Weer aan")
        assert len(receiver.requests) == 4
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.consecutive_failures, endpoint.disabled_reason) == (True, 0, "")


def test_a_success_resets_the_count_of_failures(circle, channel, official, facilitator, committed):
    with Receiver(statuses=[500, 200]) as receiver:
        endpoint, _ = endpoint_for(circle, facilitator, receiver.url)
        with committed():
            communities.message_post(author=official, channel=channel, body="Een")
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == 1
        with committed():
            communities.message_post(author=official, channel=channel, body="Twee")
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == 0


def test_redirects_are_not_followed(circle, channel, official, facilitator, committed):
    with Receiver() as target, Receiver(statuses=[302]) as receiver:
        receiver.location = target.url
        endpoint_for(circle, facilitator, receiver.url)
        with committed():
            communities.message_post(author=official, channel=channel, body="Hallo")
        assert (len(receiver.requests), len(target.requests)) == (1, 0)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.error) == (Delivery.Status.RETRYING, 302, "redirect")


@override_settings(WEBHOOK_TIMEOUT_SECONDS=0.2)
def test_a_slow_receiver_times_out(circle, channel, official, facilitator, committed):
    with Receiver(delay=1) as receiver:
        endpoint_for(circle, facilitator, receiver.url)
        started = timezone.now()
        with committed():
            communities.message_post(author=official, channel=channel, body="Hallo")
        assert timezone.now() - started < timedelta(seconds=0.9)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.error) == (Delivery.Status.RETRYING, None, "timeout")


def test_a_closed_port_counts_as_a_failed_attempt(circle, channel, official, facilitator, committed):
    from tests.servers import free_port

    endpoint_for(circle, facilitator, f"http://127.0.0.1:{free_port()}/hook")
    with committed():
        communities.message_post(author=official, channel=channel, body="Hallo")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.error) == (Delivery.Status.RETRYING, "connection")


# --- Cases and feedback ---------------------------------------------------------------------

CASE_EVENTS = ("case.updated", "feedback.created")


def _case(circle, author, *, confidential):
    return casework.case_create(
        author=author, circle=circle, title="Geheime fusie van twee gemeenten",
        context="Wethouder Jansen wil de fusie voor de verkiezingen rond hebben.",
        question="Hoe vertellen we het de raad?", themes=["bestuur"], confidential=confidential,
    )


def test_a_confidential_case_sends_only_its_id_phase_and_that_it_is_confidential(
    circle, official, expert, facilitator, committed
):
    with Receiver() as receiver:
        endpoint_for(circle, facilitator, receiver.url, events=CASE_EVENTS)
        case = _case(circle, official, confidential=True)
        with committed():
            casework.case_update(editor=official, case=case, context="Nog geheimer: de burgemeester weet het al.")
        assert receiver.requests == []  # a draft is its owner's only
        with committed():
            case = casework.case_move(actor=official, case=case, to_phase=Case.Phase.QUESTIONS)
        put_in_phase(case, Case.Phase.ADVICE)
        with committed():
            casework.feedback_give(author=expert, case=case, analysis="De raad voelt zich gepasseerd.",
                                   approach="Vertrouwelijke sessie met Jansen.", risks="Lekken naar de pers.")
        put_in_phase(case, Case.Phase.REFLECTION)
        with committed():
            casework.case_reflect(author=official, case=case, reflection="Eerst Jansen spreken.")

        assert [json.loads(r.body)["type"] for r in receiver.requests] == ["case.updated", "feedback.created", "case.updated"]
        moved, feedback, reflected = (json.loads(r.body)["data"] for r in receiver.requests)
        assert moved == {"id": case.pk, "phase": "questions", "confidential": True}
        assert feedback == {"id": case.feedback.get().pk, "case": case.pk, "confidential": True}
        assert reflected == {"id": case.pk, "phase": "reflection", "confidential": True}
        raw = b"".join(r.body for r in receiver.requests).decode()
        for secret_word in ("Geheime", "Jansen", "burgemeester", "raad", "bestuur", "Lekken", "Anouk", "Esther"):
            assert secret_word not in raw
    assert "Jansen" not in json.dumps(list(Delivery.objects.values_list("payload", flat=True)))


def test_an_open_case_sends_what_members_see(circle, official, member, facilitator, committed):
    with Receiver() as receiver:
        endpoint_for(circle, facilitator, receiver.url, events=CASE_EVENTS)
        case = _case(circle, official, confidential=False)
        with committed():
            case = casework.case_move(actor=official, case=case, to_phase=Case.Phase.QUESTIONS)
        put_in_phase(case, Case.Phase.ADVICE)
        with committed():
            feedback = casework.feedback_give(author=member, case=case, body="Begin bij de griffie.")
        moved, given = (json.loads(r.body)["data"] for r in receiver.requests)
    assert moved["title"] == "Geheime fusie van twee gemeenten"
    assert (moved["phase"], moved["confidential"], moved["themes"]) == ("questions", False, ["bestuur"])
    assert moved["url"].endswith(f"/casussen/{case.pk}/")
    assert (given["id"], given["case"], given["confidential"]) == (feedback.pk, case.pk, False)
    assert "griffie" in given["html"]
