"""Errors of the partner services: those of communities.errors, plus a refusal of one step (403)."""

from communities.errors import (
    Conflict, FileTooLarge, InvalidInput, NotAuthenticated, NotFound, RateLimited, ServiceError, UnsupportedFileType,
)

__all__ = ["Conflict", "FileTooLarge", "InvalidInput", "NotAllowed", "NotAuthenticated", "NotFound", "RateLimited",
           "ServiceError", "UnsupportedFileType"]


class NotAllowed(ServiceError):
    """The requester may see the question but not take this step (for example a member answering it)."""

    status = 403
    code = "not_allowed"
