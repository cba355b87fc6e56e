"""Forms of the circle, channel and token pages. They only shape input: the services decide
what is valid, and their errors are attached to the fields here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership, PersonalAccessToken
from .models.channels import MESSAGE_MAX_LENGTH


class ServiceErrorMixin:
    """`form.add_service_error(error)` puts a service's message on the field it is about."""

    service_error_field = None

    def add_service_error(self, error, field=None):
        self.add_error(field or self.service_error_field, error.message)


class MessageForm(ServiceErrorMixin, forms.Form):
    service_error_field = "body"
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_("You can use Markdown: **bold**, *italic*, lists and links. Mention someone with @username."),
    )


class ReplyForm(MessageForm):
    body = forms.CharField(
        label=_("Your reply"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_("You can use Markdown. Mention someone with @username."),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportForm(ServiceErrorMixin, forms.Form):
    service_error_field = "reason"
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("Only the facilitators of this circle see your report."),
    )


class InvitationForm(ServiceErrorMixin, forms.Form):
    service_error_field = "email"
    email = forms.CharField(label=_("Email address"), required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER,
                             required=False)


class ChannelForm(ServiceErrorMixin, forms.Form):
    service_error_field = "name"
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=1000,
                            help_text=_("One sentence about what this channel is for."))


class ChannelSettingsForm(ChannelForm):
    locked = forms.BooleanField(label=_("Locked: nobody can post new messages"), required=False)
    archived = forms.BooleanField(label=_("Archived: hidden from the channel list, read-only"), required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class TokenForm(ServiceErrorMixin, forms.Form):
    service_error_field = "name"
    name = forms.CharField(label=_("Name"), required=False, max_length=200,
                           help_text=_("What the token is for, for example \"weekly export script\"."))
    scope = forms.ChoiceField(
        label=_("The token may"),
        choices=[
            (PersonalAccessToken.Scope.READ, _("only read: list circles, channels and messages")),
            (PersonalAccessToken.Scope.WRITE, _("read and write: also post, edit and manage, as you can")),
        ],
        initial=PersonalAccessToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the token may only read, or also write.")},
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year")), (0, _("no end date"))],
        initial=90,
    )
