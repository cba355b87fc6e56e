"""Menu, footer links and contact details for every page, built once and kept in the cache.

The cache key carries a generation number that page publishing, moving, deleting and the
website settings bump (cms.signals), so an editor's change shows at once; in between, the
header and footer cost no queries, and (kept in the process's memory as well) no round trip
to the cache but the one that reads the generations (cms.generations).
"""

from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page, Site

from core.memo import ProcessMemo

from . import generations

GENERATION_KEY = generations.CHROME_KEY
TIMEOUT = 60 * 60
_memo = ProcessMemo(size=100)


def invalidate() -> None:
    generations.bump(GENERATION_KEY)


def site_chrome(request) -> dict:
    """Shared by every request of this generation, host and language: not to be changed."""
    key = f"cms:chrome:{generations.of_request(request).chrome}:{request.get_host()}:{translation.get_language()}"
    chrome = _memo.get(key)
    if chrome is None:
        chrome = cache.get(key)
        if chrome is None:
            chrome = _build(request)
            cache.set(key, chrome, TIMEOUT)
            # Building may have changed the generation (the site's settings are made on first
            # use): the rest of this request reads it again.
            generations.forget(request)
        _memo.put(key, chrome)
    return chrome


def _build(request) -> dict:
    from cms.models import SiteSettings

    empty = {"menu": [], "footer": [], "privacy_url": "", "contact": {}}
    site = Site.find_for_request(request)
    if site is None:
        return empty
    menu_pages = list(site.root_page.get_children().live().public().in_menu().only("title", "url_path", "path", "translation_key", "locale"))
    settings = SiteSettings.for_site(site)
    links = list(settings.footer_links.select_related("page"))
    localized = translations_in_active_language([*menu_pages, *(link.page for link in links if link.page_id)])
    menu = [
        {"title": page.title, "url": page.get_url(request)}
        for page in (localized.get(page.translation_key, page) for page in menu_pages)
    ]
    footer = []
    for link in links:
        page = localized.get(link.page.translation_key, link.page) if link.page_id else None
        url = page.get_url(request) if page is not None else link.url
        if url and (link.page is None or link.page.live):
            footer.append({"label": _footer_label(link, page), "url": url})
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


def translations_in_active_language(pages) -> dict:
    """The live translations of these (Dutch) pages in the active language, by translation key."""
    locale = Locale.get_active()
    if not pages or all(page.locale_id == locale.pk for page in pages):
        return {}
    translated = Page.objects.live().filter(locale=locale, translation_key__in={page.translation_key for page in pages})
    return {page.translation_key: page for page in translated.only("title", "url_path", "path", "translation_key", "locale")}


def _footer_label(link, page) -> str:
    """The editor's label in Dutch; in another language the English label, the translated page's
    title, or (nothing translated) the Dutch label."""
    if translation.get_language() == Locale.get_default().language_code:
        return link.label
    if link.label_en:
        return link.label_en
    if page is not None and page.pk != link.page_id:
        return page.title
    return link.label
