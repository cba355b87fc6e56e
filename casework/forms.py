"""Forms of the case pages. They check what a user can fix in the form; the services check
everything again (phase, role) and their refusals come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models.cases import TEXT_MAX_LENGTH
from .services.attachments import inspect_upload
from .services.cases import clean_themes
from .errors import ServiceError


class AccessibleFormMixin:
    """Links each field to its help and error text (aria-describedby) and marks invalid
    fields (aria-invalid), so screen readers read the Dutch error with the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe_fields()

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def _describe_fields(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-help")
            if self.is_bound and hasattr(self, "_errors") and self._errors and name in self._errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


def _text(label, *, required=True, help_text="", rows=5, required_message=None, max_length=TEXT_MAX_LENGTH):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or _("Fill in this field."),
            "max_length": _("This text can be at most %(limit_value)s characters long; it has %(show_value)s."),
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def check_uploads(uploads):
    errors = []
    for upload in uploads:
        try:
            inspect_upload(upload)
        except ServiceError as error:
            errors.append(forms.ValidationError(error.message, code=error.code))
    if errors:
        raise forms.ValidationError(errors)
    if len(uploads) > 10:
        raise forms.ValidationError(_("A case can have at most 10 attachments."))
    return uploads


class CaseForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        help_text=_("Your dilemma in one sentence."),
        error_messages={"required": _("Give your case a title.")},
    )
    context = _text(
        _("Context"),
        help_text=_("What is going on? Describe the situation in your municipality or region."),
        required_message=_("Describe the context of your case."),
        rows=7,
    )
    question = _text(
        _("Your question for the circle"),
        help_text=_("What would you like the circle to help you with?"),
        required_message=_("Write down your question for the circle."),
        rows=3,
    )
    tried = _text(_("What have you tried?"), required=False, rows=4)
    desired_outcome = _text(_("Desired outcome"), required=False, help_text=_("When is your question answered well?"), rows=3)
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=500,
        help_text=_("Separate themes with commas, for example: regional cooperation, social domain."),
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_(
            "Only members of this circle and invited guests can read the case. Its content never appears in emails, "
            "notifications, previews or search results."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, PNG or JPG, up to 10 MB each."),
    )

    def clean_themes(self):
        try:
            return clean_themes(self.cleaned_data["themes"])
        except ServiceError as error:
            raise forms.ValidationError(error.message) from None

    def clean_attachments(self):
        return check_uploads(self.cleaned_data.get("attachments") or [])


class AttachmentForm(AccessibleFormMixin, forms.Form):
    files = MultipleFileField(
        label=_("Add attachments"),
        help_text=_("PDF, DOCX, XLSX, PPTX, PNG or JPG, up to 10 MB each."),
        error_messages={"required": _("Choose a file to attach.")},
    )

    def clean_files(self):
        return check_uploads(self.cleaned_data.get("files") or [])


class QuestionForm(AccessibleFormMixin, forms.Form):
    body = _text(
        _("Your question"),
        help_text=_("Ask about facts and background; advice comes in the next phase."),
        required_message=_("Write down your question."),
        rows=3,
    )


class AnswerForm(AccessibleFormMixin, forms.Form):
    body = _text(_("Your answer"), required_message=_("Write down your answer."), rows=3)


class PeerFeedbackForm(AccessibleFormMixin, forms.Form):
    body = _text(
        _("Your feedback"),
        help_text=_("What do you see, and what would you advise? Write from your own practice."),
        required_message=_("Write down your feedback."),
        rows=6,
    )


class ExpertFeedbackForm(AccessibleFormMixin, forms.Form):
    analysis = _text(
        _("Analysis"), help_text=_("How do you read the situation?"), required_message=_("Fill in your analysis."), rows=5
    )
    approach = _text(
        _("Suggested approach"),
        help_text=_("What would you do, and in which order?"),
        required_message=_("Fill in the suggested approach."),
        rows=5,
    )
    risks = _text(
        _("Risks"), help_text=_("What could go wrong, and how can it be prevented?"), required_message=_("Fill in the risks."), rows=4
    )
    references = _text(
        _("References"),
        required=False,
        help_text=_("Sources, examples from other municipalities, people to contact."),
        rows=3,
    )


class ReflectionForm(AccessibleFormMixin, forms.Form):
    reflection = _text(
        _("Your reflection"),
        help_text=_("Which feedback helped you, and what will you do with it?"),
        required_message=_("Write down your reflection."),
        rows=6,
    )


class LessonForm(AccessibleFormMixin, forms.Form):
    body = _text(
        _("Lesson learned"),
        help_text=_("What would you tell another municipality facing the same question?"),
        required_message=_("Write down the lesson learned."),
        rows=6,
    )


class FollowupForm(AccessibleFormMixin, forms.Form):
    note = _text(
        _("What came of it?"),
        help_text=_("How did it work out in practice?"),
        required_message=_("Write down what came of it."),
        rows=4,
    )


class GuestInviteForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address of the expert"),
        help_text=_("The expert gets a link that works once, for 14 days, and sees this case only."),
        error_messages={
            "required": _("Fill in an email address."),
            "invalid": _("Enter a valid email address, like name@example.org."),
        },
    )


class PublicationForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the lesson"),
        max_length=120,
        help_text=_("For example: “Share the figures before you share the costs”."),
        error_messages={"required": _("Give the lesson a title.")},
    )
    summary = _text(
        _("Anonymised summary"),
        help_text=_(
            "What happened and what others can learn from it, in at most 700 characters. Leave out names, "
            "organisations and places: the summary must not lead back to you or your municipality."
        ),
        required_message=_("Write the anonymised summary."),
        rows=6,
        max_length=700,
    )
    consent = forms.BooleanField(
        label=_("I agree that the editors publish this anonymised lesson on the public site."),
        error_messages={"required": _("Give your consent, or do not propose the lesson.")},
    )
