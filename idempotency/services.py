"""Begin, finish and abandon an idempotent create (see idempotency.api for the HTTP side)."""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.errors import Conflict, InvalidInput

from .models import IdempotencyKey

KEY_LIFETIME = timedelta(hours=24)
KEY_MAX_LENGTH = 255


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def _check_key(key: str) -> str:
    if not key or len(key) > KEY_MAX_LENGTH or not key.isprintable():
        raise InvalidInput(
            _("The Idempotency-Key header must be 1 to %(max)s printable characters, e.g. a UUID.") % {"max": KEY_MAX_LENGTH},
            code="invalid_idempotency_key",
        )
    return key


def idempotency_begin(*, user, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """(the record, whether it holds a finished answer to replay). Raises 422 when the key was
    used for a different request, 409 while the first request with the key is still running."""
    key = _check_key(key)
    IdempotencyKey.objects.filter(user=user, created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint), False
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is None or existing.status is None:
        raise Conflict(_("A request with this Idempotency-Key is still being handled. Try again in a moment."),
                       code="idempotency_key_in_use")
    if existing.fingerprint != fingerprint:
        raise InvalidInput(_("This Idempotency-Key was used for a different request. Use a new key."),
                           code="idempotency_key_reused")
    return existing, True


def idempotency_finish(*, record: IdempotencyKey, status: int, body: str) -> None:
    record.status, record.body = status, body
    record.save(update_fields=["status", "body"])


def idempotency_abandon(*, record: IdempotencyKey) -> None:
    """The request failed: forget the key, so that a retry is handled afresh."""
    IdempotencyKey.objects.filter(pk=record.pk, status__isnull=True).delete()
