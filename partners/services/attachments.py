"""The optional attachment of a knowledge question: PDF, DOCX, XLSX, PPTX, ODT, PNG or JPG, at most 10 MB.

The extension must be allowed and the bytes must be what it claims (filetype reads the magic
numbers; Office and OpenDocument files are ZIP packages, checked for their parts). Files go to
the "private" storage under a random name, never under MEDIA_ROOT; partners.views serves them
only to people who may read the question.
"""

import os
import unicodedata
import uuid
import zipfile

import filetype
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from ..errors import FileTooLarge, InvalidInput, UnsupportedFileType

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
PACKAGE_MARKER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/", "odt": "mimetype"}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, PNG, JPG"


def private_storage():
    return storages["private"]


def clean_file_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .") or "bijlage"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else name[:200]
    return name


def _is_package(upload, ext: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
            if ext == "odt":
                return "mimetype" in names and package.read("mimetype").strip() == ALLOWED_TYPES["odt"].encode()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return False
    finally:
        upload.seek(0)
    marker = PACKAGE_MARKER[ext]
    return "[Content_Types].xml" in names and any(name.startswith(marker) for name in names)


def inspect_upload(upload) -> tuple[str, str]:
    """(clean file name, content type) of an acceptable upload; raises FileTooLarge (413),
    UnsupportedFileType (415) or InvalidInput (422) otherwise."""
    name = clean_file_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size > MAX_ATTACHMENT_SIZE:
        raise FileTooLarge(
            _("“%(name)s” is %(size)s MB; an attachment can be at most 10 MB.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    if size == 0:
        raise InvalidInput(_("“%(name)s” is empty.") % {"name": name}, code="empty_file")
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise UnsupportedFileType(
            _("“%(name)s” cannot be attached: only files of type %(types)s are allowed.") % {"name": name, "types": ALLOWED_LABEL}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(bytes(head))
    expected = ALLOWED_TYPES[ext]
    if ext in PACKAGE_MARKER:
        ok = (kind is None or kind.mime in {expected, "application/zip"}) and _is_package(upload, ext)
    else:
        ok = kind is not None and kind.mime == expected
    if not ok:
        raise UnsupportedFileType(
            _("The content of “%(name)s” is not a real %(type)s file.") % {"name": name, "type": ext.upper()}
        )
    return name, expected


def store_upload(upload, ext: str) -> str:
    return private_storage().save(f"knowledge-questions/{uuid.uuid4().hex}.{ext}", upload)
