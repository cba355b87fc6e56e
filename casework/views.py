"""Case pages. Thin: they read through selectors, write through services, and turn a
service's refusal into a form error on the same page (with its HTTP status)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communities.models import Circle
from communities.notifications.search import clean_query
from communities.permissions import active_membership

from . import selectors, services
from .errors import Conflict, NotFound, ServiceError
from .forms import (
    AnswerForm,
    AttachmentForm,
    CaseForm,
    ExpertFeedbackForm,
    FollowupForm,
    GuestInviteForm,
    LessonForm,
    PeerFeedbackForm,
    PublicationForm,
    QuestionForm,
    ReflectionForm,
)
from .models import Attachment, Case, CaseGuest, CaseQuestion, Feedback
from .models.cases import PHASE_ORDER
from .permissions import Action, allowed_actions, phase_label, refusal
from .services.attachments import private_storage
from .services.guests import guest_invitation_for_token

CASES_PER_PAGE = 20

PHASE_HELP = {
    Case.Phase.DRAFT: lambda: _("Only you can see this draft. Complete it and share it with the circle when it is ready."),
    Case.Phase.QUESTIONS: lambda: _(
        "Members and experts ask clarifying questions; the case owner answers them. No advice yet."
    ),
    Case.Phase.ADVICE: lambda: _("Members give peer feedback and experts give expert feedback."),
    Case.Phase.REFLECTION: lambda: _(
        "The case owner marks the feedback that helped and writes what they will do with it."
    ),
    Case.Phase.CONCLUDED: lambda: _("The case is closed. The case owner writes the lesson learned."),
}


def _circle_or_404(user, slug: str) -> Circle:
    circle = get_object_or_404(Circle, slug=slug)
    if active_membership(user, circle) is None:
        raise Http404(_("This learning circle does not exist."))
    return circle


def _load_case(request, circle_slug: str, case_id: int):
    try:
        return selectors.case_for_request(request.user, circle_slug=circle_slug, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None


# --- Case list --------------------------------------------------------------------------


@login_required
def case_list(request, circle_slug: str):
    circle = _circle_or_404(request.user, circle_slug)
    phase = request.GET.get("fase") or None
    if phase not in PHASE_ORDER:
        phase = None
    theme = request.GET.get("thema") or None
    mine = request.GET.get("mijn") == "1"
    awaiting = request.GET.get("wacht_op_mij") == "1"
    search = clean_query(request.GET.get("zoek"))
    cases = selectors.case_list(
        request.user, circle, phase=phase, theme=theme, mine=mine, awaiting_my_feedback=awaiting, query=search
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("pagina"))
    counts = selectors.phase_counts(request.user, circle)
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "circle": circle,
        "page": page,
        "cases": page.object_list,
        "phase_counts": [(value, phase_label(value), counts[value]) for value in PHASE_ORDER],
        "total_count": sum(counts.values()),
        "themes": selectors.circle_themes(request.user, circle),
        "filters": {"phase": phase, "theme": theme, "mine": mine, "awaiting": awaiting, "search": search},
        "filtered": bool(phase or theme or mine or awaiting or search),
        "query_without_page": query.urlencode(),
    }
    return render(request, "casework/case_list.html", context)


# --- Create and edit --------------------------------------------------------------------


@login_required
def case_create(request, circle_slug: str):
    circle = _circle_or_404(request.user, circle_slug)
    form = CaseForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                author=request.user,
                circle=circle,
                title=data["title"],
                context=data["context"],
                question=data["question"],
                tried=data["tried"],
                desired_outcome=data["desired_outcome"],
                themes=data["themes"],
                confidential=data["confidential"],
                files=data["attachments"],
            )
        except NotFound:
            raise Http404 from None
        except ServiceError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("Your case has been saved as a draft. Only you can see it until you share it."))
            return redirect(case.get_absolute_url())
    return render(request, "casework/case_form.html", {"circle": circle, "form": form, "case": None}, status=status)


@login_required
def case_edit(request, circle_slug: str, case_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    if not actor.is_owner:
        raise Http404
    initial = {
        "title": case.title,
        "context": case.context,
        "question": case.question,
        "tried": case.tried,
        "desired_outcome": case.desired_outcome,
        "themes": ", ".join(tag.name for tag in case.themes.all()),
        "confidential": case.confidential,
    }
    form = CaseForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments")
        try:
            services.case_update(editor=request.user, case=case, files=files, **data)
        except NotFound:
            raise Http404 from None
        except ServiceError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(case.get_absolute_url())
    context = {"circle": case.circle, "form": form, "case": case, "refusal": refusal(actor, case, Action.EDIT)}
    return render(request, "casework/case_form.html", context, status=status)


# --- Detail -----------------------------------------------------------------------------


def _phase_steps(case: Case) -> list[dict]:
    current = PHASE_ORDER.index(case.phase)
    return [
        {"value": value, "label": phase_label(value), "state": "done" if i < current else "current" if i == current else "todo"}
        for i, value in enumerate(PHASE_ORDER)
    ]


def _lesson_review(request, lesson) -> dict | None:
    from cms.selectors import lesson_page_review

    return lesson_page_review(page_id=lesson.page_id, request=request) if lesson else None


def _detail_context(request, case: Case, actor, forms: dict | None = None) -> dict:
    forms = forms or {}
    answer_forms = forms.get("answer_forms", {})
    allowed = allowed_actions(actor, case)
    peer, expert = selectors.case_feedback(case)
    questions = selectors.case_questions(case)
    index = PHASE_ORDER.index(case.phase)
    try:
        lesson = case.lesson
    except Case.lesson.RelatedObjectDoesNotExist:
        lesson = None
    context = {
        "circle": case.circle,
        "case": case,
        "actor": actor,
        "allowed": allowed,
        "phase_steps": _phase_steps(case),
        "phase_help": PHASE_HELP[case.phase](),
        "next_phase": PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None,
        "next_phase_label": phase_label(PHASE_ORDER[index + 1]) if index + 1 < len(PHASE_ORDER) else None,
        "previous_phase": PHASE_ORDER[index - 1] if index > 0 else None,
        "previous_phase_label": phase_label(PHASE_ORDER[index - 1]) if index > 0 else None,
        "questions": [
            (
                question,
                answer_forms.get(question.pk)
                or AnswerForm(prefix=f"answer-{question.pk}", initial={"body": question.answer}),
            )
            for question in questions
        ],
        "peer_feedback": peer,
        "expert_feedback": expert,
        "attachments": selectors.case_attachments(case),
        "lesson": lesson,
        "lesson_review": _lesson_review(request, lesson) if Action.LESSON in allowed else None,
        "guests": selectors.case_guests(case) if actor.is_facilitator else [],
        "question_form": forms.get("question_form") or QuestionForm(),
        "feedback_form": forms.get("feedback_form") or _feedback_form_class(actor)(),
        "reflection_form": forms.get("reflection_form") or ReflectionForm(initial={"reflection": case.reflection}),
        "lesson_form": forms.get("lesson_form") or LessonForm(initial={"body": lesson.body if lesson else ""}),
        "followup_form": forms.get("followup_form")
        or FollowupForm(initial={"note": lesson.followup_note if lesson else ""}),
        "guest_form": forms.get("guest_form") or GuestInviteForm(),
        "publication_form": forms.get("publication_form") or PublicationForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "phase_error": forms.get("phase_error"),
        "live_texts": {
            "phase": _("The case is now in the phase: %(phase)s."),
            "updated": _("This case has been updated."),
            "stale": _("There is news on this page. Reload the page to see it; what you are typing will not be kept."),
            "gone": _("This case is no longer visible to you."),
        },
        "helpful_error": forms.get("helpful_error"),
    }
    return context


def _render_detail(request, case, actor, *, forms=None, status=200):
    return render(request, "casework/case_detail.html", _detail_context(request, case, actor, forms), status=status)


@login_required
def case_detail(request, circle_slug: str, case_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    return _render_detail(request, case, actor)


def _refused(request, case, actor, error: ServiceError, *, forms: dict):
    """Show a service's refusal on the case page, in the place `forms` puts it; NotFound is a 404."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    return _render_detail(request, case, actor, forms=forms, status=error.status)


