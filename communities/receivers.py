"""Ending a session ends its sockets (DESIGN.md: "Logging out, anywhere, closes that session's sockets").

Channels does not do this by itself: a socket authenticated by a session stays open after
the session is gone. These are the two ways a session ends that we can hear about; they
come from Django and allauth, not from our services, hence signal receivers. The consumer
joins session_group(session key) on connect and closes on `session.ended`; and because the
layer may lose that event, it also re-checks the session before delivering (consumers.py).
"""

from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .events import send_event_on_commit, session_group


def end_session_sockets(session_key: str | None) -> None:
    if session_key:
        send_event_on_commit(session_group(session_key), {"type": "session.ended"})


@receiver(user_logged_out, dispatch_uid="communities.live.logout")
def on_logout(sender, request=None, **kwargs):
    # Sent by django.contrib.auth.logout before the session is flushed, so the key is still there.
    end_session_sockets(getattr(getattr(request, "session", None), "session_key", None))


@receiver(post_delete, sender=UserSession, dispatch_uid="communities.live.usersession_ended")
def on_user_session_ended(sender, instance, **kwargs):
    # allauth's "sign out other sessions" deletes those sessions without a logout signal.
    end_session_sockets(instance.session_key)
