"""Small real files of each allowed type, and disguised ones."""

import io
import zipfile

PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def office_bytes(folder: str) -> bytes:
    """A minimal Office Open XML package: [Content_Types].xml plus the part folder
    ("word/", "xl/" or "ppt/"), which is what Word, Excel and PowerPoint write."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        main = {"word/": "word/document.xml", "xl/": "xl/workbook.xml", "ppt/": "ppt/presentation.xml"}[folder]
        package.writestr(main, '<?xml version="1.0"?><doc/>')
    return buffer.getvalue()


DOCX_BYTES = office_bytes("word/")
XLSX_BYTES = office_bytes("xl/")
PPTX_BYTES = office_bytes("ppt/")

HTML_BYTES = b"<!doctype html><script>alert(1)</script>"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("notities.txt", "hoi")
    return buffer.getvalue()


PLAIN_ZIP_BYTES = _plain_zip()