def _refused_at_form(request, case, actor, error: ServiceError, form, form_name: str):
    form.add_error(None, error.message)
    forms = {form_name: form}
    if form_name == "guest_form" and not actor.is_facilitator:
        forms["phase_error"] = error.message  # the guests box is not on this user's page
    return _refused(request, case, actor, error, forms=forms)


def _submit(request, case, actor, *, form_class, form_name, call, success, anchor):
    """Check the form, let `call(request, case, data)` write, and go back to `anchor` on the case page."""
    form = form_class(request.POST, request.FILES or None)
    if not form.is_valid():
        return _render_detail(request, case, actor, forms={form_name: form})
    try:
        call(request, case, form.cleaned_data)
    except ServiceError as error:
        return _refused_at_form(request, case, actor, error, form, form_name)
    messages.success(request, success)
    return redirect(f"{case.get_absolute_url()}#{anchor}")


def _case_form_view(*, form_class, form_name, call, success, anchor):
    """The POST view of one form on the case page (see _submit)."""

    @login_required
    @require_POST
    def view(request, circle_slug: str, case_id: int):
        case, actor = _load_case(request, circle_slug, case_id)
        return _submit(request, case, actor, form_class=form_class, form_name=form_name, call=call, success=success,
                       anchor=anchor)

    return view


