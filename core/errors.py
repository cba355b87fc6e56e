"""The base of every service error; each app's errors module adds its own (communities.errors)."""


class ServiceError(Exception):
    """Raised by service functions; views turn it into a form error, the API into JSON.

    Carries a translated, user-facing message; `status` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class RateLimited(ServiceError):
    status = 429
    code = "rate_limited"
