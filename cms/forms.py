from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

MAX_PARTICIPANT_LINE = 200


class AccessibleFormMixin:
    """Links each field's error message to its input (aria-describedby), next to Django's help text link."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def email_field(label, *, required_message, help_text="") -> forms.EmailField:
    """The email address of the person filling in the form: autofilled, with our error texts."""
    return forms.EmailField(
        label=label,
        max_length=254,
        help_text=help_text,
        error_messages={"required": required_message, "invalid": _("Enter a valid email address, such as name@example.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def about_you_field(label, *, autocomplete: str, required_message, help_text="") -> forms.CharField:
    """One line about the person filling in the form (name, organisation, job title), autofilled."""
    return forms.CharField(
        label=label,
        max_length=150,
        help_text=help_text,
        error_messages={"required": required_message},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class HoneypotMixin(forms.Form):
    """A field people never see; bots that fill in every field reveal themselves."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())


class RegistrationForm(AccessibleFormMixin, HoneypotMixin, forms.Form):
    name = about_you_field(_("Name"), autocomplete="name", required_message=_("Enter your name."))
    email = email_field(
        _("Email address"),
        help_text=_("We send the confirmation and a link to cancel to this address."),
        required_message=_("Enter your email address."),
    )
    organisation = about_you_field(
        _("Organisation"), autocomplete="organization", required_message=_("Enter the organisation you work for.")
    )
    job_title = about_you_field(_("Job title"), autocomplete="organization-title", required_message=_("Enter your job title."))
    extra_participants = forms.CharField(
        label=_("Colleagues who come along"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["name", "email", "organisation", "job_title", "extra_participants", "website"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        maximum = event.max_extra_participants
        if maximum:
            self.fields["extra_participants"].help_text = ngettext_lazy(
                "One colleague per line, with name and job title. You can register %(count)d colleague along with yourself.",
                "One colleague per line, with name and job title. You can register up to %(count)d colleagues along with yourself.",
                "count",
            ) % {"count": maximum}
        else:
            del self.fields["extra_participants"]

    def clean_extra_participants(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["extra_participants"].splitlines() if line.strip()]
        maximum = self.event.max_extra_participants
        if len(lines) > maximum:
            raise forms.ValidationError(
                ngettext_lazy(
                    "You can register at most %(count)d colleague along with yourself.",
                    "You can register at most %(count)d colleagues along with yourself.",
                    "count",
                )
                % {"count": maximum},
                code="too_many",
            )
        if any(len(line) > MAX_PARTICIPANT_LINE for line in lines):
            raise forms.ValidationError(
                _("Keep each line under %(max)d characters.") % {"max": MAX_PARTICIPANT_LINE}, code="too_long"
            )
        return lines


class NewsletterForm(AccessibleFormMixin, HoneypotMixin, forms.Form):
    email = email_field(_("Email address"), required_message=_("Enter your email address."))

    field_order = ["email", "website"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)


class NewsletterSendForm(forms.Form):
    """The editor's explicit confirmation before an issue goes to every subscriber."""

    confirm = forms.BooleanField(
        label=_("I have checked the test mail and want to send this issue to all subscribers now."),
        error_messages={"required": _("Tick the box to confirm that you want to send the issue.")},
    )