def _feedback_form_class(actor):
    return ExpertFeedbackForm if actor.feedback_kind == Feedback.Kind.EXPERT else PeerFeedbackForm


def _lesson_or_conflict(case: Case, message):
    try:
        return case.lesson
    except Case.lesson.RelatedObjectDoesNotExist:
        raise Conflict(message, code="no_lesson") from None


@login_required
@require_POST
def case_phase(request, circle_slug: str, case_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    try:
        moved = services.case_move(actor=request.user, case=case, to_phase=request.POST.get("phase", ""))
    except ServiceError as error:
        return _refused(request, case, actor, error, forms={"phase_error": error.message})
    messages.success(request, _("The case is now in the phase “%(phase)s”.") % {"phase": phase_label(moved.phase)})
    if moved.phase == Case.Phase.DRAFT and not actor.is_owner:
        return redirect("casework:case_list", circle_slug)
    return redirect(moved.get_absolute_url())


question_create = _case_form_view(
    form_class=QuestionForm, form_name="question_form",
    call=lambda request, case, data: services.question_ask(author=request.user, case=case, body=data["body"]),
    success=gettext_lazy("Your question has been posted."), anchor="questions",
)


@login_required
@require_POST
def question_answer(request, circle_slug: str, case_id: int, question_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    question = get_object_or_404(CaseQuestion, pk=question_id, case=case)
    form = AnswerForm(request.POST, prefix=f"answer-{question.pk}")
    if not form.is_valid():
        return _render_detail(request, case, actor, forms={"answer_forms": {question.pk: form}})
    try:
        services.question_answer(author=request.user, question=question, body=form.cleaned_data["body"])
    except ServiceError as error:
        form.add_error(None, error.message)
        return _refused(request, case, actor, error, forms={"answer_forms": {question.pk: form}})
    messages.success(request, _("Your answer has been saved."))
    return redirect(f"{case.get_absolute_url()}#question-{question.pk}")


@login_required
@require_POST
def feedback_create(request, circle_slug: str, case_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    return _submit(
        request, case, actor,
        form_class=_feedback_form_class(actor), form_name="feedback_form",
        call=lambda request, case, data: services.feedback_give(author=request.user, case=case, **data),
        success=_("Thank you, your feedback has been posted."), anchor="feedback",
    )


@login_required
@require_POST
def feedback_helpful(request, circle_slug: str, case_id: int, feedback_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    feedback = get_object_or_404(Feedback, pk=feedback_id, case=case)
    helpful = request.POST.get("helpful") == "1"
    try:
        services.feedback_mark_helpful(owner=request.user, feedback=feedback, helpful=helpful)
    except ServiceError as error:
        return _refused(request, case, actor, error, forms={"helpful_error": error.message})
    messages.success(request, _("Marked as helpful.") if helpful else _("No longer marked as helpful."))
    return redirect(f"{case.get_absolute_url()}#feedback-{feedback.pk}")


case_reflection = _case_form_view(
    form_class=ReflectionForm, form_name="reflection_form",
    call=lambda request, case, data: services.case_reflect(author=request.user, case=case, reflection=data["reflection"]),
    success=gettext_lazy("Your reflection has been saved."), anchor="reflection",
)

lesson_save = _case_form_view(
    form_class=LessonForm, form_name="lesson_form",
    call=lambda request, case, data: services.lesson_write(author=request.user, case=case, body=data["body"]),
    success=gettext_lazy("Your lesson learned has been saved."), anchor="lesson",
)


def _add_followup(request, case, data):
    lesson = _lesson_or_conflict(case, _("Write the lesson learned first; then you can add what came of it."))
    services.lesson_add_followup(author=request.user, lesson=lesson, note=data["note"])


lesson_followup = _case_form_view(
    form_class=FollowupForm, form_name="followup_form", call=_add_followup,
    success=gettext_lazy("Thank you: your follow-up has been added to the lesson."), anchor="lesson",
)


def _propose_lesson(request, case, data):
    lesson = _lesson_or_conflict(case, _("Write the lesson learned first; then you can propose it for publication."))
    services.lesson_propose_for_publication(
        author=request.user, lesson=lesson, title=data["title"], summary=data["summary"], consent=data["consent"]
    )


lesson_propose = _case_form_view(
    form_class=PublicationForm, form_name="publication_form", call=_propose_lesson,
    success=gettext_lazy("Thank you. The editors will review your anonymised lesson before it is published."),
    anchor="lesson",
)


# --- Attachments ------------------------------------------------------------------------


attachment_upload = _case_form_view(
    form_class=AttachmentForm, form_name="attachment_form",
    call=lambda request, case, data: services.attachments_add(uploader=request.user, case=case, uploads=data["files"]),
    success=gettext_lazy("The attachment has been added."), anchor="attachments",
)


@login_required
def attachment_download(request, circle_slug: str, case_id: int, attachment_id: int):
    """The only way to a case's file: for readers of the case; everyone else gets 404."""
    case, _actor = _load_case(request, circle_slug, case_id)
    attachment = get_object_or_404(Attachment, pk=attachment_id, case=case)
    try:
        handle = private_storage().open(attachment.storage_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, circle_slug: str, case_id: int, attachment_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    attachment = get_object_or_404(Attachment, pk=attachment_id, case=case)
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except ServiceError as error:
        return _refused_at_form(request, case, actor, error, AttachmentForm(), "attachment_form")
    messages.success(request, _("The attachment has been removed."))
    return redirect(f"{case.get_absolute_url()}#attachments")


# --- Guests -----------------------------------------------------------------------------


guest_invite = _case_form_view(
    form_class=GuestInviteForm, form_name="guest_form",
    call=lambda request, case, data: services.case_guest_invite(inviter=request.user, case=case, email=data["email"]),
    success=gettext_lazy("The invitation has been sent."), anchor="guests",
)


@login_required
@require_POST
def guest_revoke(request, circle_slug: str, case_id: int, guest_id: int):
    case, actor = _load_case(request, circle_slug, case_id)
    guest = get_object_or_404(CaseGuest, pk=guest_id, case=case)
    try:
        services.case_guest_revoke(revoker=request.user, guest=guest)
    except ServiceError as error:
        return _refused_at_form(request, case, actor, error, GuestInviteForm(), "guest_form")
    messages.success(request, _("The guest no longer has access to this case."))
    return redirect(f"{case.get_absolute_url()}#guests")


def guest_accept(request, token: str):
    """The link from the invitation email. Signed out: explain and offer sign-in/sign-up.
    Signed in: confirm with a button (a GET never uses the token up)."""
    try:
        guest = guest_invitation_for_token(token)
    except NotFound:
        raise Http404 from None
    context = {"guest": guest, "case": guest.case, "circle": guest.case.circle, "error": None}
    status = 200
    if not guest.is_usable and not (guest.user_id and guest.user_id == getattr(request.user, "pk", None)):
        if guest.revoked_at:
            context["error"] = _("This invitation has been withdrawn.")
        elif guest.accepted_at:
            context["error"] = _("This invitation has already been used.")
        else:
            context["error"] = _("This invitation has expired. Ask the facilitator for a new one.")
        status = 409
    elif request.method == "POST" and request.user.is_authenticated:
        try:
            services.case_guest_accept(user=request.user, token=token)
        except ServiceError as error:
            if isinstance(error, NotFound):
                raise Http404 from None
            context["error"] = error.message
            status = error.status
        else:
            messages.success(request, _("Welcome! You can now read this case and give your expert feedback."))
            return redirect(guest.case.get_absolute_url())
    context["login_url"] = f"{reverse('account_login')}?next={request.path}"
    context["signup_url"] = f"{reverse('account_signup')}?next={request.path}"
    return render(request, "casework/guest_accept.html", context, status=status)
