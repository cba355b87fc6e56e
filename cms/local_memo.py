"""What one server process keeps in its own memory of what pages show, in front of the shared cache.

Every key carries the generation numbers it was built under (cms.generations), which every request
reads from the shared cache, so an entry is never used once something it shows has changed, in
this process or any other. Entries may also carry a moment after which they are not used (what
changes with time alone). Full, the memo starts over: keys are cheap to rebuild, and a flood of
new keys (query strings) cannot grow it.
"""

import time


class LocalMemo:
    def __init__(self, max_entries: int = 1000):
        self.max_entries = max_entries
        self._entries: dict = {}

    def get(self, key):
        entry = self._entries.get(key)
        if entry is None:
            return None
        until, value = entry
        if until is not None and until <= time.time():
            return None
        return value

    def set(self, key, value, until: float | None = None) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries = {}
        self._entries[key] = (until, value)

    def clear(self) -> None:
        self._entries = {}
