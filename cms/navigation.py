"""Menu, footer links and contact details for every page, built once and kept in the cache.

The cache key carries a generation number that page publishing, moving, deleting and the
website settings bump (cms.signals), so an editor's change shows at once; in between, the
header and footer cost no queries.
"""

from django.core.cache import cache
from django.utils import translation
from wagtail.models import Site

GENERATION_KEY = "cms:chrome:generation"
TIMEOUT = 60 * 60


def invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def site_chrome(request) -> dict:
    key = f"cms:chrome:{_generation()}:{request.get_host()}:{translation.get_language()}"
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build(request)
        cache.set(key, chrome, TIMEOUT)
    return chrome


def _build(request) -> dict:
    from cms.models import SiteSettings

    empty = {"menu": [], "footer": [], "privacy_url": "", "contact": {}}
    site = Site.find_for_request(request)
    if site is None:
        return empty
    menu = [
        {"title": page.title, "url": page.get_url(request)}
        for page in site.root_page.get_children().live().public().in_menu().only("title", "url_path", "path")
    ]
    settings = SiteSettings.for_site(site)
    footer = []
    for link in settings.footer_links.select_related("page"):
        url = link.page.get_url(request) if link.page_id else link.url
        if url and (link.page is None or link.page.live):
            footer.append({"label": link.label, "url": url})
    privacy = settings.privacy_page
    return {
        "menu": [item for item in menu if item["url"]],
        "footer": footer,
        "privacy_url": privacy.get_url(request) if privacy and privacy.live else "",
        "contact": {
            "email": settings.contact_email,
            "phone": settings.contact_phone,
            "address": settings.contact_address,
        },
        "newsletter_intro": settings.newsletter_intro,
    }
