"""Who may do what with partner services. Used by views, the API and the services alike.

- A question is seen by its author, whoever handles it now, the fixed contact person it was
  routed to, and editors (who keep the shared inbox and the overviews). Anyone else gets 404.
- A question is handled by its assignee; a question in the shared inbox (no assignee) by any editor.
- The fixed contact person of an organisation is an editor or the facilitator of a learning circle.
"""

from django.utils.translation import gettext as _

from communities.models import Membership

from .errors import NotFound
from .models import KnowledgeQuestion

EDITOR_GROUPS = ("Editors", "Moderators")


def _cached(user, key, compute):
    cache = user.__dict__.setdefault("_lk_partner_roles", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def is_editor(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _cached(
        user, "editor", lambda: user.is_superuser or user.groups.filter(name__in=EDITOR_GROUPS).exists()
    )


def is_facilitator_anywhere(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return _cached(
        user,
        "facilitator",
        lambda: Membership.objects.filter(
            user=user, role=Membership.Role.FACILITATOR, state=Membership.State.ACTIVE
        ).exists(),
    )


def has_contact_role(user) -> bool:
    """May be someone's fixed contact person, or receive a forwarded question."""
    return is_editor(user) or is_facilitator_anywhere(user)


def forget_roles(user) -> None:
    user.__dict__.pop("_lk_partner_roles", None)


def is_author(user, question: KnowledgeQuestion) -> bool:
    return question.author_id == getattr(user, "pk", None)


def can_handle(user, question: KnowledgeQuestion) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if question.assignee_id is not None:
        return question.assignee_id == user.pk
    return is_editor(user)


def is_routed_contact(user, question: KnowledgeQuestion) -> bool:
    return question.contact_id is not None and question.contact.user_id == getattr(user, "pk", None)


def can_read_question(user, question: KnowledgeQuestion) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        is_author(user, question)
        or question.assignee_id == user.pk
        or is_routed_contact(user, question)
        or is_editor(user)
    )


def can_download_attachment(user, question: KnowledgeQuestion) -> bool:
    return bool(question.attachment_storage_name) and can_read_question(user, question)


def is_fixed_contact(user) -> bool:
    from .models import PartnerContact

    if not getattr(user, "is_authenticated", False):
        return False
    return _cached(user, "contact", lambda: PartnerContact.objects.filter(user=user).exists())


def can_see_inbox(user) -> bool:
    return has_contact_role(user) or is_fixed_contact(user)


def can_see_overview(user) -> bool:
    return is_editor(user)


def can_make_faq(user, question: KnowledgeQuestion) -> bool:
    return is_editor(user)


def get_readable_question(user, pk) -> KnowledgeQuestion:
    """The question with the relations pages show, or NotFound when the user may not see it."""
    question = (
        KnowledgeQuestion.objects.select_related("author__profile", "organisation", "contact__contact_person", "assignee__profile")
        .filter(pk=pk)
        .first()
    )
    if question is None or not can_read_question(user, question):
        raise NotFound(_("This question does not exist."))
    return question
