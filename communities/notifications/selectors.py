"""Reads of notifications and saved items shared by the pages, the API and the header badge."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from communities.models import Notification, SavedItem

from .emails import display_queryset


def notifications_for(user):
    """The user's notifications, newest first, ready to show: a fixed number of queries per page."""
    return display_queryset().filter(recipient=user).order_by("-id")


def unread_count(user) -> int:
    """The header's badge on every page: in SQL, as the ORM took several times the query's own time."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND read_at IS NULL", [user.pk])
        return cursor.fetchone()[0]


def saved_items_for(user):
    return SavedItem.objects.filter(user=user).select_related("content_type").order_by("-created_at", "-id")


def is_saved(user, obj) -> bool:
    return SavedItem.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).exists()
