"""Knowledge question pages (/kennisvragen/): thin views over partners.services and partners.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions, selectors, services
from ..errors import FileTooLarge, InvalidInput, NotFound, RateLimited, ServiceError, UnsupportedFileType
from ..forms import FaqForm, ForwardCircleForm, ForwardColleagueForm, QuestionForm, ReplyForm
from ..services.attachments import private_storage


def _readable(request, pk):
    try:
        return permissions.get_readable_question(request.user, pk)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
@require_GET
def question_list(request):
    questions = selectors.my_questions(request.user)
    return render(
        request,
        "partners/question_list.html",
        {
            "questions": list(questions),
            "routing": selectors.routing_for(request.user),
            "can_see_inbox": permissions.can_see_inbox(request.user),
            "can_see_overview": permissions.can_see_overview(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_ask(request):
    routing = selectors.routing_for(request.user)
    form = QuestionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = services.question_ask(
                    author=request.user,
                    title=data["title"],
                    question=data["question"],
                    context=data["context"],
                    urgency=data["urgency"],
                    theme=data["theme"],
                    share_consent=data["share_consent"],
                    attachment=data.get("attachment") or None,
                )
            except (FileTooLarge, UnsupportedFileType) as error:
                form.add_error("attachment", error.message)
            except InvalidInput as error:
                form.add_error("attachment" if "file" in error.code else None, error.message)
            except RateLimited as error:
                messages.error(request, error.message)
                status = 429
            else:
                if question.contact_id:
                    text = _("Your question has been sent to %(name)s, the fixed contact person of %(organisation)s.") % {
                        "name": question.contact.contact_person.name,
                        "organisation": question.organisation.name,
                    }
                else:
                    text = _("Your question has been sent to the editors' shared inbox.")
                messages.success(request, text)
                return redirect("partners:question", question.pk)
    return render(request, "partners/question_form.html", {"form": form, "routing": routing}, status=status)


# --- one question -------------------------------------------------------------------------

ACTION_SLUGS = {
    "oppakken": "pick_up",
    "meer-informatie": "request_info",
    "antwoorden": "answer",
    "aanvullen": "add_info",
    "toestemming": "consent",
    "sluiten": "close",
    "naar-kring": "forward_circle",
    "naar-collega": "forward_colleague",
}
ACTION_URLS = {action: slug for slug, action in ACTION_SLUGS.items()}
SUCCESS_MESSAGES = {
    "pick_up": lambda: _("You are handling this question now."),
    "request_info": lambda: _("Your question for more information has been sent to the member."),
    "answer": lambda: _("Your answer has been sent to the member."),
    "add_info": lambda: _("Your addition has been sent."),
    "consent": lambda: _("Thank you: your question may now be put to a learning circle."),
    "close": lambda: _("The question has been closed."),
    "forward_circle": lambda: _("The question has been put to the learning circle as a new thread."),
    "forward_colleague": lambda: _("The question has been forwarded to your colleague."),
}


def _action_forms(request, question, actions, bound=None):
    """Forms for the steps the user may take; `bound` replaces one of them (after an invalid POST)."""
    bound = bound or {}
    forms = {}
    if "request_info" in actions:
        forms["request_info"] = bound.get("request_info") or ReplyForm(
            prefix="info", label=_("What do you need to know from the member?")
        )
    if "answer" in actions:
        forms["answer"] = bound.get("answer") or ReplyForm(
            prefix="answer", label=_("Your answer"), help_text=_("You can use Markdown. The member gets an email.")
        )
    if "add_info" in actions:
        forms["add_info"] = bound.get("add_info") or ReplyForm(prefix="addition", label=_("Add information"))
    if "forward_circle" in actions and question.share_consent:
        forms["forward_circle"] = bound.get("forward_circle") or ForwardCircleForm(
            prefix="circle", channels=selectors.forward_channels(request.user)
        )
    if "forward_colleague" in actions:
        forms["forward_colleague"] = bound.get("forward_colleague") or ForwardColleagueForm(
            prefix="colleague", colleagues=selectors.eligible_colleagues(exclude=request.user)
        )
    return forms


def _detail_response(request, question, *, status=200, error="", bound=None):
    actions = services.allowed_actions(request.user, question)
    events = list(
        question.events.select_related("actor__profile", "colleague__profile", "circle", "message__channel__circle")
    )
    return render(
        request,
        "partners/question_detail.html",
        {
            "question": question,
            "events": events,
            "actions": actions,
            "forms": _action_forms(request, question, actions, bound),
            "action_urls": ACTION_URLS,
            "error": error,
            "is_author": permissions.is_author(request.user, question),
            "is_handler": permissions.can_handle(request.user, question),
            "can_make_faq": permissions.can_make_faq(request.user, question)
            and question.answered_at is not None
            and question.faq_page_id is None
            and question.status in ("answered", "closed"),
        },
        status=status,
    )


@login_required
@require_GET
def question_detail(request, pk: int):
    return _detail_response(request, _readable(request, pk))


@login_required
@require_POST
def question_action(request, pk: int, slug: str):
    action = ACTION_SLUGS.get(slug)
    if action is None:
        raise Http404
    question = _readable(request, pk)
    try:
        services.check_step(request.user, question, action)  # a refused step says so, whatever the input
        if action in ("pick_up", "consent", "close"):
            services.question_act(actor=request.user, question=question, action=action)
        elif action in ("request_info", "answer", "add_info"):
            prefix = {"request_info": "info", "answer": "answer", "add_info": "addition"}[action]
            form = ReplyForm(request.POST, prefix=prefix)
            if not form.is_valid():
                return _detail_response(request, question, status=400, bound={action: form})
            services.question_act(actor=request.user, question=question, action=action, body=form.cleaned_data["body"])
        elif action == "forward_circle":
            form = ForwardCircleForm(request.POST, prefix="circle", channels=selectors.forward_channels(request.user))
            if not form.is_valid():
                return _detail_response(request, question, status=400, bound={action: form})
            services.question_forward_to_circle(
                actor=request.user, question=question, channel=form.cleaned_data["channel"], note=form.cleaned_data["body"]
            )
        else:
            form = ForwardColleagueForm(
                request.POST, prefix="colleague", colleagues=selectors.eligible_colleagues(exclude=request.user)
            )
            if not form.is_valid():
                return _detail_response(request, question, status=400, bound={action: form})
            services.question_forward_to_colleague(
                actor=request.user,
                question=question,
                colleague=form.cleaned_data["colleague"],
                note=form.cleaned_data["body"],
            )
    except NotFound as error:
        raise Http404(error.message) from error
    except ServiceError as error:
        question = _readable(request, pk)
        return _detail_response(request, question, status=error.status, error=error.message)
    messages.success(request, SUCCESS_MESSAGES[action]())
    if action == "forward_colleague" and not permissions.can_read_question(request.user, question):
        return redirect("partners:inbox")
    return redirect("partners:question", question.pk)


@login_required
@require_GET
def question_attachment(request, pk: int):
    question = _readable(request, pk)
    if not permissions.can_download_attachment(request.user, question):
        raise Http404
    storage = private_storage()
    if not storage.exists(question.attachment_storage_name):
        raise Http404
    response = FileResponse(
        storage.open(question.attachment_storage_name, "rb"),
        as_attachment=True,
        filename=question.attachment_name,
        content_type=question.attachment_content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def question_faq(request, pk: int):
    question = _readable(request, pk)
    if not permissions.can_make_faq(request.user, question):
        raise Http404
    form = FaqForm(request.POST or None, initial=services.faq_suggestion(question))
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                page = services.faq_draft_create(editor=request.user, question=question, **form.cleaned_data)
            except ServiceError as exc:
                status, error = exc.status, exc.message
            else:
                messages.success(
                    request,
                    _("The FAQ page “%(title)s” has been saved as a draft and submitted for moderation.")
                    % {"title": page.title},
                )
                return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return render(request, "partners/question_faq.html", {"question": question, "form": form, "error": error},
                  status=status)


# --- overviews ----------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request):
    if not permissions.can_see_inbox(request.user):
        raise Http404
    return render(
        request,
        "partners/inbox.html",
        {
            **selectors.inbox_for(request.user),
            "is_editor": permissions.is_editor(request.user),
            "flag_after": selectors.FLAG_AFTER_WORKING_DAYS,
        },
    )


@login_required
@require_GET
def overview(request):
    if not permissions.can_see_overview(request.user):
        raise Http404
    counts = selectors.overview_counts()
    return render(request, "partners/overview.html", counts)

