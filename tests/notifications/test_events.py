"""Every `notification` frame that services emit has one shape (DESIGN.md, real-time protocol)."""

import pytest
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr

from communities.models import NotificationKind
from communities.notifications.services import notification_mark_all_read, notification_mark_read, notify

pytestmark = pytest.mark.django_db


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class NotificationPayload(Strict):
    id: StrictInt
    kind: StrictStr
    text: StrictStr
    excerpt: StrictStr
    url: StrictStr
    circle: StrictInt | None
    created: StrictStr
    read: StrictBool


class NotificationFrame(Strict):
    type: StrictStr
    notification: NotificationPayload | None
    unread: StrictInt


def test_new_and_read_frames_pass_the_schema(circle, official, expert, captured_events, run_on_commit):
    [first] = run_on_commit(
        notify, kind=NotificationKind.JOIN_REQUEST, recipients=[official], actor=expert, circle=circle, event_key="a"
    )
    run_on_commit(notify, kind=NotificationKind.INVITATION, recipients=[official], actor=expert, circle=circle, event_key="b")
    run_on_commit(notification_mark_read, user=official, notification_id=first.pk)
    run_on_commit(notification_mark_all_read, user=official)
    frames = [NotificationFrame.model_validate(event) for group, event in captured_events]
    assert {group for group, _event in captured_events} == {f"user-{official.pk}"}
    assert [(f.notification is not None, f.unread) for f in frames] == [(True, 1), (True, 2), (False, 1), (False, 0)]
    assert all(f.type == "notification" for f in frames)
