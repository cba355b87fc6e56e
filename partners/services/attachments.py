"""The optional attachment of a knowledge question: PDF, DOCX, XLSX, PPTX, ODT, PNG or JPG, at most
10 MB, checked by content (communities.uploads). Files go to the private storage; partners.views
serves them only to people who may read the question."""

from communities.uploads import MAX_UPLOAD_SIZE, allowed_types, inspect_file, private_storage, store_upload, types_label

__all__ = ["ALLOWED_LABEL", "ALLOWED_TYPES", "MAX_ATTACHMENT_SIZE", "inspect_upload", "private_storage",
           "store_question_file"]

MAX_ATTACHMENT_SIZE = MAX_UPLOAD_SIZE
ALLOWED_TYPES = allowed_types("pdf", "docx", "xlsx", "pptx", "odt", "png", "jpg")
ALLOWED_LABEL = types_label(ALLOWED_TYPES)


def inspect_upload(upload) -> tuple[str, str]:
    """(clean file name, content type) of an acceptable question attachment, or a ServiceError."""
    return inspect_file(upload, ALLOWED_TYPES)


def store_question_file(upload, ext: str) -> str:
    return store_upload(upload, "knowledge-questions", ext)
