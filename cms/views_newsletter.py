"""The admin page where editors send a newsletter issue: a test to themselves, then to everyone once."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import newsletter
from .forms import NewsletterSendForm
from .models import NewsletterDelivery, NewsletterIssue
from .permissions import can_compose_newsletter, can_send_newsletter


class NewsletterIssueSendView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/admin/newsletter_issue_send.html"
    header_icon = "mail"
    page_title = gettext_lazy("Send newsletter")
    index_url_name = None
    edit_url_name = None
    send_url_name = None

    def dispatch(self, request, pk):
        if not (can_compose_newsletter(request.user) or can_send_newsletter(request.user)):
            raise PermissionDenied
        self.issue = get_object_or_404(NewsletterIssue, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.issue.subject

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse(self.index_url_name), "label": NewsletterIssue._meta.verbose_name_plural.capitalize()},
            {"url": self._edit_url(), "label": self.issue.subject},
            {"url": "", "label": _("Send")},
        ]

    def _edit_url(self):
        return reverse(self.edit_url_name, args=[quote(self.issue.pk)])

    def _this_url(self):
        return reverse(self.send_url_name, args=[quote(self.issue.pk)])

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            issue=self.issue,
            edit_url=self._edit_url(),
            can_send_test=can_compose_newsletter(user),
            can_send=can_send_newsletter(user) and not self.issue.is_sent,
            form=form or NewsletterSendForm(),
            recipient_count=newsletter.newsletter_issue_recipients(self.issue).count(),
            deliveries=self.issue.deliveries.aggregate(
                sent=Count("pk", filter=Q(state=NewsletterDelivery.State.SENT)),
                sending=Count("pk", filter=Q(state=NewsletterDelivery.State.SENDING)),
                failed=Count("pk", filter=Q(state=NewsletterDelivery.State.FAILED)),
                abandoned=Count("pk", filter=Q(state=NewsletterDelivery.State.ABANDONED)),
            ),
        )
        return context

    def post(self, request, pk):
        if request.POST.get("action") == "test":
            return self._send_test()
        if not can_send_newsletter(request.user):
            raise PermissionDenied
        form = NewsletterSendForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            newsletter.newsletter_issue_send(issue=self.issue, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The newsletter is being sent to all confirmed subscribers."))
        return redirect(self._this_url())

    def _send_test(self):
        if not can_compose_newsletter(self.request.user):
            raise PermissionDenied
        try:
            newsletter.newsletter_issue_send_test(issue=self.issue, user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
        else:
            messages.success(
                self.request, _("A test has been sent to %(email)s.") % {"email": self.request.user.email}
            )
        return redirect(self._this_url())
