"""Reads shared by the pages, the API and the services of the partner app."""

import datetime
import functools
import re
from dataclasses import dataclass

import holidays
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from cms.models import Organisation
from communities.models import Channel, Membership

from . import permissions
from .models import OPEN_STATUSES, KnowledgeQuestion, PartnerContact, QuestionStatus, Theme

FLAG_AFTER_WORKING_DAYS = 5

_PREFIX = re.compile(r"^(gemeente|gem\.|municipality of)\s+", re.IGNORECASE)


def normalise_organisation_name(text: str) -> str:
    """'  Gemeente  Veenendaal ' -> 'Veenendaal': profiles often name the municipality with its prefix."""
    text = " ".join((text or "").split())
    return _PREFIX.sub("", text).strip()


def organisation_named(text: str) -> Organisation | None:
    """The Organisation a free-text name refers to (case-insensitive, with or without 'Gemeente'). One query."""
    full = " ".join((text or "").split())
    if not full:
        return None
    short = normalise_organisation_name(full)
    matches = list(Organisation.objects.filter(Q(name__iexact=full) | Q(name__iexact=short))[:2])
    if not matches:
        return None
    exact = [organisation for organisation in matches if organisation.name.lower() == full.lower()]
    return (exact or matches)[0]


def organisation_for_user(user) -> Organisation | None:
    """The organisation the member's profile names, if it is one we know."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_lk_partner_roles", {})
    if "organisation" not in cache:
        profile = getattr(user, "profile", None)
        cache["organisation"] = organisation_named(profile.organisation) if profile is not None else None
    return cache["organisation"]


def fixed_contact_for(organisation: Organisation | None) -> PartnerContact | None:
    """The fixed contact person of a partner organisation; None for organisations that are not partners."""
    if organisation is None or organisation.partner_since is None:
        return None
    return (
        PartnerContact.objects.select_related("contact_person", "user__profile")
        .filter(organisations__organisation=organisation)
        .first()
    )


@dataclass(frozen=True)
class Routing:
    """Where a member's question goes, and why (shown on the form)."""

    reason: str  # "contact", "no_organisation", "unknown_organisation", "not_partner", "no_contact"
    organisation_name: str
    organisation: Organisation | None
    contact: PartnerContact | None

    @property
    def shared_inbox(self) -> bool:
        return self.contact is None


def routing_for(user) -> Routing:
    profile = getattr(user, "profile", None)
    named = " ".join(((profile.organisation if profile is not None else "") or "").split())
    if not named:
        return Routing("no_organisation", "", None, None)
    organisation = organisation_for_user(user)
    if organisation is None:
        return Routing("unknown_organisation", named, None, None)
    if organisation.partner_since is None:
        return Routing("not_partner", organisation.name, organisation, None)
    contact = fixed_contact_for(organisation)
    if contact is None:
        return Routing("no_contact", organisation.name, organisation, None)
    return Routing("contact", organisation.name, organisation, contact)


def contact_for_user(user) -> PartnerContact | None:
    """The fixed contact person of the member's organisation, for the profile and partner pages."""
    return fixed_contact_for(organisation_for_user(user))


# --- questions --------------------------------------------------------------------------

LIST_RELATIONS = ("author__profile", "organisation", "assignee__profile", "contact__contact_person")


def my_questions(user):
    return KnowledgeQuestion.objects.filter(author=user).select_related(*LIST_RELATIONS).order_by("-created_at", "-pk")


@functools.lru_cache(maxsize=32)
def _public_holidays(first_year: int, last_year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("NL", years=range(first_year, last_year + 1)))


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """Working days (Monday to Friday, not a Dutch public holiday) after the day of `start` up to
    and including the day of `end`."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    if last <= first:
        return 0
    days = (last - first).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (first + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    days_off = _public_holidays(first.year, last.year)
    return count - sum(1 for day in days_off if first < day <= last and day.weekday() < 5)


def annotate_age(questions, *, now=None) -> list[KnowledgeQuestion]:
    """Adds `age_days`, `waiting_working_days` and `flagged` (not picked up within 5 working days)."""
    now = now or timezone.now()
    questions = list(questions)
    for question in questions:
        question.age_days = (timezone.localtime(now).date() - timezone.localtime(question.created_at).date()).days
        waiting = working_days_between(question.waiting_since, now) if question.waiting_since else 0
        question.waiting_working_days = waiting
        question.flagged = question.waiting_since is not None and waiting >= FLAG_AFTER_WORKING_DAYS
    return questions


def inbox_for(user) -> dict:
    """The handler's inbox: open questions assigned to them, the shared inbox (editors), recently handled.

    Three queries whatever the number of questions.
    """
    base = KnowledgeQuestion.objects.select_related(*LIST_RELATIONS)
    mine = annotate_age(base.filter(assignee=user, status__in=OPEN_STATUSES).order_by("created_at", "pk"))
    shared = []
    if permissions.is_editor(user):
        shared = annotate_age(base.filter(assignee__isnull=True, status__in=OPEN_STATUSES).order_by("created_at", "pk"))
    handled = list(
        base.filter(assignee=user)
        .exclude(status__in=OPEN_STATUSES)
        .order_by("-updated_at", "-pk")[:20]
    )
    return {"mine": mine, "shared": shared, "handled": handled}


def overview_counts() -> dict:
    """Questions per organisation and per theme (editors' inventory of knowledge questions). Two queries."""
    answered = [QuestionStatus.ANSWERED, QuestionStatus.CLOSED]
    measures = {
        "total": Count("id"),
        "open": Count("id", filter=Q(status__in=OPEN_STATUSES)),
        "answered": Count("id", filter=Q(status__in=answered)),
    }
    by_organisation = list(
        KnowledgeQuestion.objects.values("organisation__name").annotate(**measures).order_by("-total", "organisation__name")
    )
    by_theme = list(KnowledgeQuestion.objects.values("theme").annotate(**measures).order_by("-total", "theme"))
    labels = dict(Theme.choices)
    for row in by_theme:
        row["label"] = labels.get(row["theme"], row["theme"])
    return {"by_organisation": by_organisation, "by_theme": by_theme}


def eligible_colleagues(*, exclude=None):
    """Accounts a question can be forwarded to: editors and facilitators. One query."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__name__in=permissions.EDITOR_GROUPS)
            | Q(memberships__role=Membership.Role.FACILITATOR, memberships__state=Membership.State.ACTIVE)
        )
        .select_related("profile")
        .distinct()
        .order_by("profile__display_name", "pk")
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users


def forward_channels(user):
    """Open channels of the circles the user is an active member of: where a question can become a thread."""
    return (
        Channel.objects.filter(
            circle__memberships__user=user,
            circle__memberships__state=Membership.State.ACTIVE,
            circle__archived=False,
            locked=False,
            archived=False,
        )
        .select_related("circle")
        .order_by("circle__name", "name")
    )
