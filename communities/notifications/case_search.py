"""Cases in member search and saved items (registered when the casework app is ready).

Which cases a user finds: those of circles they are an active member of (not someone
else's draft), and those they are an accepted guest of. A confidential case matches only
on its title for anyone but its owner, and then shows no excerpt: its content never
appears in another user's results.
"""

from django.db.models import Case as SqlCase
from django.db.models import F, FloatField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework.models import Case
from communities.search_vectors import CASE_CONTENT_FIELDS

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
    postgres_query,
    register_search_type,
    terms,
    uses_postgres,
)

CONTENT_FIELDS = CASE_CONTENT_FIELDS


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


def matching_cases(queryset, *, user, query: str):
    """The cases of `queryset` that match `query` for `user`, on either lane.

    PostgreSQL: the stored vector (title and content) through its GIN index, with `rank`;
    someone else's confidential case only when its title alone matches, and ranked on its
    title alone, so its content cannot even move it up (nor keep it out: a negated word such
    as `-ontslag` must not tell whether the hidden content holds it). SQLite: every word must occur, in the
    title or (where the user may see it) the content.
    """
    if uses_postgres():
        from django.contrib.postgres.search import SearchRank, SearchVector

        search_query = postgres_query(query)
        title_only = SearchVector("title", config=SEARCH_CONFIG)
        return (
            queryset.alias(title_match=title_only)
            .filter((_may_see_content(user) & Q(search_vector=search_query)) | Q(title_match=search_query))
            .annotate(
                rank=SqlCase(
                    When(_may_see_content(user), then=SearchRank(F("search_vector"), search_query)),
                    default=SearchRank(title_only, search_query),
                    output_field=FloatField(),
                )
            )
        )
    words = terms(query)
    if not words:
        return queryset.none()
    for word in words:
        in_content = Q()
        for name in CONTENT_FIELDS:
            in_content |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(Q(title__icontains=word) | (in_content & _may_see_content(user)))
    return queryset


def case_queryset(*, user, query: str, circle=None):
    queryset = readable_cases(user)
    if circle is not None:
        queryset = queryset.filter(circle=circle)
    queryset = matching_cases(queryset, user=user, query=query)
    if not uses_postgres():
        return queryset.order_by("-id")
    from django.contrib.postgres.search import SearchHeadline

    content_text = Concat(
        "context", Value(" "), "question", Value(" "), "tried", Value(" "), "desired_outcome",
        output_field=TextField(),
    )
    return queryset.annotate(
        # Confidential content is never even read into an excerpt for others.
        raw_excerpt=SqlCase(
            When(_may_see_content(user), then=SearchHeadline(
                content_text, postgres_query(query), config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP,
                max_words=35, min_words=15,
            )),
            default=Value(""),
            output_field=TextField(),
        ),
    ).order_by("-rank", "-id")


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
