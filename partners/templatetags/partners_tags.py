"""Template tags that show partner services on other apps' pages (profile, partner overview)."""

from django import template

from .. import selectors
from ..fees import euro
from ..models import PartnerApplicationPage

register = template.Library()


@register.inclusion_tag("partners/includes/contact_card.html", takes_context=True)
def partner_contact_card(context, heading_level: int = 2):
    """'Your fixed contact person' for a member whose profile names a partner organisation; nothing otherwise.

    Use on the profile page: {% load partners_tags %}{% partner_contact_card %}
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    contact = selectors.contact_for_user(user) if user is not None else None
    return {
        "contact": contact,
        "organisation": selectors.organisation_for_user(user) if contact else None,
        "heading_level": heading_level,
    }


@register.inclusion_tag("partners/includes/partner_aside.html", takes_context=True)
def partner_aside(context, page):
    """On the partner overview: the member's fixed contact person, or the way to become a partner.

    Use: {% load partners_tags %}{% partner_aside page %}
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    contact = selectors.contact_for_user(user) if user is not None else None
    application_page = None
    if contact is None:
        application_page = PartnerApplicationPage.objects.child_of(page).live().public().first()
    return {
        "contact": contact,
        "organisation": selectors.organisation_for_user(user) if contact else None,
        "application_page": application_page,
    }


@register.filter
def euros(amount) -> str:
    return euro(int(amount or 0))


@register.filter
def markdown(text) -> str:
    """User-written Markdown as sanitised HTML (communities.rendering)."""
    from django.utils.safestring import mark_safe

    from communities.rendering import render_markdown

    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3


@register.filter
def thread_url(message) -> str:
    from ..links import thread_url as url_for

    return url_for(message) if message is not None else ""
