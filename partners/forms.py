"""Forms of the partner pages. They check input for the person filling them in; the services check again."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy as _

from cms.forms import HoneypotMixin, about_you_field, email_field
from cms.models import Network

from .models import Theme, Urgency
from .models.questions import CONTEXT_TEXT_MAX, QUESTION_TEXT_MAX, REPLY_TEXT_MAX
from .services.attachments import ALLOWED_LABEL, ALLOWED_TYPES, MAX_ATTACHMENT_SIZE


class DiscountCheckboxes(forms.CheckboxSelectMultiple):
    """Network checkboxes that carry their discount, for the live fee in static/js/partner-fee.js."""

    def __init__(self, *args, discounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.discounts = discounts or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = getattr(value, "value", value)
        option["attrs"]["data-discount"] = str(self.discounts.get(key, 0))
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-network"] = instance.abbreviation
        return option


class NetworkChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, network):
        return f"{network.abbreviation} – {network.name}"


class PartnerApplicationForm(HoneypotMixin, forms.Form):
    organisation_name = about_you_field(
        _("Municipality or organisation"),
        autocomplete="organization",
        required_message=_("Enter the name of your municipality or organisation."),
    )
    contact_name = about_you_field(
        _("Contact person"),
        autocomplete="name",
        help_text=_("Who we can contact about the partnership."),
        required_message=_("Enter the name of the contact person."),
    )
    contact_job_title = about_you_field(
        _("Job title of the contact person"),
        autocomplete="organization-title",
        required_message=_("Enter the job title of the contact person."),
    )
    contact_email = email_field(
        _("Email address of the contact person"),
        help_text=_("We send the confirmation to this address."),
        required_message=_("Enter the email address of the contact person."),
    )
    contact_phone = forms.CharField(
        label=_("Phone number of the contact person"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    networks = NetworkChoiceField(
        label=_("Networks your organisation is a member of"),
        queryset=Network.objects.all(),
        required=False,
        widget=DiscountCheckboxes,
        help_text=_("Members of some networks get a discount on the partner fee."),
        error_messages={"invalid_choice": _("Choose networks from the list."), "invalid_pk_value": _("Choose networks from the list.")},
    )
    invoice_addressee = forms.CharField(
        label=_("Invoice addressed to"),
        max_length=200,
        help_text=_("For example: Municipality of Example, Finance department."),
        error_messages={"required": _("Enter who the invoice should be addressed to.")},
    )
    invoice_address = forms.CharField(
        label=_("Invoice address"),
        max_length=400,
        help_text=_("Street and number or PO box, postcode and town."),
        error_messages={"required": _("Enter the invoice address.")},
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    invoice_email = forms.EmailField(
        label=_("Email address for invoices"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter a valid email address, such as name@example.nl.")},
    )
    invoice_reference = forms.CharField(label=_("Purchase order number or reference"), max_length=100, required=False)

    field_order = [
        "organisation_name",
        "contact_name",
        "contact_job_title",
        "contact_email",
        "contact_phone",
        "networks",
        "invoice_addressee",
        "invoice_address",
        "invoice_email",
        "invoice_reference",
        "website",
    ]

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["networks"].widget.discounts = page.discount_table()

    def clean_organisation_name(self):
        from .services import application_blocker

        name = " ".join(self.cleaned_data["organisation_name"].split())
        blocker = application_blocker(organisation_name=name)
        if blocker:
            raise forms.ValidationError(blocker, code="already_partner")
        return name


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("Your question in one line."),
        error_messages={"required": _("Give your question a title.")},
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_TEXT_MAX,
        help_text=_("What do you want to know? You can use Markdown."),
        error_messages={"required": _("Write down your question.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    context = forms.CharField(
        label=_("Context"),
        max_length=CONTEXT_TEXT_MAX,
        required=False,
        help_text=_("What led to the question, what you already know or tried, and what you need the answer for."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices, initial=Theme.OTHER)
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how urgent the question is.")},
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=lazy(lambda: gettext("One file of at most 10 MB: %(types)s.") % {"types": ALLOWED_LABEL}, str)(),
        error_messages={"empty": _("The attachment is empty."), "invalid": _("Choose a file to attach.")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_TYPES)}),
    )
    share_consent = forms.BooleanField(
        label=_("My contact person may put this question, with my name, to a learning circle."),
        required=False,
        help_text=_("Other professionals can then share their experience. Without your consent, the question stays between you and your contact person."),
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > MAX_ATTACHMENT_SIZE:
            raise forms.ValidationError(_("The attachment can be at most 10 MB."), code="too_large")
        return upload


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=REPLY_TEXT_MAX,
        error_messages={"required": _("Write a message.")},
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, label=None, help_text=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label
        if help_text:
            self.fields["body"].help_text = help_text
        self.fields["body"].required = required


class ForwardCircleForm(forms.Form):
    channel = forms.ModelChoiceField(
        label=_("Learning circle and channel"),
        queryset=None,
        empty_label=_("Choose a channel"),
        error_messages={"required": _("Choose the channel to put the question to."),
                        "invalid_choice": _("Choose a channel from the list.")},
    )
    body = forms.CharField(
        label=_("Note for the circle"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels
        self.fields["channel"].label_from_instance = lambda channel: f"{channel.circle.name} › {channel.name}"


class ForwardColleagueForm(forms.Form):
    colleague = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=None,
        empty_label=_("Choose a colleague"),
        error_messages={"required": _("Choose a colleague."), "invalid_choice": _("Choose a colleague from the list.")},
    )
    body = forms.CharField(label=_("Note for your colleague"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].label_from_instance = lambda user: getattr(
            getattr(user, "profile", None), "display_name", user.get_username()
        )


class FaqForm(forms.Form):
    title = forms.CharField(label=_("Title of the FAQ page"), max_length=150,
                            error_messages={"required": _("Enter a title.")})
    question_text = forms.CharField(label=_("Question"), max_length=QUESTION_TEXT_MAX,
                                    widget=forms.Textarea(attrs={"rows": 5}),
                                    error_messages={"required": _("Enter the question.")})
    answer_text = forms.CharField(label=_("Answer"), max_length=REPLY_TEXT_MAX,
                                  widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("Blank lines start a new paragraph."),
                                  error_messages={"required": _("Enter the answer.")})
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)


class DecisionForm(forms.Form):
    """The editor's decision on a partner application in the Wagtail admin."""

    partner_since = forms.IntegerField(label=_("Partner since (year)"), min_value=1990, max_value=2100, required=False)
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        help_text=_("Sent to the applicant in the email about the decision."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
