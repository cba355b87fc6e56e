"""Who hears of what happens to a case. Called by casework's services, inside their
transaction. A confidential case is announced without its content (texts.py): no title,
no excerpt, for a new one not even who brought it in.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership, NotificationKind

from .services import notify


def case_url(case) -> str:
    return reverse("casework:case_detail", args=[case.circle.slug, case.pk])


def _stamp(value) -> str:
    return value.strftime("%Y%m%d%H%M%S%f") if value else "0"


def _data(case, **extra) -> dict:
    return {"title": case.title, **extra}


def readers_of(case, user_ids):
    """Of `user_ids`, those who may read the case now: active members of its circle, or its
    accepted, unrevoked guests. One query."""
    now = timezone.now()
    member = Q(memberships__circle_id=case.circle_id, memberships__state=Membership.State.ACTIVE)
    guest = Q(
        case_guest_of__case_id=case.pk,
        case_guest_of__accepted_at__isnull=False,
        case_guest_of__revoked_at__isnull=True,
        case_guest_of__expires_at__gt=now,
    )
    return (
        get_user_model()
        .objects.filter(pk__in=list(user_ids), is_active=True)
        .filter(member | guest)
        .values_list("pk", flat=True)
        .distinct()
    )


def case_brought_in(*, case, actor) -> None:
    """The case left its draft: every member of the circle hears of it (not the owner)."""
    members = get_user_model().objects.filter(
        is_active=True, memberships__circle_id=case.circle_id, memberships__state=Membership.State.ACTIVE
    )
    notify(
        kind=NotificationKind.CASE_NEW,
        recipients=members.values_list("pk", flat=True),
        actor=actor,
        circle=case.circle,
        target=case,
        event_key=f"case_new:{case.pk}",
        url=case_url(case),
        data=_data(case),
        confidential=case.confidential,
    )


def case_contribution(*, case, actor, contribution: str, item) -> None:
    """A clarifying question ("question") or feedback ("feedback") on a case: tell its owner."""
    if case.author_id is None:
        return
    notify(
        kind=NotificationKind.CASE_CONTRIBUTION,
        recipients=readers_of(case, [case.author_id]),
        actor=actor,
        circle=case.circle,
        target=case,
        event_key=f"case_{contribution}:{item.pk}",
        url=case_url(case),
        data=_data(case, contribution=contribution),
        confidential=case.confidential,
    )


def contributor_ids(case) -> set[int]:
    """The owner and everyone who asked a question or gave feedback on the case."""
    from casework.models import CaseQuestion, Feedback

    ids = {case.author_id} if case.author_id else set()
    ids |= set(CaseQuestion.objects.filter(case=case, author__isnull=False).values_list("author_id", flat=True))
    ids |= set(Feedback.objects.filter(case=case, author__isnull=False).values_list("author_id", flat=True))
    return ids


def case_phase_changed(*, case, actor) -> None:
    """The case moved to another phase: tell who contributed to it (and may still read it)."""
    notify(
        kind=NotificationKind.CASE_PHASE,
        recipients=readers_of(case, contributor_ids(case)),
        actor=actor,
        circle=case.circle,
        target=case,
        event_key=f"case_phase:{case.pk}:{case.phase}:{_stamp(case.phase_changed_at)}",
        url=case_url(case),
        data=_data(case, phase=case.phase),
        confidential=case.confidential,
    )


def case_followup_due(*, case) -> None:
    """Six weeks after the conclusion: ask the owner what came of it (casework emails too)."""
    if case.author_id is None:
        return
    notify(
        kind=NotificationKind.CASE_FOLLOWUP,
        recipients=[case.author_id],
        actor=None,
        circle=case.circle,
        target=case,
        event_key=f"case_followup:{case.pk}",
        url=case_url(case),
        data=_data(case),
        confidential=case.confidential,
    )
