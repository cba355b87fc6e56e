"""The baseline: the smallest ASGI response, served by the same server (uvicorn) as the app."""

BODY = b"<!DOCTYPE html><title>ok</title><p>ok</p>"


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(BODY)).encode())]})
    await send({"type": "http.response.body", "body": BODY})
