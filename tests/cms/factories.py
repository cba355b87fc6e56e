"""Pages and snippets of the public site, built the way an editor would publish them."""

import datetime
import itertools

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from cms.models import (
    ContactPerson,
    ContentPage,
    EventIndexPage,
    EventPage,
    HomePage,
    LessonIndexPage,
    LessonPage,
    Network,
    NewsIndexPage,
    NewsPage,
    Organisation,
    PartnerIndexPage,
    ProgrammeIndexPage,
    ProgrammePage,
    PublicationIndexPage,
    PublicationPage,
)

_counter = itertools.count(1)


def unique_slug(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def make_home() -> HomePage:
    """A HomePage as the root of the default site, replacing Wagtail's welcome page."""
    site = Site.objects.get(is_default_site=True)
    if isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    root = Page.get_first_root_node()
    home = HomePage(title="Samen leren van de praktijk", slug="start", intro="Leerkring verbindt professionals.")
    root.add_child(instance=home)
    old = site.root_page
    site.root_page = home
    site.save()
    old.delete()
    return home


def add(parent: Page, page: Page, *, publish: bool = False) -> Page:
    parent.refresh_from_db()
    if not page.slug:
        page.slug = unique_slug(type(page).__name__.lower())
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def paragraph(html: str):
    return ("paragraph", RichText(html))


def make_event(parent: EventIndexPage, *, days_ahead: int = 30, hours: float = 3, **fields) -> EventPage:
    start = fields.pop("start", None) or (timezone.now() + datetime.timedelta(days=days_ahead)).replace(
        minute=0, second=0, microsecond=0
    )
    defaults = {
        "title": "Expertmeeting middelgrote gemeenten",
        "intro": "Een bijeenkomst over de toekomst van middelgrote gemeenten.",
        "start": start,
        "end": start + datetime.timedelta(hours=hours),
        "venue_name": "Kennishuis",
        "venue_address": "Voorbeeldplein 10\n2595 AA Den Haag",
        "audience": "Bestuurders en beleidsadviseurs",
        "capacity": 2,
        "max_extra_participants": 2,
    }
    defaults.update(fields)
    return add(parent, EventPage(**defaults))


def make_organisation(name: str, *, networks=(), since: int | None = 2016, province: str = "UT") -> Organisation:
    organisation = Organisation.objects.create(name=name, province=province, partner_since=since)
    organisation.networks.set(networks)
    return organisation


def editors_group() -> Group:
    return Group.objects.get(name="Editors")


__all__ = [
    "ContactPerson",
    "ContentPage",
    "EventIndexPage",
    "EventPage",
    "HomePage",
    "LessonIndexPage",
    "LessonPage",
    "Network",
    "NewsIndexPage",
    "NewsPage",
    "PartnerIndexPage",
    "ProgrammeIndexPage",
    "ProgrammePage",
    "PublicationIndexPage",
    "PublicationPage",
    "add",
    "editors_group",
    "make_event",
    "make_home",
    "make_organisation",
    "paragraph",
]
