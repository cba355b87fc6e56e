"""An answered knowledge question as an anonymised FAQ page: a draft, submitted to the editors' moderation."""

import re

from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from wagtail.rich_text import RichText

from .. import permissions
from ..errors import Conflict, InvalidInput, NotAllowed, NotFound
from ..models import FaqIndexPage, FaqPage, KnowledgeQuestion, QuestionEvent, QuestionStatus, Theme
from ..models.questions import QUESTION_TEXT_MAX, REPLY_TEXT_MAX
from .notify import _tell_member

NAME_PLACEHOLDER = "[naam]"
ORGANISATION_PLACEHOLDER = "[organisatie]"


def _people_names(question: KnowledgeQuestion) -> list[str]:
    names = []
    for user in (question.author, question.assignee):
        profile = getattr(user, "profile", None) if user is not None else None
        if profile is not None and profile.display_name:
            names.append(profile.display_name)
            names.extend(part for part in profile.display_name.split() if len(part) >= 3)
    if question.contact_id:
        name = question.contact.contact_person.name
        names.append(name)
        names.extend(part for part in name.split() if len(part) >= 3)
    return names


def _organisation_names(question: KnowledgeQuestion) -> list[str]:
    names = []
    if question.organisation_id:
        names.append(question.organisation.name)
    profile = getattr(question.author, "profile", None)
    if profile is not None and profile.organisation:
        names.append(profile.organisation)
    return names


def _scrub(text: str, words: list[str], placeholder: str) -> str:
    for word in sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", placeholder, text, flags=re.IGNORECASE)
    return text


def anonymise(text: str, question: KnowledgeQuestion) -> str:
    """Replace the names of the people involved and of the organisation by placeholders."""
    text = _scrub(text, _organisation_names(question), ORGANISATION_PLACEHOLDER)
    return _scrub(text, _people_names(question), NAME_PLACEHOLDER)


def latest_answer(question: KnowledgeQuestion) -> str:
    event = question.events.filter(kind=QuestionEvent.Kind.ANSWERED).order_by("-created_at", "-pk").first()
    return event.body if event is not None else ""


def faq_suggestion(question: KnowledgeQuestion) -> dict:
    """Anonymised starting texts for the editor's form."""
    return {
        "title": anonymise(question.title, question),
        "question_text": anonymise(question.question, question),
        "answer_text": anonymise(latest_answer(question), question),
        "theme": question.theme,
    }


def _paragraphs(text: str):
    return [("paragraph", RichText(linebreaks(escape(part.strip())))) for part in text.split("\n\n") if part.strip()]


@transaction.atomic
def faq_draft_create(*, editor, question: KnowledgeQuestion, title, question_text, answer_text, theme) -> FaqPage:
    """Create an unpublished FaqPage without names or organisation and submit it to moderation."""
    locked = KnowledgeQuestion.objects.select_for_update(of=("self",)).filter(pk=question.pk).first()
    if locked is None or not permissions.can_read_question(editor, locked):
        raise NotFound(_("This question does not exist."))
    if not permissions.can_make_faq(editor, locked):
        raise NotAllowed(_("Only editors can publish a question as an FAQ page."))
    if locked.answered_at is None or locked.status not in (QuestionStatus.ANSWERED, QuestionStatus.CLOSED):
        raise Conflict(_("Only an answered question can be published as an FAQ page."), code="not_answered")
    if locked.faq_page_id is not None:
        raise Conflict(_("There already is an FAQ page for this question."), code="faq_exists")
    parent = FaqIndexPage.objects.order_by("path").first()
    if parent is None:
        raise Conflict(
            _("There is no FAQ overview page yet. Add one under the partner overview in the CMS first."), code="no_index"
        )
    fields = {"title": title, "question_text": question_text, "answer_text": answer_text}
    limits = {"title": 150, "question_text": QUESTION_TEXT_MAX, "answer_text": REPLY_TEXT_MAX}
    for key, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(_("Fill in the title, the question and the answer."), code="required")
        if len(value) > limits[key]:
            raise InvalidInput(_("One of the texts is too long."), code="too_long")
        fields[key] = anonymise(value.strip(), locked)
    if theme not in Theme.values:
        raise InvalidInput(_("Choose a theme."), code="invalid_theme")

    page = FaqPage(
        title=fields["title"],
        theme=theme,
        question=fields["question_text"],
        answer=_paragraphs(fields["answer_text"]),
        live=False,
        owner=editor,
    )
    parent.add_child(instance=page)
    page.save_revision(user=editor, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, editor)
    locked.faq_page = page
    locked.save(update_fields=["faq_page", "updated_at"])
    event = QuestionEvent.objects.create(
        question=locked, actor=editor, kind=QuestionEvent.Kind.FAQ_DRAFTED, from_status=locked.status, to_status=locked.status
    )
    _tell_member(locked, event)
    return page
