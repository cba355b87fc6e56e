"""JSON shapes shared by the WebSocket events and the API (DESIGN.md, "Real-time protocol")."""

from django.utils.translation import gettext as _

from .models import Message


def author_payload(user) -> dict:
    if user is None:
        return {"id": None, "name": _("deleted participant")}
    profile = getattr(user, "profile", None)
    return {"id": user.pk, "name": profile.display_name if profile else user.get_username()}


def message_payload(message: Message) -> dict:
    removed = message.is_removed
    return {
        "id": message.pk,
        "channel": message.channel_id,
        "parent": message.parent_id,
        "thread": message.thread_id_or_self,
        "depth": message.depth,
        "author": author_payload(message.author),
        "html": "" if removed else message.body_html,
        "created": message.created_at.isoformat(),
        "edited": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": message.deleted_at is not None,
        "hidden": message.hidden_at is not None,
    }
