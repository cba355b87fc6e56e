"""`Idempotency-Key` on the API's creates (message, case, case question, feedback).

A view decorated with `idempotent` runs once per (user, key): a retry with the same key and the
same request answers the stored status and body (with `Idempotent-Replayed: true`) and stores
nothing; the same key with another body answers 422; a key is kept for 24 hours. Only successful
answers are kept: after an error the client may retry with the same key. The answer is stored
by `finish_idempotent_request` (config/api.py), once it is serialised."""

import functools

from django.http import HttpResponse

from . import services

HEADER = "Idempotency-Key"
HEADER_DESCRIPTION = (
    "Optional `Idempotency-Key` header (1-255 characters, e.g. a UUID): a retry with the same key "
    "and body stores nothing new and answers the first answer again, with `Idempotent-Replayed: "
    "true`; the same key with another body answers 422, while the first is still running 409. "
    "Keys are kept 24 hours."
)


def idempotent(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        fingerprint = services.request_fingerprint(method=request.method, path=request.path, body=request.body)
        record, finished = services.idempotency_begin(user=request.user, key=key, fingerprint=fingerprint)
        if finished:
            replay = HttpResponse(record.body, status=record.status, content_type="application/json; charset=utf-8")
            replay["Idempotent-Replayed"] = "true"
            return replay
        request.idempotency_record = record
        try:
            return view(request, *args, **kwargs)
        except BaseException:
            services.idempotency_abandon(record=record)
            del request.idempotency_record
            raise

    return wrapper


def finish_idempotent_request(request, response) -> None:
    record = getattr(request, "idempotency_record", None)
    if record is None:
        return
    if 200 <= response.status_code < 300:
        services.idempotency_finish(record=record, status=response.status_code, body=response.content.decode())
    else:
        services.idempotency_abandon(record=record)
