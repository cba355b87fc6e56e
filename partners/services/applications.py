"""Partner applications: received from the "Partner worden" page, decided on in the Wagtail admin."""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cms.models import Organisation

from .. import tasks
from ..errors import Conflict, InvalidInput
from ..fees import quote_for_page
from ..models import PartnerApplication, PartnerApplicationPage
from ..selectors import normalise_organisation_name, organisation_named

Status = PartnerApplication.Status


def _send_on_commit(application: PartnerApplication, kind: str) -> None:
    transaction.on_commit(partial(tasks.send_application_email.enqueue, application.pk, kind), robust=True)


def application_blocker(*, organisation_name: str) -> str | None:
    """Why this organisation cannot apply (already a partner, or an application is waiting), else None."""
    organisation = organisation_named(organisation_name)
    if organisation is not None and organisation.partner_since is not None:
        return _(
            "%(name)s is already a partner (since %(year)s), so there is no need to apply. "
            "Questions about the partnership go to your fixed contact person."
        ) % {"name": organisation.name, "year": organisation.partner_since}
    full = " ".join(organisation_name.split())
    short = normalise_organisation_name(full)
    same_name = Q(organisation_name__iexact=full) | Q(organisation_name__iexact=short)
    same_name |= Q(organisation_name__iexact=f"Gemeente {short}")
    if organisation is not None:
        same_name |= Q(organisation=organisation)
    pending = PartnerApplication.objects.filter(same_name, status=Status.RECEIVED).order_by("created_at").first()
    if pending is not None:
        received = formats.date_format(timezone.localtime(pending.created_at), "j F Y")
        return _("An application for %(name)s was received on %(date)s and is being handled.") % {
            "name": pending.organisation_name,
            "date": received,
        }
    return None


@transaction.atomic
def application_submit(
    *,
    page: PartnerApplicationPage,
    organisation_name: str,
    contact_name: str,
    contact_job_title: str,
    contact_email: str,
    contact_phone: str = "",
    networks=(),
    invoice_addressee: str,
    invoice_address: str,
    invoice_email: str = "",
    invoice_reference: str = "",
    submitted_by=None,
    language: str | None = None,
) -> PartnerApplication:
    """Store an application with the fee computed here (never the browser's), and confirm it by email.

    Raises Conflict when the organisation is already a partner or has an application waiting,
    InvalidInput when required details are missing.
    """
    # One application at a time: serialise on the page row (SQLite locks the whole database anyway).
    page = PartnerApplicationPage.objects.select_for_update(of=("self",)).get(pk=page.pk)
    fields = {
        "organisation_name": " ".join(organisation_name.split()),
        "contact_name": contact_name.strip(),
        "contact_job_title": contact_job_title.strip(),
        "invoice_addressee": invoice_addressee.strip(),
        "invoice_address": invoice_address.strip(),
    }
    missing = [name for name, value in fields.items() if not value]
    if missing:
        raise InvalidInput(
            _("Fill in the organisation, the contact person with job title, and the invoice details."), code="missing"
        )
    try:
        validate_email(contact_email.strip())
        if invoice_email.strip():
            validate_email(invoice_email.strip())
    except ValidationError as error:
        raise InvalidInput(_("Enter a valid email address, such as name@example.nl."), code="invalid_email") from error
    blocker = application_blocker(organisation_name=fields["organisation_name"])
    if blocker:
        raise Conflict(blocker, code="already_partner")

    networks = list(networks)
    quote = quote_for_page(page, networks)
    application = PartnerApplication(
        page=page,
        organisation=organisation_named(fields["organisation_name"]),
        contact_email=contact_email.strip().lower(),
        contact_phone=contact_phone.strip(),
        invoice_email=invoice_email.strip().lower(),
        invoice_reference=invoice_reference.strip(),
        regular_fee=quote.regular_fee,
        discount=quote.discount,
        discount_network=quote.discount_network.abbreviation if quote.discount_network else "",
        fee=quote.fee,
        submitted_by=submitted_by if getattr(submitted_by, "is_authenticated", False) else None,
        language=language or translation.get_language() or "nl",
        **fields,
    )
    application.full_clean(exclude=["page", "organisation", "submitted_by", "decided_by"])
    application.save()
    application.networks.set(networks)
    _send_on_commit(application, "received")
    return application


def _locked_open_application(application: PartnerApplication) -> PartnerApplication:
    application = PartnerApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.RECEIVED:
        raise Conflict(
            _("This application was already %(status)s.") % {"status": application.get_status_display()},
            code="already_decided",
        )
    return application


@transaction.atomic
def application_accept(*, application: PartnerApplication, decided_by, partner_since: int | None = None) -> Organisation:
    """Make the organisation a partner (created when it is not in the list yet) with its networks."""
    application = _locked_open_application(application)
    year = partner_since or timezone.localdate().year
    if not 1990 <= year <= 2100:
        raise InvalidInput(_("Enter a year between 1990 and 2100."), code="invalid_year")
    organisation = application.organisation or organisation_named(application.organisation_name)
    if organisation is None:
        # The partner list names municipalities without "Gemeente" (as organisation_named expects).
        name = normalise_organisation_name(application.organisation_name) or application.organisation_name
        organisation = Organisation(name=name, kind=Organisation.Kind.MUNICIPALITY)
    else:
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.partner_since is not None:
            raise Conflict(
                _("%(name)s is already a partner (since %(year)s).")
                % {"name": organisation.name, "year": organisation.partner_since},
                code="already_partner",
            )
    organisation.partner_since = year
    organisation.full_clean(validate_unique=False)
    organisation.save()
    organisation.networks.add(*application.networks.all())

    application.organisation = organisation
    application.status = Status.ACCEPTED
    application.partner_since = year
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    application.save(update_fields=["organisation", "status", "partner_since", "decided_at", "decided_by"])
    _send_on_commit(application, "accepted")
    return organisation


@transaction.atomic
def application_decline(*, application: PartnerApplication, decided_by, reason: str) -> PartnerApplication:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason for declining; it is sent to the applicant."), code="reason_required")
    if len(reason) > 2000:
        raise InvalidInput(_("Keep the reason under 2,000 characters."), code="too_long")
    application = _locked_open_application(application)
    application.status = Status.DECLINED
    application.decline_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    application.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
    _send_on_commit(application, "declined")
    return application
