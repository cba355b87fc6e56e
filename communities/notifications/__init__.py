"""Notifications, the daily digest, saved items and member search (issue 7).

Triggers call `notify()`; pages, the API and the digest read through `selectors`.
"""
