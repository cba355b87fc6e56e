"""Saved items ("Bewaard"): members keep messages (and cases) to find them again.

Each kind of thing that can be saved is registered once with the query of the items a user
may read; that one query decides both whether saving is allowed and what the saved page
shows, so an item from a circle the user left is never shown again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from communities.errors import NotFound
from communities.models import Membership, Message, SavedItem

from .links import message_url


@dataclass(frozen=True)
class SaveableKind:
    name: str  # used in URLs and the API: "message", "case"
    model: type[models.Model]
    readable: Callable  # readable(user) -> QuerySet of the items the user may read, ready to show
    url: Callable  # url(item) -> where the item lives
    template: str  # shows one item on the saved page; gets `entry` (entry.item is the object)


SAVEABLE: dict[str, SaveableKind] = {}


def register_saveable(kind: SaveableKind) -> None:
    SAVEABLE[kind.name] = kind


def readable_messages(user):
    return Message.objects.filter(
        channel__circle__memberships__user=user,
        channel__circle__memberships__state=Membership.State.ACTIVE,
        deleted_at__isnull=True,
        hidden_at__isnull=True,
    ).select_related("channel__circle", "author__profile")


register_saveable(
    SaveableKind(
        name="message",
        model=Message,
        readable=readable_messages,
        url=message_url,
        template="communities/notifications/includes/saved_message.html",
    )
)


def saveable(kind: str) -> SaveableKind:
    if kind not in SAVEABLE:
        raise NotFound(_("This item does not exist."))
    return SAVEABLE[kind]


def _readable_item(*, user, kind: str, object_id: int):
    item = saveable(kind).readable(user).filter(pk=object_id).first()
    if item is None:
        raise NotFound(_("This item does not exist."))
    return item


@transaction.atomic
def saved_item_add(*, user, kind: str, object_id: int) -> SavedItem:
    item = _readable_item(user=user, kind=kind, object_id=object_id)
    saved, _created = SavedItem.objects.get_or_create(
        user=user, content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )
    return saved


@transaction.atomic
def saved_item_remove(*, user, kind: str, object_id: int) -> bool:
    """Removing works even when the item can no longer be read (left circle, deleted message)."""
    model = saveable(kind).model
    deleted, _ = SavedItem.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(model), object_id=object_id
    ).delete()
    return bool(deleted)


def saved_ids(user, kind: str, object_ids) -> set[int]:
    """Which of `object_ids` the user has saved: one query, for save/unsave buttons in lists."""
    model = saveable(kind).model
    return set(
        SavedItem.objects.filter(
            user=user, content_type=ContentType.objects.get_for_model(model), object_id__in=list(object_ids)
        ).values_list("object_id", flat=True)
    )


@dataclass
class SavedEntry:
    saved: SavedItem
    kind: str
    item: models.Model | None  # None: no longer available to this user

    @property
    def url(self) -> str:
        return SAVEABLE[self.kind].url(self.item) if self.item is not None else ""

    @property
    def template(self) -> str:
        return SAVEABLE[self.kind].template


def resolve_saved(user, saved_items: list[SavedItem]) -> list[SavedEntry]:
    """Attach each saved item's object; one query per kind present, whatever the number of items."""
    by_type: dict[int, list[int]] = {}
    for saved in saved_items:
        by_type.setdefault(saved.content_type_id, []).append(saved.object_id)
    objects: dict[tuple[int, int], models.Model] = {}
    kinds: dict[int, str] = {}
    for kind in SAVEABLE.values():
        content_type = ContentType.objects.get_for_model(kind.model)
        kinds[content_type.pk] = kind.name
        ids = by_type.get(content_type.pk)
        if ids:
            for item in kind.readable(user).filter(pk__in=ids):
                objects[(content_type.pk, item.pk)] = item
    return [
        SavedEntry(
            saved=saved,
            kind=kinds.get(saved.content_type_id, ""),
            item=objects.get((saved.content_type_id, saved.object_id)),
        )
        for saved in saved_items
    ]
