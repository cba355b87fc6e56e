"""What one server process keeps of the HTML that many readers see alike.

Keys always carry what the HTML shows (or a version of it), so an entry is never out of date,
only unused; a full memo forgets its oldest entries. Forms inside keep the CSRF token as
CSRF_SLOT, and each reader gets their own (`with_csrf`).
"""

import hashlib
import threading
from collections import OrderedDict

from django.conf import settings

# Derived from the secret key, so no message or name can carry it.
CSRF_SLOT = "csrf-" + hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=12, person=b"lk-csrf-slot").hexdigest()


class ProcessMemo:
    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def with_csrf(html: str, request) -> str:
    return html.replace(CSRF_SLOT, csrf_token(request)) if CSRF_SLOT in html else html


def csrf_token(request) -> str:
    """The request's CSRF token for its forms, masked once per request rather than once per
    fragment (each masking draws 32 random characters)."""
    token = getattr(request, "_lk_csrf_token", None)
    if token is None:
        from django.middleware.csrf import get_token

        token = request._lk_csrf_token = get_token(request)
    return token
