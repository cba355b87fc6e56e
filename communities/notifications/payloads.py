"""The JSON shape of a notification, shared by the live event and the API."""

from communities.models import Notification

from .texts import notification_excerpt, notification_text


def notification_payload(notification: Notification, *, may_read: bool) -> dict:
    return {
        "id": notification.pk,
        "kind": str(notification.kind),
        "text": notification_text(notification),
        "excerpt": notification_excerpt(notification, may_read=may_read),
        "url": notification.url,
        "circle": notification.circle_id,
        "created": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }
