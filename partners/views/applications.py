"""The "Partner worden" page: form, a check step with the server's fee, sending, thanks (routes of the page)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.models import Network
from core.ratelimit import limit_exceeded

from .. import services
from ..errors import ServiceError
from ..fees import euro, quote_for_page
from ..forms import PartnerApplicationForm

FORM_TEMPLATE = "partners/partner_application_page.html"
CONFIRM_TEMPLATE = "partners/partner_application_confirm.html"
SENT_TEMPLATE = "partners/partner_application_sent.html"


def _render(request, page, template, *, status=200, **context):
    full = page.get_context(request)
    full.update(context)
    return TemplateResponse(request, template, full, status=status)


def _quote_context(page, networks) -> dict:
    quote = quote_for_page(page, networks)
    return {
        "quote": quote,
        "regular_fee_display": euro(quote.regular_fee),
        "discount_display": euro(quote.discount),
        "fee_display": euro(quote.fee),
    }


def _selected_networks(form) -> list:
    """The networks ticked in a bound form, valid or not, for the fee next to the form."""
    if form.is_bound and "networks" in getattr(form, "cleaned_data", {}):
        return list(form.cleaned_data["networks"])
    return []


def _form_response(request, page, form, *, status=200, error="", networks=None):
    discounts = [
        {"network": item.network, "amount": euro(item.amount)}
        for item in page.network_discounts.select_related("network")
    ]
    return _render(
        request,
        page,
        FORM_TEMPLATE,
        status=status,
        form=form,
        error=error,
        discounts=discounts,
        **_quote_context(page, _selected_networks(form) if networks is None else networks),
    )


def application_form(request, page):
    """GET: the empty form. POST (from the check step's "change" button): the form with what was filled in."""
    if request.method == "POST":
        # Filled in again from what was posted, without judging it yet: no error messages here.
        initial = {name: request.POST.get(name, "") for name in PartnerApplicationForm.base_fields if name != "website"}
        ids = [value for value in request.POST.getlist("networks") if value.isdigit()]
        networks = list(Network.objects.filter(pk__in=ids))
        initial["networks"] = [network.pk for network in networks]
        return _form_response(request, page, PartnerApplicationForm(initial=initial, page=page), networks=networks)
    return _form_response(request, page, PartnerApplicationForm(page=page))


def application_confirm(request, page):
    """Check step: the server validates and shows the fee it computed, before anything is sent."""
    if request.method != "POST":
        return HttpResponseRedirect(page.url)
    form = PartnerApplicationForm(request.POST, page=page)
    if form.is_bot:
        return _form_response(request, page, PartnerApplicationForm(page=page), status=400,
                              error=_("Your application could not be processed."))
    if not form.is_valid():
        return _form_response(request, page, form, status=400)
    return _render(request, page, CONFIRM_TEMPLATE, form=form, **_quote_context(page, form.cleaned_data["networks"]))


def application_submit(request, page):
    if request.method != "POST":
        return HttpResponseRedirect(page.url)
    form = PartnerApplicationForm(request.POST, page=page)
    if limit_exceeded(request, "application"):
        return _form_response(request, page, form, status=429,
                              error=_("Too many applications were sent from your connection. Please try again later."))
    if form.is_bot:
        return _form_response(request, page, PartnerApplicationForm(page=page), status=400,
                              error=_("Your application could not be processed."))
    if not form.is_valid():
        return _form_response(request, page, form, status=400)
    data = form.cleaned_data
    quote_context = _quote_context(page, data["networks"])
    if request.POST.get("quoted_fee") != str(quote_context["quote"].fee):
        # The fee changed since the check step (an editor changed it): show the new one first.
        return _render(request, page, CONFIRM_TEMPLATE, status=409, form=form, fee_changed=True, **quote_context)
    try:
        application = services.application_submit(
            page=page,
            organisation_name=data["organisation_name"],
            contact_name=data["contact_name"],
            contact_job_title=data["contact_job_title"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            networks=data["networks"],
            invoice_addressee=data["invoice_addressee"],
            invoice_address=data["invoice_address"],
            invoice_email=data["invoice_email"],
            invoice_reference=data["invoice_reference"],
            submitted_by=request.user,
            language=translation.get_language(),
        )
    except ServiceError as error:
        form.add_error("organisation_name" if error.code == "already_partner" else None, error.message)
        return _form_response(request, page, form, status=400)
    messages.success(
        request,
        _("Thank you. We have received the application for %(name)s and sent a confirmation to %(email)s.")
        % {"name": application.organisation_name, "email": application.contact_email},
    )
    return HttpResponseRedirect(page.url + page.reverse_subpage("sent"))


def application_sent(request, page):
    return _render(request, page, SENT_TEMPLATE)
