"""Errors raised by service functions; views turn them into form errors, the API into JSON.

Every error carries a translated, user-facing message. `status` is the HTTP status the API
answers with.
"""

from core.errors import RateLimited, ServiceError

__all__ = ["Conflict", "FileTooLarge", "InvalidInput", "NotAuthenticated", "NotFound", "RateLimited", "ServiceError",
           "UnsupportedFileType"]


class NotAuthenticated(ServiceError):
    """The API call needs a signed-in user (session) or a personal access token."""

    status = 401
    code = "not_authenticated"


class InvalidInput(ServiceError):
    status = 422
    code = "invalid"


class NotFound(ServiceError):
    """The requester may not see the object, or it does not exist: the same answer for both."""

    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """The request is well-formed but the object's state does not allow it (locked, wrong phase)."""

    status = 409
    code = "conflict"


class FileTooLarge(ServiceError):
    status = 413
    code = "file_too_large"


class UnsupportedFileType(ServiceError):
    status = 415
    code = "unsupported_file_type"
