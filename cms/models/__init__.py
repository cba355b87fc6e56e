from .events import EventDocument, EventIndexPage, EventPage
from .lessons import LessonIndexPage, LessonPage, LessonPageTheme
from .news import NewsIndexPage, NewsPage, PublicationIndexPage, PublicationPage
from .newsletters import NewsletterDelivery, NewsletterIssue
from .pages import (
    ContentPage,
    HomePage,
    HomePageFeaturedProgramme,
    PartnerIndexPage,
    ProgrammeIndexPage,
    ProgrammePage,
)
from .registrations import EventRegistration, NewsletterSubscription
from .site_settings import FooterLink, SiteSettings
from .snippets import ContactPerson, Network, Organisation

__all__ = [
    "ContactPerson",
    "ContentPage",
    "EventDocument",
    "EventIndexPage",
    "EventPage",
    "EventRegistration",
    "FooterLink",
    "HomePage",
    "HomePageFeaturedProgramme",
    "LessonIndexPage",
    "LessonPage",
    "LessonPageTheme",
    "Network",
    "NewsIndexPage",
    "NewsPage",
    "NewsletterDelivery",
    "NewsletterIssue",
    "NewsletterSubscription",
    "Organisation",
    "PartnerIndexPage",
    "ProgrammeIndexPage",
    "ProgrammePage",
    "PublicationIndexPage",
    "PublicationPage",
    "SiteSettings",
]
