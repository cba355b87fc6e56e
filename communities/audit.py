"""The audit log of facilitator actions (remove, role change, hide, lock, phase change, ...).

Services call `audit_record(...)` inside their own transaction, right where the change is
made, so an entry exists exactly when the change was committed. Other apps (casework) call it
too. Entries hold ids and codes, never names or email addresses.
"""

from django.db import transaction

from .models import AuditEntry

Action = AuditEntry.Action

# Actions concerning one person (`target_user`); shown as "deleted participant" once that
# person has deleted their account.
PERSON_ACTIONS = {
    Action.MEMBER_APPROVED,
    Action.MEMBER_DECLINED,
    Action.MEMBER_REMOVED,
    Action.ROLE_CHANGED,
    Action.MESSAGE_HIDDEN,
}


def audit_record(*, circle, actor, action: str, target_user=None, **details) -> AuditEntry:
    """Write one entry. Must run inside the transaction of the change it records."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must be called inside the transaction of the change it records")
    circle_id = circle if isinstance(circle, int) else circle.pk
    return AuditEntry.objects.create(
        circle_id=circle_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_user=target_user,
        details={key: value for key, value in details.items() if value is not None},
    )


# --- Showing the log --------------------------------------------------------------------
#
# The "details" column of the log page. Each action may have a describer, `fn(entry, page)`
# returning safe HTML; `page` carries the circle, the viewer and whatever the prefetchers
# (`fn(entries, page)`, run once per page of entries) loaded, so a page of the log costs the
# same number of queries whatever it shows. Apps register their own (casework: phase changes).

_describers = {}
_prefetchers = []


class LogPage(dict):
    """Shared lookups of one page of the log: `page.circle`, `page.viewer`, plus prefetched dicts."""

    def __init__(self, *, circle, viewer):
        super().__init__()
        self.circle = circle
        self.viewer = viewer


def register_audit_describer(*actions: str):
    def decorator(fn):
        for action in actions:
            _describers[action] = fn
        return fn

    return decorator


def register_audit_prefetch(fn):
    _prefetchers.append(fn)
    return fn


def describe_entries(entries, *, circle, viewer) -> None:
    """Sets `entry.description` (safe HTML or "") and `entry.about_person` on each entry."""
    page = LogPage(circle=circle, viewer=viewer)
    for prefetch in _prefetchers:
        prefetch(entries, page)
    for entry in entries:
        describer = _describers.get(entry.action)
        entry.description = describer(entry, page) if describer else ""
        entry.about_person = entry.action in PERSON_ACTIONS


def _role_label(code) -> str:
    from .models import Membership

    try:
        return Membership.Role(code).label
    except ValueError:
        return str(code)


@register_audit_describer(Action.ROLE_CHANGED)
def _describe_role(entry, page):
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    return format_html(
        _("from {old} to {new}"), old=_role_label(entry.details.get("old")), new=_role_label(entry.details.get("new"))
    )


@register_audit_prefetch
def _prefetch_channels(entries, page):
    if any("channel" in entry.details for entry in entries):
        page["channels"] = {channel.pk: channel for channel in page.circle.channels.all()}


def _channel_link(entry, page, *, thread=None):
    from django.urls import reverse
    from django.utils.html import format_html

    channel = page.get("channels", {}).get(entry.details.get("channel"))
    if channel is None:
        return format_html("{}", entry.details.get("channel_name", ""))
    if thread:
        url = reverse("communities:thread", args=[page.circle.slug, channel.slug, thread])
        if entry.details.get("message"):
            url += f"#message-{entry.details['message']}"
    else:
        url = reverse("communities:channel", args=[page.circle.slug, channel.slug])
    return format_html('<a href="{}">{}</a>', url, channel.name)


@register_audit_describer(Action.MESSAGE_HIDDEN)
def _describe_hidden(entry, page):
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    return format_html(_("in {channel}"), channel=_channel_link(entry, page, thread=entry.details.get("thread")))


@register_audit_describer(Action.CHANNEL_LOCKED, Action.CHANNEL_UNLOCKED, Action.CHANNEL_ARCHIVED, Action.CHANNEL_RESTORED)
def _describe_channel(entry, page):
    return _channel_link(entry, page)
