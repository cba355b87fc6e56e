"""Cases in member search and saved items (registered when the casework app is ready).

Which cases a user finds: those of circles they are an active member of (not someone
else's draft), and those they are an accepted guest of. A confidential case matches only
on its title for anyone but its owner, and then shows no excerpt: its content never
appears in another user's results.
"""

from django.db.models import Case as SqlCase
from django.db.models import Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework.models import Case

from .saved import SaveableKind, register_saveable
from .search import (
    SEARCH_CONFIG,
    START,
    STOP,
    Hit,
    SearchType,
    active_circle_ids,
    excerpt_with_marks,
    highlight,
    plain_text,
    register_search_type,
    terms,
    uses_postgres,
)

CONTENT_FIELDS = ("context", "question", "tried", "desired_outcome")


def readable_cases(user):
    """Cases the user may read, ready to show (one query with their circle and owner)."""
    now = timezone.now()
    in_my_circles = Q(circle__in=active_circle_ids(user)) & (~Q(phase=Case.Phase.DRAFT) | Q(author=user))
    as_guest = Q(
        guests__user=user,
        guests__accepted_at__isnull=False,
        guests__revoked_at__isnull=True,
        guests__expires_at__gt=now,
    ) & ~Q(phase=Case.Phase.DRAFT)
    ids = Case.objects.filter(in_my_circles | as_guest).values("pk")
    return Case.objects.filter(pk__in=ids, circle__archived=False).select_related("circle", "author__profile")


def _may_see_content(user) -> Q:
    return Q(confidential=False) | Q(author=user)


def case_queryset(*, user, query: str, circle=None):
    queryset = readable_cases(user)
    if circle is not None:
        queryset = queryset.filter(circle=circle)
    if uses_postgres():
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

        search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        title = SearchVector("title", config=SEARCH_CONFIG, weight="A")
        content = SearchVector(*CONTENT_FIELDS, config=SEARCH_CONFIG, weight="B")
        content_text = Concat(
            "context", Value(" "), "question", Value(" "), "tried", Value(" "), "desired_outcome",
            output_field=TextField(),
        )
        return (
            queryset.annotate(title_match=title, full_match=title + content)
            .filter(Q(title_match=search_query) | (Q(full_match=search_query) & _may_see_content(user)))
            .annotate(
                rank=SearchRank(title + content, search_query),
                # Confidential content is never even read into an excerpt for others.
                raw_excerpt=SqlCase(
                    When(_may_see_content(user), then=SearchHeadline(
                        content_text, search_query, config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP,
                        max_words=35, min_words=15,
                    )),
                    default=Value(""),
                    output_field=TextField(),
                ),
            )
            .order_by("-rank", "-id")
        )
    words = terms(query)
    if not words:
        return queryset.none()
    for word in words:
        in_content = Q()
        for name in CONTENT_FIELDS:
            in_content |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(Q(title__icontains=word) | (in_content & _may_see_content(user)))
    return queryset.order_by("-id")


def case_hit_for(user):
    def to_hit(case, words) -> Hit:
        may_see = not case.confidential or case.author_id == user.pk
        raw = getattr(case, "raw_excerpt", None)
        if not may_see:
            raw = ""
        elif raw is None:
            raw = excerpt_with_marks(plain_text(" ".join(getattr(case, f"{n}_html", "") or "" for n in CONTENT_FIELDS)), words)
        return Hit(
            kind="case",
            pk=case.pk,
            title=case.title,
            url=case.get_absolute_url(),
            excerpt=highlight(" ".join(raw.split())),
            circle=case.circle,
            created=case.created_at,
            meta=str(case.get_phase_display()),
            obj=case,
        )

    return to_hit


def register():
    register_search_type(
        SearchType(
            name="cases",
            label=gettext_lazy("Cases"),
            queryset=case_queryset,
            to_hit=None,  # needs the user: see search_section
            to_hit_for=case_hit_for,
        )
    )
    register_saveable(
        SaveableKind(
            name="case",
            model=Case,
            readable=readable_cases,
            url=lambda case: case.get_absolute_url(),
            template="communities/notifications/includes/saved_case.html",
        )
    )
