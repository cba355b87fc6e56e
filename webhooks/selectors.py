"""Reads of the webhook pages."""

from django.db.models import Max

from .models import Endpoint

LOG_SIZE = 50


def circle_endpoints(circle):
    return Endpoint.objects.filter(circle=circle).annotate(last_delivery_at=Max("deliveries__created_at"))


def endpoint_deliveries(endpoint, limit: int = LOG_SIZE):
    return endpoint.deliveries.order_by("-created_at")[:limit]


def subscribed_endpoints(circle_id: int, event: str) -> list[Endpoint]:
    # JSONField `contains` does not exist on SQLite; a circle has at most a handful of endpoints.
    return [e for e in Endpoint.objects.filter(circle_id=circle_id, enabled=True) if event in e.events]
