"""What one server process keeps in its own memory of the HTML that many visitors see alike.

Keys always carry what the HTML shows (a version or generation of it, cms.generations), so an
entry is never out of date, only unused; an entry may also carry a moment after which it is not
used (what changes with time alone). A full memo forgets its least recently used entries. Forms
inside keep the CSRF token as CSRF_SLOT, and each visitor gets their own (`with_csrf`).
"""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

# Derived from the secret key, so no message or name can carry it.
CSRF_SLOT = "csrf-" + hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=12, person=b"lk-csrf-slot").hexdigest()
# In the keys of HTML kept in the shared cache: HTML made under another secret key has another slot.
SLOT_TAG = CSRF_SLOT[-8:]


class ProcessMemo:
    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            value, until = entry
            if until is not None and until <= time.time():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return value

    def put(self, key, value, until: float | None = None) -> None:
        with self.lock:
            self.entries[key] = (value, until)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def with_csrf(html: str, request) -> str:
    return html.replace(CSRF_SLOT, csrf_token(request)) if CSRF_SLOT in html else html


def csrf_token(request) -> str:
    """The request's CSRF token for its forms, masked once per request rather than once per
    fragment (unless the secret was rotated meanwhile), and with one call for random bytes
    instead of Django's 32 (`_masked`)."""
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_lk_csrf_token", None)
    if kept is not None and kept[0] == secret:
        return kept[1]
    if secret is not None:
        # What django.middleware.csrf.get_token does for a visitor who has a secret: the cookie
        # is sent again (its expiry renewed) and the secret masked.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        token = _masked(secret)
    else:
        from django.middleware.csrf import get_token

        token = get_token(request)  # a new secret, and its cookie
    request._lk_csrf_token = (request.META.get("CSRF_COOKIE"), token)
    return token


_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_UNBIASED = 256 - 256 % len(_CHARS)  # bytes below this, modulo 62, are uniform


def _masked(secret: str) -> str:
    """Django's masking (django.middleware.csrf._mask_cipher_secret): a random mask of 32
    characters, then the secret shifted by it, character by character."""
    mask = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += [_CHARS[byte % len(_CHARS)] for byte in secrets.token_bytes(48) if byte < _UNBIASED]
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = (_CHARS[(_INDEX[s] + _INDEX[m]) % len(_CHARS)] for s, m in zip(secret, mask))
    return "".join(mask) + "".join(cipher)
