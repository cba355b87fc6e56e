"""Case attachments: PDF, DOCX, XLSX, PPTX, PNG or JPG, at most 10 MB and at most 10 a case,
checked by content (communities.uploads) and kept in the private storage."""

from django.db import transaction
from django.utils.translation import gettext as _

from communities.uploads import MAX_UPLOAD_SIZE, allowed_types, file_extension, inspect_file, private_storage, store_upload

from ..errors import InvalidInput, NotFound
from ..models import Attachment, Case
from ..permissions import Action, check, get_readable_case
from ..payloads import case_event
from .common import broadcast, locked_case

__all__ = ["MAX_ATTACHMENT_SIZE", "attachment_add", "attachment_delete", "attachments_add", "inspect_upload",
           "private_storage"]

MAX_ATTACHMENT_SIZE = MAX_UPLOAD_SIZE
MAX_ATTACHMENTS_PER_CASE = 10
ALLOWED_TYPES = allowed_types("pdf", "docx", "xlsx", "pptx", "png", "jpg")


def inspect_upload(upload) -> tuple[str, str]:
    """(clean file name, content type) of an acceptable case attachment, or a ServiceError."""
    return inspect_file(upload, ALLOWED_TYPES)


@transaction.atomic
def attachment_add(*, uploader, case: Case, upload) -> Attachment:
    case = locked_case(case)
    check(uploader, case, Action.ATTACH)
    name, content_type = inspect_upload(upload)
    if case.attachments.count() >= MAX_ATTACHMENTS_PER_CASE:
        raise InvalidInput(_("A case can have at most 10 attachments."), code="too_many_attachments")
    stored_name = store_upload(upload, f"cases/{case.pk}", file_extension(name))
    try:
        attachment = Attachment.objects.create(
            case=case,
            uploaded_by=uploader,
            storage_name=stored_name,
            original_name=name,
            content_type=content_type,
            size=upload.size,
        )
    except Exception:
        private_storage().delete(stored_name)
        raise
    broadcast(case, case_event(case))
    return attachment


@transaction.atomic
def attachments_add(*, uploader, case: Case, uploads) -> list[Attachment]:
    """Several files at once: all are checked before any is stored; all or none."""
    uploads = list(uploads)
    case = locked_case(case)
    check(uploader, case, Action.ATTACH)
    for upload in uploads:
        inspect_upload(upload)
    if case.attachments.count() + len(uploads) > MAX_ATTACHMENTS_PER_CASE:
        raise InvalidInput(_("A case can have at most 10 attachments."), code="too_many_attachments")
    return [attachment_add(uploader=uploader, case=case, upload=upload) for upload in uploads]


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    case = locked_case(attachment.case)
    get_readable_case(actor, case)
    if not Attachment.objects.filter(pk=attachment.pk, case=case).exists():
        raise NotFound(_("This attachment does not exist."))
    check(actor, case, Action.ATTACH)
    stored_name = attachment.storage_name
    attachment.delete()
    transaction.on_commit(lambda: private_storage().delete(stored_name))
    broadcast(case, case_event(case))
