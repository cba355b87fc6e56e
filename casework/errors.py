"""Casework errors: those of communities.errors (which the API maps to JSON with their status)."""

from communities.errors import Conflict, FileTooLarge, InvalidInput, NotFound, ServiceError, UnsupportedFileType

__all__ = ["Conflict", "FileTooLarge", "InvalidInput", "NotFound", "ServiceError", "UnsupportedFileType"]
