"""The webhook form only shapes input; the services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms_circles import ServiceErrorMixin

from .models import Event
from .targets import URL_MAX_LENGTH

FIELD_OF_ERROR = {"invalid_events": "events", "invalid_description": "description"}


class EndpointForm(ServiceErrorMixin, forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"), max_length=URL_MAX_LENGTH,
        error_messages={"required": _("Enter the address (URL) that should receive the webhook.")},
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("We send a POST request with JSON to this address, for example https://example.org/leerkring-hook."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200,
                                  help_text=_("What the webhook is for, for example \"notices in our Teams channel\"."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Choose at least one event.")})

    def add_service_error(self, error, field=None):
        super().add_service_error(error, field=field or FIELD_OF_ERROR.get(error.code, "url"))
