"""Errors of the partner services, on top of communities.errors (the API answers with `status`)."""

from communities.errors import Conflict, InvalidInput, NotFound, ServiceError

__all__ = ["Conflict", "FileTooLarge", "InvalidInput", "NotAllowed", "NotAuthenticated", "NotFound", "ServiceError",
           "UnsupportedFileType"]


class NotAuthenticated(ServiceError):
    status = 401
    code = "not_authenticated"


class NotAllowed(ServiceError):
    """The requester may see the question but not take this step (for example a member answering it)."""

    status = 403
    code = "not_allowed"


class FileTooLarge(ServiceError):
    status = 413
    code = "file_too_large"


class UnsupportedFileType(ServiceError):
    status = 415
    code = "unsupported_file_type"
