"""Admin registration of the cms snippets and the read-only registration and newsletter listings."""

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import page_cache
from .models import ContactPerson, EventRegistration, Network, NewsletterIssue, NewsletterSubscription, Organisation
from .permissions import NewsletterIssuePermissionPolicy, can_compose_newsletter, can_send_newsletter
from .views_newsletter import NewsletterIssueSendView


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Registrations and subscriptions change only through cms.services (waiting list, double opt-in),
    so the admin may list, inspect and export them, but never add, edit or delete them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


# Registered before any viewset asks for a policy (see wagtail.permissions.PolicyRegistry.register).
register_permission_policy(EventRegistration, ViewOnlyPermissionPolicy(EventRegistration))
register_permission_policy(NewsletterSubscription, ViewOnlyPermissionPolicy(NewsletterSubscription))
register_permission_policy(NewsletterIssue, NewsletterIssuePermissionPolicy(NewsletterIssue))

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value):
    """Stop a registrant's input from running as a formula when the CSV is opened in a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class SafeExportIndexView(IndexView):
    def get_preprocess_function(self, field, value, export_format):
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return _spreadsheet_safe
        return super().get_preprocess_function(field, value, export_format)


class RegistrationIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")


class EventRegistrationViewSet(ModelViewSet):
    model = EventRegistration
    icon = "list-ul"
    menu_label = _("Registrations")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = RegistrationIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["name", "email", "organisation", "event", "status", "seats", "registered_at"]
    list_filter = ["event", "status"]
    search_fields = ["name", "email", "organisation"]
    ordering = ["-registered_at"]
    list_export = [
        "event_title",
        "event_start_local",
        "name",
        "email",
        "organisation",
        "job_title",
        "extra_participants_inline",
        "seats",
        "get_status_display",
        "registered_at_local",
    ]
    export_headings = {
        "event_title": _("Event"),
        "event_start_local": _("Start of the event"),
        "extra_participants_inline": _("Colleagues"),
        "get_status_display": _("Status"),
        "registered_at_local": _("Registered at"),
    }
    export_filename = "aanmeldingen"
    form_fields = ["name", "email", "organisation", "job_title", "extra_participants"]
    inspect_view_fields = [
        "event",
        "name",
        "email",
        "organisation",
        "job_title",
        "extra_participants",
        "seats",
        "status",
        "registered_at",
        "promoted_at",
        "cancelled_at",
    ]


class NewsletterSubscriptionViewSet(ModelViewSet):
    model = NewsletterSubscription
    icon = "mail"
    menu_label = _("Newsletter subscribers")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = SafeExportIndexView
    copy_view_enabled = False
    list_display = ["email", "status", "created_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    list_export = ["email", "get_status_display", "confirmed_at"]
    export_headings = {"get_status_display": _("Status")}
    export_filename = "nieuwsbrief-abonnees"
    form_fields = ["email"]


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    menu_label = _("Contact people")
    list_display = ["name", "role", "organisation", "email"]
    search_fields = ["name", "role"]


class NetworkViewSet(SnippetViewSet):
    model = Network
    icon = "site"
    menu_label = _("Networks")
    list_display = ["abbreviation", "name"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "province", "partner_since"]
    list_filter = ["kind", "province", "networks"]
    search_fields = ["name"]
    list_export = ["name", "get_kind_display", "get_province_display", "network_list", "partner_since", "website"]
    export_headings = {
        "get_kind_display": _("Kind"),
        "get_province_display": _("Province"),
        "network_list": _("Networks"),
    }
    export_filename = "organisaties"


class PartnersViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Partners and contact")
    menu_icon = "group"
    menu_order = 240
    items = (OrganisationViewSet, NetworkViewSet, ContactPersonViewSet)


register_snippet(PartnersViewSetGroup)


# --- newsletter issues ---------------------------------------------------------------------

SEND_URL_NAME = "wagtailsnippets_cms_newsletterissue:send"


def _send_url(issue) -> str:
    return reverse(SEND_URL_NAME, args=[quote(issue.pk)])


def _send_label(user, issue) -> str:
    if issue.is_sent:
        return _("Sending status")
    return _("Send…") if can_send_newsletter(user) else _("Send test…")


class FrozenOnceSentMixin:
    """Explains why a sent issue cannot be edited or deleted (NewsletterIssuePermissionPolicy enforces it)."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.is_sent:
            messages.warning(request, _("This issue has been sent and can no longer be changed."))
            return redirect(_send_url(self.object))
        return super().dispatch(request, *args, **kwargs)


class NewsletterIssueIndexView(snippet_views.IndexView):
    # Wagtail's list offers Edit and Delete by model permission; a sent issue refuses both.
    def get_edit_url(self, instance):
        return None if instance.is_sent else super().get_edit_url(instance)

    def get_delete_url(self, instance):
        return None if instance.is_sent else super().get_delete_url(instance)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_compose_newsletter(self.request.user) or can_send_newsletter(self.request.user):
            label = _send_label(self.request.user, instance)
            buttons.append(Button(label, url=_send_url(instance), icon_name="mail", priority=15))
        return buttons


class NewsletterIssueEditView(FrozenOnceSentMixin, snippet_views.EditView):
    @cached_property
    def header_buttons(self):
        user = self.request.user
        if not (can_compose_newsletter(user) or can_send_newsletter(user)):
            return []
        return [HeaderButton(_send_label(user, self.object), url=_send_url(self.object), icon_name="mail")]


class NewsletterIssueDeleteView(FrozenOnceSentMixin, snippet_views.DeleteView):
    pass


class NewsletterIssueViewSet(SnippetViewSet):
    model = NewsletterIssue
    icon = "mail"
    menu_label = _("Newsletters")
    menu_order = 255
    add_to_admin_menu = True
    index_view_class = NewsletterIssueIndexView
    edit_view_class = NewsletterIssueEditView
    delete_view_class = NewsletterIssueDeleteView
    copy_view_enabled = True
    list_display = ["subject", "get_status_display", "created_at", "send_requested_at"]
    search_fields = ["subject"]

    def get_urlpatterns(self):
        send_view = NewsletterIssueSendView.as_view(
            index_url_name=self.get_url_name("list"),
            edit_url_name=self.get_url_name("edit"),
            send_url_name=SEND_URL_NAME,
        )
        return super().get_urlpatterns() + [path("send/<str:pk>/", send_view, name="send")]


register_snippet(NewsletterIssueViewSet)


@hooks.register("register_admin_viewset")
def register_registration_viewsets():
    return [
        EventRegistrationViewSet("registrations", url_prefix="aanmeldingen"),
        NewsletterSubscriptionViewSet("newsletter_subscriptions", url_prefix="nieuwsbrief"),
    ]


@hooks.register("before_serve_page")
def mark_page_for_the_page_cache(page, request, serve_args, serve_kwargs):
    page_cache.mark_page(page, request)
