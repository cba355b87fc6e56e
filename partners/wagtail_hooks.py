"""Partner services in the Wagtail admin: applications (accept or decline), fixed contact people, questions."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .admin_views import ApplicationInspectView, PartnerContactIndexView
from .models import PartnerApplication, PartnerContact


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    """Applications arrive through the site and change only through a decision (partners.services):
    the admin may list, inspect and decide ("change"), never add or delete."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in ("view", "change")]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


register_permission_policy(PartnerApplication, ApplicationPermissionPolicy(PartnerApplication))


class PartnerApplicationViewSet(ModelViewSet):
    model = PartnerApplication
    icon = "form"
    menu_label = _("Partner applications")
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    copy_view_enabled = False
    list_display = ["organisation_name", "contact_name", "fee_display", "status", "created_at"]
    inspect_view_fields = [
        "organisation_name",
        "organisation",
        "contact_name",
        "contact_job_title",
        "contact_email",
        "contact_phone",
        "networks",
        "invoice_addressee",
        "invoice_address",
        "invoice_email",
        "invoice_reference",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "partner_since",
        "decline_reason",
    ]
    list_filter = ["status"]
    search_fields = ["organisation_name", "contact_name", "contact_email"]
    ordering = ["-created_at"]
    list_export = [
        "organisation_name",
        "contact_name",
        "contact_job_title",
        "contact_email",
        "network_list",
        "regular_fee",
        "discount",
        "fee",
        "invoice_addressee",
        "invoice_address",
        "invoice_email",
        "invoice_reference",
        "get_status_display",
        "created_at",
    ]
    export_headings = {"network_list": _("Networks"), "get_status_display": _("Status")}
    export_filename = "partneraanvragen"
    form_fields = ["decline_reason"]  # never shown: there is no edit view

    def get_common_view_kwargs(self, **kwargs):
        # Only index and inspect: deciding happens on the inspect page, through partners.services.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        keep = {"index", "index_results", "inspect", "history", "history_results", "usage"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in keep]


class PartnerContactViewSet(ModelViewSet):
    model = PartnerContact
    icon = "user"
    menu_label = _("Fixed contact people")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["__str__", "user", "organisation_list"]
    search_fields = ["contact_person__name"]
    index_view_class = PartnerContactIndexView


class PartnerServicesGroup(ViewSetGroup):
    menu_label = _("Partner services")
    menu_icon = "group"
    menu_order = 245
    items = (PartnerApplicationViewSet("partner_applications", url_prefix="partneraanvragen"),
             PartnerContactViewSet("partner_contacts", url_prefix="vaste-contactpersonen"))


@hooks.register("register_admin_viewset")
def register_partner_viewsets():
    return PartnerServicesGroup()


class EditorsOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        from .permissions import is_editor

        return is_editor(request.user)


@hooks.register("register_admin_menu_item")
def register_questions_menu_item():
    return EditorsOnlyMenuItem(
        _("Knowledge questions"), reverse("partners:overview"), icon_name="help", order=246, name="knowledge-questions"
    )
