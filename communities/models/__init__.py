from .audit import AuditEntry
from .channels import Channel, Message, MessageReport, Reaction, ReadMarker
from .circles import Circle, Invitation, Membership
from .notifications import (
    Delivery,
    Notification,
    NotificationDigest,
    NotificationKind,
    NotificationPreference,
    SavedItem,
)
from .profiles import Profile
from .tokens import PersonalAccessToken

__all__ = [
    "AuditEntry",
    "Channel",
    "Circle",
    "Delivery",
    "Invitation",
    "Membership",
    "Message",
    "MessageReport",
    "Notification",
    "NotificationDigest",
    "NotificationKind",
    "NotificationPreference",
    "PersonalAccessToken",
    "Profile",
    "Reaction",
    "ReadMarker",
    "SavedItem",
]
