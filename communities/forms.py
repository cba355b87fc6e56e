from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form; the profile is created in the same transaction.

    allauth builds its sign-up form on top of this class (ACCOUNT_SIGNUP_FORM_CLASS);
    communities.accounts.SignupForm wraps the save in one transaction.
    """

    field_order = ["display_name", "email", "organisation", "job_title", "password1", "password2"]

    display_name = forms.CharField(
        label=_("Name as others see it"),
        max_length=100,
        help_text=_("For example your first and last name."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)

    def signup(self, request, user):
        from .services import profile_create

        profile_create(
            user=user,
            display_name=self.cleaned_data["display_name"],
            organisation=self.cleaned_data.get("organisation", ""),
            job_title=self.cleaned_data.get("job_title", ""),
        )


class ProfileForm(forms.ModelForm):
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=500,
        help_text=_("Topics you know about, separated by commas."),
    )

    class Meta:
        model = Profile
        fields = ["display_name", "organisation", "job_title", "bio", "language"]
        labels = {
            "display_name": _("Name as others see it"),
            "organisation": _("Organisation"),
            "job_title": _("Job title"),
            "bio": _("About me"),
            "language": _("Language of emails and notifications"),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["expertise"] = ", ".join(self.instance.expertise.names())

    def clean_expertise(self):
        tags = [tag.strip() for tag in self.cleaned_data["expertise"].split(",") if tag.strip()]
        too_long = [tag for tag in tags if len(tag) > 50]
        if too_long:
            raise forms.ValidationError(_("A topic can be at most 50 characters long."))
        if len(tags) > 15:
            raise forms.ValidationError(_("Name at most 15 topics."))
        return tags


class AccountDeleteForm(forms.Form):
    delete_messages = forms.BooleanField(
        label=_("Also delete all my messages"),
        required=False,
        help_text=_(
            "Without this, your messages stay in their threads under the name “deleted participant”, "
            "so that conversations keep making sense."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that deleting my account cannot be undone"),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )
