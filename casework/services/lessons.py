import re
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Conflict, InvalidInput
from ..models import Case, Lesson
from ..payloads import case_event
from ..permissions import Action, can_read_case, check
from communities.notifications import case_triggers

from .common import broadcast, clean_text, locked_case, render
from .mail import email_on_commit

FOLLOWUP_AFTER = timedelta(weeks=6)


@transaction.atomic
def lesson_write(*, author, case: Case, body) -> Lesson:
    """In the concluded phase the owner writes (or rewrites) the lesson learned."""
    case = locked_case(case)
    check(author, case, Action.LESSON)
    body = clean_text(body, label=_("Lesson learned"))
    lesson, _created = Lesson.objects.update_or_create(case=case, defaults={"body": body, "body_html": render(body)})
    broadcast(case, case_event(case))
    return lesson


@transaction.atomic
def lesson_add_followup(*, author, lesson: Lesson, note) -> Lesson:
    """The owner's answer to "Wat is ervan terechtgekomen?"."""
    case = locked_case(lesson.case)
    check(author, case, Action.LESSON)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    lesson.followup_note = clean_text(note, label=_("What came of it"))
    lesson.followup_note_html = render(lesson.followup_note)
    lesson.followup_noted_at = timezone.now()
    lesson.save(update_fields=["followup_note", "followup_note_html", "followup_noted_at", "updated_at"])
    broadcast(case, case_event(case))
    return lesson


def lessons_due_for_followup(*, now=None):
    now = now or timezone.now()
    return Lesson.objects.filter(
        followup_sent_at__isnull=True,
        case__phase=Case.Phase.CONCLUDED,
        case__concluded_at__lte=now - FOLLOWUP_AFTER,
    ).select_related("case__circle", "case__author__profile")


@transaction.atomic
def lesson_followup_due(*, lesson: Lesson) -> bool:
    """The one place where a due follow-up is acted on: ask the owner, once, what came of it.

    Returns True when the owner was asked now. Idempotent: the lesson row is locked and
    `followup_sent_at` set, so a second run (or a parallel worker) does nothing. The
    notifications app hooks in here to add its in-app notification.
    """
    try:
        lesson = (
            Lesson.objects.select_for_update(of=("self",))
            .select_related("case__circle", "case__author__profile")
            .get(pk=lesson.pk, followup_sent_at__isnull=True)
        )
    except Lesson.DoesNotExist:
        return False
    lesson.followup_sent_at = timezone.now()
    lesson.save(update_fields=["followup_sent_at"])
    case, owner = lesson.case, lesson.case.author
    if owner is None or not owner.is_active or not can_read_case(owner, case):
        return False
    profile = getattr(owner, "profile", None)
    email_on_commit(
        to=owner.email,
        template="lesson_followup",
        context={"case": case, "circle": case.circle, "case_path": reverse("casework:case_detail", args=[case.circle.slug, case.pk])},
        language=getattr(profile, "language", None),
    )
    case_triggers.case_followup_due(case=case)  # and on the website, in the owner's notifications
    return True


def lesson_followups_send(*, now=None) -> int:
    """Ask every owner whose case was concluded six weeks ago; returns how many were asked."""
    asked = 0
    for lesson_id in lessons_due_for_followup(now=now).values_list("pk", flat=True):
        if lesson_followup_due(lesson=Lesson(pk=lesson_id)):
            asked += 1
    return asked



PUBLICATION_TITLE_MAX = 120
PUBLICATION_SUMMARY_MAX = 700  # LessonPage.intro


def _identifying_words(case: Case) -> list[str]:
    """Words that would tie a published lesson to its owner or the private case: the owner's
    name (and its longer parts), organisation (and the place in "Gemeente X"), username and
    email, and the circle's name."""
    owner = case.author
    words: list[str] = []
    if owner is not None:
        profile = getattr(owner, "profile", None)
        name = getattr(profile, "display_name", "") or ""
        organisation = getattr(profile, "organisation", "") or ""
        words += [name, organisation, owner.get_username(), owner.email, owner.get_full_name()]
        words += [part for part in name.split() if len(part) >= 3]
        words += [part for part in organisation.split() if len(part) >= 4 and part.lower() not in GENERIC_ORGANISATION_WORDS]
    words.append(case.circle.name)
    return [word for word in words if word and len(word.strip()) >= 3]


GENERIC_ORGANISATION_WORDS = {
    "gemeente", "provincie", "regio", "waterschap", "ministerie", "stichting", "de", "het", "van", "der", "den",
    "municipality", "city", "council", "province",
}


def _check_anonymous(text: str, case: Case, *, label) -> None:
    lowered = text.lower()
    for word in _identifying_words(case):
        found = re.search(r"(?<!\w)" + re.escape(word.strip()) + r"(?!\w)", text, flags=re.IGNORECASE)
        if found:
            raise InvalidInput(
                _("“%(field)s” mentions “%(word)s”. Leave out names, organisations and places, so that the lesson cannot be traced back.")
                % {"field": label, "word": found.group(0)},
                code="not_anonymous",
            )
    if "/kringen/" in lowered or "casussen/" in lowered:
        raise InvalidInput(
            _("“%(field)s” links to the case. A published lesson cannot link to the private case.") % {"field": label},
            code="not_anonymous",
        )


@transaction.atomic
def lesson_propose_for_publication(*, author, lesson: Lesson, title, summary, consent) -> "LessonPage":  # noqa: F821
    """With the owner's explicit consent, an anonymised LessonPage draft under the "Lessen"
    index, submitted to the editors' moderation workflow.

    The page carries only the anonymised title and summary the owner wrote and the case's
    themes: no owner (page owner, revision and workflow requester are empty), no
    organisation, no link to the case. The lesson keeps the page's id; the page knows nothing
    of the lesson.
    """
    from cms.models import LessonPage  # noqa: F401  (the cms app owns the page type)
    from cms.services import lesson_draft_create
    from django.core.exceptions import ValidationError

    case = locked_case(lesson.case)
    check(author, case, Action.LESSON)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if lesson.proposed_at is not None:
        raise Conflict(_("You have already proposed this lesson for publication."), code="already_proposed")
    if consent is not True:
        raise InvalidInput(
            _("Give your consent to publish the anonymised lesson, or do not propose it."), code="consent_required"
        )
    title = clean_text(title, label=_("Title of the lesson"), max_length=PUBLICATION_TITLE_MAX)
    summary = clean_text(summary, label=_("Anonymised summary"), max_length=PUBLICATION_SUMMARY_MAX)
    _check_anonymous(title, case, label=_("Title of the lesson"))
    _check_anonymous(summary, case, label=_("Anonymised summary"))
    try:
        page = lesson_draft_create(title=title, summary=summary, body=summary, themes=list(case.themes.names()), user=None)
    except ValidationError as error:
        raise Conflict(" ".join(error.messages), code="no_lesson_index") from None
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, None)
    lesson.proposed_at = timezone.now()
    lesson.page_id = page.pk
    lesson.save(update_fields=["proposed_at", "page_id", "updated_at"])
    return page
