"""Admin views of the partner services: deciding on an application on its inspect page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.template.defaultfilters import linebreaksbr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.generic import IndexView, InspectView

from . import services
from .errors import ServiceError
from .fees import euro
from .forms import DecisionForm
from .models import PartnerApplication


class PartnerContactIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("contact_person", "user").prefetch_related(
            "organisations__organisation"
        )


class ApplicationInspectView(InspectView):
    """The application with its fee; while it waits, a form to accept (partner since) or decline (reason)."""

    template_name = "partners/admin/application_inspect.html"
    page_title = gettext_lazy("Partner application")

    def _moment(self, value):
        return formats.date_format(timezone.localtime(value), "j F Y H:i") if value else "–"

    def get_created_at_display_value(self):
        return self._moment(self.object.created_at)

    def get_decided_at_display_value(self):
        return self._moment(self.object.decided_at)

    def get_partner_since_display_value(self):
        return self.object.partner_since or "–"

    def get_invoice_address_display_value(self):
        return linebreaksbr(self.object.invoice_address)

    def get_decline_reason_display_value(self):
        return linebreaksbr(self.object.decline_reason) or "–"

    def get_organisation_display_value(self):
        return self.object.organisation or "–"

    def get_decided_by_display_value(self):
        user = self.object.decided_by
        if user is None:
            return "–"
        profile = getattr(user, "profile", None)
        return profile.display_name if profile is not None else user.get_username()

    def get_object(self, queryset=None):
        return PartnerApplication.objects.select_related("organisation", "decided_by").get(pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context.update(
            regular_fee=euro(application.regular_fee),
            discount=euro(application.discount),
            fee=euro(application.fee),
            can_decide=application.status == PartnerApplication.Status.RECEIVED
            and self.permission_policy.user_has_permission(self.request.user, "change"),
            decision_form=kwargs.get("decision_form") or DecisionForm(initial={"partner_since": _this_year()}),
            decision_error=kwargs.get("decision_error", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        action = request.POST.get("decision")
        error = ""
        if form.is_valid() and action in ("accept", "decline"):
            try:
                if action == "accept":
                    organisation = services.application_accept(
                        application=self.object, decided_by=request.user, partner_since=form.cleaned_data["partner_since"]
                    )
                    messages.success(
                        request,
                        _("%(name)s is now a partner since %(year)s.")
                        % {"name": organisation.name, "year": organisation.partner_since},
                    )
                else:
                    services.application_decline(
                        application=self.object, decided_by=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(
                        request, _("The application of %(name)s has been declined.") % {"name": self.object.organisation_name}
                    )
                return redirect(request.path)
            except ServiceError as exc:
                error = exc.message
        elif action not in ("accept", "decline"):
            error = _("Choose whether to accept or decline the application.")
        context = self.get_context_data(decision_form=form, decision_error=error)
        return self.render_to_response(context, status=400 if error or form.errors else 200)


def _this_year() -> int:
    return timezone.localdate().year
