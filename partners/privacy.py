"""The partners app's part of a member's data export and account deletion (see communities/privacy.py).

- Export: the member's knowledge questions with their history, and partner applications they sent.
- Deletion: the questions go with the account (their rows cascade); their attachments are
  removed from the private storage here. Partner applications are the organisation's record
  of a contract; they stay, without the link to the account.
- A fixed contact person cannot delete their account before the editors appoint someone else.
"""

from django.utils.translation import gettext as _

from communities.privacy import Blocker, iso, register_blocker, register_eraser, register_exporter


@register_exporter("knowledge_questions", order=70)
def export_knowledge_questions(user) -> list[dict]:
    from .models import KnowledgeQuestion

    questions = (
        KnowledgeQuestion.objects.filter(author=user)
        .select_related("organisation")
        .prefetch_related("events")
        .order_by("created_at")
    )
    return [
        {
            "id": question.pk,
            "title": question.title,
            "question": question.question,
            "context": question.context,
            "organisation": question.organisation.name if question.organisation_id else None,
            "urgency": question.urgency,
            "theme": question.theme,
            "may_be_put_to_a_circle": question.share_consent,
            "status": question.status,
            "attachment": question.attachment_name or None,
            "asked_at": iso(question.created_at),
            "answered_at": iso(question.answered_at),
            "closed_at": iso(question.closed_at),
            # What happened to it; replies by the contact person are part of the member's case file.
            "history": [
                {"step": event.kind, "by_you": event.actor_id == user.pk, "text": event.body, "at": iso(event.created_at)}
                for event in question.events.all()
            ],
        }
        for question in questions
    ]


@register_exporter("partner_applications", order=71)
def export_partner_applications(user) -> list[dict]:
    from .models import PartnerApplication

    return [
        {
            "organisation": application.organisation_name,
            "contact_name": application.contact_name,
            "contact_job_title": application.contact_job_title,
            "contact_email": application.contact_email,
            "contact_phone": application.contact_phone,
            "invoice_addressee": application.invoice_addressee,
            "invoice_address": application.invoice_address,
            "invoice_email": application.invoice_email,
            "fee": application.fee,
            "status": application.status,
            "sent_at": iso(application.created_at),
            "decided_at": iso(application.decided_at),
        }
        for application in PartnerApplication.objects.filter(submitted_by=user).order_by("created_at")
    ]


@register_eraser("partners", order=50)
def erase_partners(user, *, delete_contributions: bool) -> None:
    from django.db import transaction

    from .models import KnowledgeQuestion
    from .services.attachments import private_storage

    stored = list(
        KnowledgeQuestion.objects.filter(author=user).exclude(attachment_storage_name="").values_list(
            "attachment_storage_name", flat=True
        )
    )

    def remove_files():
        storage = private_storage()
        for name in stored:
            storage.delete(name)

    # The rows go when the user row is deleted; the files only once that is committed.
    transaction.on_commit(remove_files)


@register_blocker("partners", order=50)
def fixed_contact_person(user) -> list[Blocker]:
    from .models import PartnerContact

    if not PartnerContact.objects.filter(user=user).exists():
        return []
    return [
        Blocker(
            _(
                "You are the fixed contact person of partner organisations. Ask the editors to appoint "
                "someone else first; then you can delete your account."
            )
        )
    ]
