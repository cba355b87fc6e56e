from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Learning circles")

    def ready(self):
        from allauth.account.signals import user_logged_in as allauth_user_logged_in
        from django.contrib.auth.signals import user_logged_in

        from . import privacy
        from .accounts import ensure_profile_on_login
        from .hooks import continue_with_invitation

        user_logged_in.connect(ensure_profile_on_login, dispatch_uid="communities.ensure_profile_on_login")
        allauth_user_logged_in.connect(continue_with_invitation, dispatch_uid="communities.continue_with_invitation")
        privacy.autodiscover()  # every app's privacy.py: its part of the data export and account deletion

        from . import content_versions, receivers  # noqa: F401  (signal receivers)
