from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from . import audit  # noqa: F401  (phase changes in the circle's audit log)

        # Cases in member search (/zoeken/, API) and in saved items ("Bewaard").
        from communities.notifications import case_search

        case_search.register()
