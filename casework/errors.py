"""Casework errors on top of communities.errors (which the API maps to JSON with their status)."""

from communities.errors import Conflict, InvalidInput, NotFound, ServiceError

__all__ = ["Conflict", "FileTooLarge", "InvalidInput", "NotFound", "ServiceError", "UnsupportedFileType"]


class FileTooLarge(ServiceError):
    status = 413
    code = "file_too_large"


class UnsupportedFileType(ServiceError):
    status = 415
    code = "unsupported_file_type"
