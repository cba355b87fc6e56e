"""Write paths of webhooks: the facilitators' endpoint settings, and sending events to them.

The circle's services call `dispatch_on_commit` once for each event; after the commit a
delivery row per subscribed endpoint is stored and sent through django-tasks. A failed
attempt is retried with exponential back-off up to `WEBHOOK_MAX_ATTEMPTS`; after
`WEBHOOK_DISABLE_AFTER_FAILURES` failed attempts in a row the endpoint switches itself off.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import Conflict, InvalidInput

from . import selectors, sending
from .models import Delivery, Endpoint, Event
from .payloads import SERIALISERS
from .permissions import require_webhook_manager
from .targets import clean_endpoint_url

MAX_ENDPOINTS_PER_CIRCLE = 10
DESCRIPTION_MAX_LENGTH = 200
OPEN_STATUSES = (Delivery.Status.PENDING, Delivery.Status.RETRYING)


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _clean_events(events) -> list[str]:
    if not isinstance(events, (list, tuple, set)) or not all(isinstance(e, str) for e in events):
        raise InvalidInput(_("Choose the events the webhook should receive."), code="invalid_events")
    unknown = [e for e in events if e not in Event.values]
    if unknown:
        raise InvalidInput(_("Unknown event: %(events)s.") % {"events": ", ".join(unknown)}, code="invalid_events")
    if not events:
        raise InvalidInput(_("Choose at least one event."), code="invalid_events")
    return [value for value in Event.values if value in events]


def _clean_description(description) -> str:
    if not isinstance(description, str):
        raise InvalidInput(_("The description must be text."), code="invalid_description")
    description = description.strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise InvalidInput(_("The description can be at most 200 characters long."), code="invalid_description")
    return description


@transaction.atomic
def endpoint_create(*, facilitator, circle, url, events, description="") -> tuple[Endpoint, str]:
    """A new endpoint and its secret (the page shows the secret once)."""
    require_webhook_manager(facilitator, circle)
    fields = {"url": clean_endpoint_url(url), "events": _clean_events(events), "description": _clean_description(description)}
    if Endpoint.objects.select_for_update().filter(circle=circle).count() >= MAX_ENDPOINTS_PER_CIRCLE:
        raise Conflict(_("A circle can have at most 10 webhooks."), code="too_many_webhooks")
    endpoint = Endpoint.objects.create(circle=circle, created_by=facilitator, secret=_new_secret(), **fields)
    return endpoint, endpoint.secret


@transaction.atomic
def endpoint_update(*, facilitator, endpoint: Endpoint, url, events, description="") -> Endpoint:
    require_webhook_manager(facilitator, endpoint.circle)
    endpoint.url = clean_endpoint_url(url)
    endpoint.events = _clean_events(events)
    endpoint.description = _clean_description(description)
    endpoint.save(update_fields=["url", "events", "description"])
    return endpoint


@transaction.atomic
def endpoint_regenerate_secret(*, facilitator, endpoint: Endpoint) -> str:
    require_webhook_manager(facilitator, endpoint.circle)
    endpoint.secret = _new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


@transaction.atomic
def endpoint_set_enabled(*, facilitator, endpoint: Endpoint, enabled: bool) -> Endpoint:
    """Switching on again starts the failure count afresh; switching off cancels what waits."""
    require_webhook_manager(facilitator, endpoint.circle)
    if not isinstance(enabled, bool):
        raise InvalidInput(_("Choose whether to switch the webhook on or off."), code="invalid_enabled")
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.enabled = enabled
    endpoint.disabled_at = None if enabled else timezone.now()
    endpoint.disabled_reason = ""
    if enabled:
        endpoint.consecutive_failures = 0
    else:
        _cancel_open_deliveries(endpoint)
    endpoint.save(update_fields=["enabled", "disabled_at", "disabled_reason", "consecutive_failures"])
    return endpoint


@transaction.atomic
def endpoint_delete(*, facilitator, endpoint: Endpoint) -> None:
    require_webhook_manager(facilitator, endpoint.circle)
    endpoint.delete()


# --- Dispatch and delivery -------------------------------------------------------------------


def dispatch_on_commit(*, event: str, circle, obj) -> None:
    """Send `event` about `obj` to the circle's subscribed endpoints once the transaction commits."""
    occurred_at = timezone.now()
    circle_ref = {"id": circle.pk, "slug": circle.slug}
    transaction.on_commit(lambda: _dispatch(event, circle_ref, obj, occurred_at), robust=True)


