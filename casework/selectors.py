"""Reads shared by pages, the API and the circle home: same rows, same number of queries."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from taggit.models import Tag

from communities.models import Circle, Membership
from communities.permissions import active_membership, require_member

from .errors import NotFound
from .models import Attachment, Case, CaseGuest, CaseQuestion, Feedback
from .permissions import CaseActor, get_readable_case


def visible_cases(user, circle: Circle) -> QuerySet[Case]:
    """Cases of the circle the user may see: all shared cases plus their own drafts.
    Callers check membership first (require_member)."""
    return Case.objects.filter(circle=circle).filter(~Q(phase=Case.Phase.DRAFT) | Q(author=user))


def case_list(
    user,
    circle: Circle,
    *,
    phase: str | None = None,
    theme: str | None = None,
    mine: bool = False,
    awaiting_my_feedback: bool = False,
    query: str = "",
) -> QuerySet[Case]:
    """The circle's case list, filtered; each case with its counts, owner and themes.

    With `query`: only cases matching it (member search's rules: someone else's confidential
    case by its title only), best match first on PostgreSQL."""
    from communities.notifications.case_search import matching_cases
    from communities.notifications.search import clean_query
    from communities.search_vectors import uses_postgres

    require_member(user, circle)
    cases = visible_cases(user, circle)
    query = clean_query(query)
    if query:
        cases = matching_cases(cases, user=user, query=query)
    if phase:
        cases = cases.filter(phase=phase)
    if theme:
        cases = cases.filter(themes__slug=theme)
    if mine:
        cases = cases.filter(author=user)
    if awaiting_my_feedback:
        cases = cases.filter(phase=Case.Phase.ADVICE).exclude(author=user).exclude(
            Exists(Feedback.objects.filter(case=OuterRef("pk"), author=user))
        )
    return (
        cases.select_related("author__profile", "circle")
        .prefetch_related("themes")
        .annotate(
            question_count=Count("questions", distinct=True),
            feedback_count=Count("feedback", distinct=True),
        )
        .order_by(*(("-rank",) if query and uses_postgres() else ()), "-updated_at", "-id")
        .distinct()
    )


def phase_counts(user, circle: Circle) -> dict[str, int]:
    """How many visible cases each phase has (every phase present, zero if none)."""
    counts = {phase.value: 0 for phase in Case.Phase}
    rows = visible_cases(user, circle).order_by().values("phase").annotate(n=Count("id"))
    for row in rows:
        counts[row["phase"]] = row["n"]
    return counts


def awaiting_feedback_count(user, circle: Circle) -> int:
    return case_list(user, circle, awaiting_my_feedback=True).count()


def circle_themes(user, circle: Circle) -> QuerySet[Tag]:
    return (
        Tag.objects.filter(casework_casetheme_items__content_object__in=visible_cases(user, circle))
        .distinct()
        .order_by("name")
    )


def recent_cases(user, circle: Circle, *, limit: int = 5) -> list[Case]:
    """For the circle home panel; an empty list for anyone who is not an active member."""
    if active_membership(user, circle) is None:
        return []
    return list(case_list(user, circle)[:limit])


def case_for_request(user, *, circle_slug: str, case_id: int) -> tuple[Case, CaseActor]:
    """The case at /kringen/<circle>/casussen/<id>/ with what the page needs joined in;
    NotFound when it does not exist for this user (also under another circle's slug)."""
    case = (
        Case.objects.select_related("circle", "author__profile", "lesson")
        .prefetch_related("themes")
        .filter(pk=case_id, circle__slug=circle_slug)
        .first()
    )
    if case is None:
        raise NotFound(_("This case does not exist."))
    return case, get_readable_case(user, case)


def case_questions(case: Case) -> list[CaseQuestion]:
    return list(case.questions.select_related("author__profile").order_by("id"))


def case_feedback(case: Case) -> tuple[list[Feedback], list[Feedback]]:
    """(peer feedback, expert feedback), each oldest first."""
    peer, expert = [], []
    for feedback in case.feedback.select_related("author__profile").order_by("id"):
        (expert if feedback.kind == Feedback.Kind.EXPERT else peer).append(feedback)
    return peer, expert


def case_attachments(case: Case) -> list[Attachment]:
    return list(case.attachments.order_by("id"))


def case_guests(case: Case) -> list[CaseGuest]:
    return list(case.guests.filter(revoked_at__isnull=True).select_related("user__profile").order_by("created_at"))


def guest_cases(user) -> QuerySet[Case]:
    """Cases a user is a guest of (for their own overview)."""
    return Case.objects.shared().filter(
        guests__user=user, guests__accepted_at__isnull=False, guests__revoked_at__isnull=True
    ).select_related("circle")


def search_cases(user, query: str, *, limit: int = 20) -> QuerySet[Case]:
    """Cases matching `query` for the site search. A confidential case never shows up in
    another user's results (only its owner finds it); drafts only for their owner."""
    query = (query or "").strip()
    if not query or not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    circles = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values("circle")
    text = Q(title__icontains=query) | Q(context__icontains=query) | Q(question__icontains=query)
    return (
        Case.objects.filter(circle__in=circles)
        .filter(text)
        .filter(Q(author=user) | (Q(confidential=False) & ~Q(phase=Case.Phase.DRAFT)))
        .select_related("circle")
        .order_by("-updated_at")[:limit]
    )
