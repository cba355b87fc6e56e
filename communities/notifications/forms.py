from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import NotificationKind
from communities.models.notifications import EMAILED_ELSEWHERE, delivery_choices


class PreferencesForm(forms.Form):
    """One choice per kind of notification: on the website only, email now, daily digest, off."""

    def __init__(self, *args, initial_preferences: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=delivery_choices(kind),
                help_text=_("You always get the email itself.") if kind in EMAILED_ELSEWHERE else "",
                initial=initial_preferences.get(kind.value),
                error_messages={
                    "required": _("Choose how you want to receive this notification."),
                    "invalid_choice": _("Choose one of the options in the list."),
                },
            )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    circle = forms.ChoiceField(label=_("Learning circle"), required=False)

    def __init__(self, *args, type_choices, circle_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Everything"))] + list(type_choices)
        self.fields["circle"].choices = [("", _("All my circles"))] + list(circle_choices)
