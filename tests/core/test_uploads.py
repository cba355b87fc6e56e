"""The shared upload checks: an ODT is recognised by its `mimetype` entry, read with care."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.errors import UnsupportedFileType
from communities.uploads import allowed_types, inspect_file

ODT = "application/vnd.oasis.opendocument.text"


def odt(mimetype: bytes) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", mimetype)
        package.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile("notitie.odt", buffer.getvalue(), content_type=ODT)


def test_a_real_odt_passes():
    assert inspect_file(odt(ODT.encode()), allowed_types("odt")) == ("notitie.odt", ODT)


def test_an_odt_whose_mimetype_entry_would_inflate_is_refused_without_reading_it():
    bomb = odt(ODT.encode() + b" " * 50_000_000)  # 50 MB of spaces, a few kB compressed
    assert bomb.size < 200_000
    with pytest.raises(UnsupportedFileType):
        inspect_file(bomb, allowed_types("odt"))
