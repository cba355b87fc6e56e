"""Checking an uploaded file by its content, for every app that takes attachments.

The extension must be one the app allows and the bytes must be what the extension claims:
filetype reads the magic numbers; Office and OpenDocument files are ZIP packages, so we also
look inside for their parts. Accepted files go to the "private" storage under a random name,
never under MEDIA_ROOT; the user's file name is kept only as data.
"""

import os
import unicodedata
import uuid
import zipfile

import filetype
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from .errors import FileTooLarge, InvalidInput, UnsupportedFileType

MAX_UPLOAD_SIZE = 10 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
OFFICE_PART_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ZIP_PACKAGES = {*OFFICE_PART_FOLDER, "odt"}


def private_storage():
    return storages["private"]


def allowed_types(*extensions: str) -> dict[str, str]:
    """Extension -> content type for the given extensions; "jpg" brings "jpeg" along."""
    if "jpg" in extensions:
        extensions = (*extensions, "jpeg")
    return {ext: CONTENT_TYPES[ext] for ext in extensions}


def types_label(allowed: dict[str, str]) -> str:
    """"PDF, DOCX, PNG, JPG": the allowed types as users know them ("jpeg" is JPG too)."""
    return ", ".join(ext.upper() for ext in allowed if ext != "jpeg")


def clean_file_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .") or "bijlage"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else name[:200]
    return name


def file_extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _odt_mimetype(package: zipfile.ZipFile) -> bytes:
    """The `mimetype` entry, read only if it is small: a crafted one can inflate to gigabytes."""
    if package.getinfo("mimetype").file_size > 100:
        return b""
    with package.open("mimetype") as entry:
        return entry.read(101).strip()


def _is_package(upload, ext: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
            if ext == "odt":
                return "mimetype" in names and _odt_mimetype(package) == CONTENT_TYPES["odt"].encode()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return False
    finally:
        upload.seek(0)
    folder = OFFICE_PART_FOLDER[ext]
    others = [other for key, other in OFFICE_PART_FOLDER.items() if key != ext]
    return (
        "[Content_Types].xml" in names
        and any(name.startswith(folder) for name in names)
        and not any(name.startswith(other) for name in names for other in others)
    )


def _content_matches(upload, ext: str, expected: str) -> bool:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(bytes(head))
    if ext in ZIP_PACKAGES:
        return (kind is None or kind.mime in {expected, "application/zip"}) and _is_package(upload, ext)
    return kind is not None and kind.mime == expected


def inspect_file(upload, allowed: dict[str, str]) -> tuple[str, str]:
    """(clean file name, content type) of an acceptable upload; raises FileTooLarge (413),
    UnsupportedFileType (415) or InvalidInput (422) otherwise."""
    name = clean_file_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size > MAX_UPLOAD_SIZE:
        raise FileTooLarge(
            _("“%(name)s” is %(size)s MB; an attachment can be at most 10 MB.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    if size == 0:
        raise InvalidInput(_("“%(name)s” is empty.") % {"name": name}, code="empty_file")
    ext = file_extension(name)
    if ext not in allowed:
        raise UnsupportedFileType(
            _("“%(name)s” cannot be attached: only files of type %(types)s are allowed.")
            % {"name": name, "types": types_label(allowed)}
        )
    if not _content_matches(upload, ext, allowed[ext]):
        raise UnsupportedFileType(
            _("The content of “%(name)s” is not a real %(type)s file. Only files of type %(types)s are allowed.")
            % {"name": name, "type": ext.upper(), "types": types_label(allowed)}
        )
    return name, allowed[ext]


def store_upload(upload, folder: str, ext: str) -> str:
    """Saves the upload in the private storage under a random name; returns the stored name."""
    return private_storage().save(f"{folder}/{uuid.uuid4().hex}.{ext}", upload)