def _dispatch(event: str, circle_ref: dict, obj, occurred_at) -> list[Delivery]:
    endpoints = selectors.subscribed_endpoints(circle_ref["id"], event)
    if not endpoints:
        return []
    data = SERIALISERS[event](obj)
    if data is None:
        return []
    deliveries = []
    for endpoint in endpoints:
        delivery = Delivery(endpoint=endpoint, event=event)
        delivery.payload = {
            "id": str(delivery.id),
            "type": event,
            "circle": circle_ref,
            "timestamp": occurred_at.isoformat(),
            "data": data,
        }
        deliveries.append(delivery)
    Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        _enqueue(delivery)
    return deliveries


def _enqueue(delivery: Delivery, run_after=None) -> None:
    from django_tasks import default_task_backend

    from .tasks import deliver_webhook

    task = deliver_webhook
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # the retry sweep (`manage.py webhooks_retry`) sends it when it is due
        task = task.using(run_after=run_after)
    task.enqueue(str(delivery.pk))


def retry_delay(attempts: int) -> timedelta:
    """After the 1st failed attempt base, then 2×, 4×, … base."""
    return timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def delivery_attempt(*, delivery_id: str) -> str | None:
    """One attempt of a delivery that is still open; returns its status afterwards."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",)).select_related("endpoint")
            .filter(pk=delivery_id, status__in=OPEN_STATUSES).first()
        )
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        if not endpoint.enabled:
            delivery.status = Delivery.Status.CANCELLED
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "next_attempt_at"])
            return delivery.status
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.next_attempt_at = None  # in flight: the retry sweep leaves it alone
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    # The HTTP request runs outside any transaction: no row stays locked while we wait.
    outcome = sending.post(url=endpoint.url, secret=endpoint.secret, delivery_id=str(delivery.pk),
                           event=delivery.event, payload=delivery.payload)
    return _record_outcome(delivery, outcome)


@transaction.atomic
def _record_outcome(delivery: Delivery, outcome: sending.Outcome) -> str:
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    delivery.response_code = outcome.status
    delivery.error = outcome.error
    if outcome.ok:
        delivery.status = Delivery.Status.SUCCEEDED
        endpoint.consecutive_failures = 0
    else:
        endpoint.consecutive_failures += 1
        if endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES:
            delivery.status = Delivery.Status.FAILED
            _disable_automatically(endpoint, reason=outcome.error)
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.RETRYING
            delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
    delivery.save(update_fields=["status", "response_code", "error", "next_attempt_at"])
    endpoint.save(update_fields=["consecutive_failures", "enabled", "disabled_at", "disabled_reason"])
    if delivery.status == Delivery.Status.RETRYING:
        transaction.on_commit(lambda: _enqueue(delivery, run_after=delivery.next_attempt_at))
    return delivery.status


def _disable_automatically(endpoint: Endpoint, *, reason: str) -> None:
    endpoint.enabled = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason
    _cancel_open_deliveries(endpoint)


def _cancel_open_deliveries(endpoint: Endpoint) -> None:
    endpoint.deliveries.filter(status__in=OPEN_STATUSES).update(status=Delivery.Status.CANCELLED, next_attempt_at=None)


def retry_due_deliveries(*, now=None) -> int:
    """Send every retry that is due; for task backends that cannot run a task later (immediate)."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status=Delivery.Status.RETRYING, next_attempt_at__lte=now, endpoint__enabled=True)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:500]
    )
    for delivery_id in due:
        delivery_attempt(delivery_id=str(delivery_id))
    return len(due)
