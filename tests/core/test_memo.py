"""The per-process memo (core/memo.py) and the CSRF tokens put into the HTML it keeps."""

from django.middleware.csrf import _unmask_cipher_token
from django.test import RequestFactory

from core.memo import CSRF_SLOT, ProcessMemo, csrf_token, with_csrf


def test_a_full_memo_forgets_what_was_used_longest_ago():
    memo = ProcessMemo(size=2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "b" is now the one used longest ago
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)


def test_an_entry_is_not_used_after_its_moment(monkeypatch):
    memo = ProcessMemo(size=10)
    memo.put("event", "<li>Netwerkdag</li>", until=1_000.0)
    monkeypatch.setattr("core.memo.time.time", lambda: 999.0)
    assert memo.get("event") == "<li>Netwerkdag</li>"
    monkeypatch.setattr("core.memo.time.time", lambda: 1_000.0)
    assert memo.get("event") is None


def test_each_request_gets_its_own_masking_of_its_secret_which_django_accepts():
    secret = "a" * 16 + "Z9" * 8
    tokens = []
    for _ in range(50):
        request = RequestFactory().get("/")
        request.META["CSRF_COOKIE"] = secret
        token = csrf_token(request)
        assert csrf_token(request) == token  # masked once per request
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the cookie is renewed, as Django does
        assert len(token) == 64 and token.isalnum() and _unmask_cipher_token(token) == secret
        tokens.append(token)
    assert len(set(tokens)) == 50


def test_a_visitor_without_a_secret_gets_one_and_the_slot_is_filled_in():
    request = RequestFactory().get("/")
    html = with_csrf(f'<input name="csrfmiddlewaretoken" value="{CSRF_SLOT}">', request)
    secret = request.META["CSRF_COOKIE"]
    assert CSRF_SLOT not in html and f'value="{csrf_token(request)}"' in html
    assert _unmask_cipher_token(csrf_token(request)) == secret


def test_a_secret_rotated_during_the_request_gets_a_token_of_its_own():
    from django.middleware.csrf import rotate_token

    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "b" * 32
    before = csrf_token(request)
    rotate_token(request)  # as signing in does

    after = csrf_token(request)
    assert after != before and _unmask_cipher_token(after) == request.META["CSRF_COOKIE"] != "b" * 32
