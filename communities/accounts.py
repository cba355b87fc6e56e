"""Glue between django-allauth and Leerkring's member profiles.

- ``SignupForm`` (ACCOUNT_FORMS["signup"]): allauth's sign-up form, which already carries the
  profile fields of ``communities.forms.SignupProfileForm`` (ACCOUNT_SIGNUP_FORM_CLASS). Saving it
  creates the user, the profile and the email address in one transaction: never a user without
  a profile.
- ``user_display`` (ACCOUNT_USER_DISPLAY): allauth names people by their display name, not by
  the generated username nobody knows.
- ``ensure_profile_on_login``: users made outside sign-up (createsuperuser, scripts) get a
  profile when they first log in, whichever login page they use.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.db import transaction

from .models import Profile


class SignupForm(AllauthSignupForm):
    @transaction.atomic
    def save(self, request):
        return super().save(request)


def user_display(user) -> str:
    try:
        return user.profile.display_name
    except (Profile.DoesNotExist, AttributeError):
        return getattr(user, "email", "") or user.get_username()


def ensure_profile_on_login(sender, request, user, **kwargs) -> None:
    from .services import profile_ensure

    profile_ensure(user=user)
