import time

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from wagtail.models import PAGE_TEMPLATE_VAR, Site

from cms import generations, page_cache
from cms.navigation import site_chrome, translations_in_active_language
from core.memo import CSRF_SLOT, SLOT_TAG, ProcessMemo, with_csrf

register = template.Library()

SITE_ROOT_DEPTH = 2


@register.simple_tag(takes_context=True)
def cms_chrome(context) -> dict:
    request = context.get("request")
    return site_chrome(request) if request is not None else {}


@register.simple_tag(takes_context=True)
def cms_menu(context) -> list[dict]:
    """Menu items with `current`: "page" on the page itself, "true" inside its section."""
    request = context.get("request")
    if request is None:
        return []
    items = []
    for item in site_chrome(request)["menu"]:
        url = item["url"]
        if request.path == url:
            current = "page"
        elif url != "/" and request.path.startswith(url):
            current = "true"
        else:
            current = ""
        items.append({**item, "current": current})
    return items


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    """Ancestors from the home page (depth 2, where Wagtail puts site roots) down to the page, in
    the active language where translated (a Dutch page shown in English keeps English crumbs)."""
    request = context.get("request")
    ancestors = []
    if page.depth > SITE_ROOT_DEPTH:
        ancestors = list(
            page.get_ancestors()
            .filter(depth__gte=SITE_ROOT_DEPTH)
            .only("title", "url_path", "depth", "path", "translation_key", "locale")
        )
        localized = translations_in_active_language(ancestors)
        ancestors = [localized.get(ancestor.translation_key, ancestor) for ancestor in ancestors]
    return {"request": request, "ancestors": ancestors, "page": page}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def elided_pages(page_obj):
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)


@register.filter
def same_day(start, end) -> bool:
    from django.utils import timezone

    return timezone.localtime(start).date() == timezone.localtime(end).date()


class PageFragmentNode(template.Node):
    """A part of a page that is the same for every visitor, rendered once per page revision, site,
    language and page cache generation (so anything published shows at once) and kept
    PAGE_CACHE_SECONDS at most, for what changes with time alone (an event that has passed): in
    the shared cache, and in the process's memory until the same moment. Never in a preview.
    The CSRF token of a form inside is kept as a placeholder and each visitor gets their own."""

    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        request = context.get("request")
        generation = page_cache.generation_for(request)
        page = context.get(PAGE_TEMPLATE_VAR)
        if generation is None or page is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        site = Site.find_for_request(request)
        key = f"cms:fragment:{SLOT_TAG}:{self.name}:{generation}:{translation.get_language()}:{page.cache_key}:{site.pk if site else ''}"
        html = _fragments.get(key)
        if html is None:
            html = self._from_shared_cache(key, context)
        return mark_safe(with_csrf(html, request))

    def _from_shared_cache(self, key: str, context) -> str:
        entry = cache.get(key)
        if entry is None:
            with context.update({"csrf_token": CSRF_SLOT}):
                html = self.nodelist.render(context)
            entry = {"html": str(html), "until": time.time() + settings.PAGE_CACHE_SECONDS}
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        _fragments.put(key, entry["html"], until=entry["until"])
        return entry["html"]


_fragments = ProcessMemo(size=200)


@register.tag
def pagefragment(parser, token):
    """{% pagefragment "name" %}…{% endpagefragment %}: a part of a page that is the same for every visitor."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("pagefragment takes one argument, the fragment's name")
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, name.strip("\"'"))


class ChromeNode(template.Node):
    """The site's header or footer: the same for every visitor of one kind on one address, in one
    language, until the menu or anything pages show changes. An anonymous visitor's depends on
    nothing else; a signed-in visitor's also on their number of unread notifications (the badge),
    and it names nobody. Rendered once per process and kept in its memory under the generations
    (cms.generations), with the CSRF token as a placeholder."""

    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        request = context.get("request")
        visitor = _visitor(context, request)
        if visitor is None or "csrf_token" not in context:
            return self.nodelist.render(context)
        key = (*self._key(request), *visitor)
        html = _chrome.get(key)
        if html is None:
            with context.update({"csrf_token": CSRF_SLOT}):
                html = str(self.nodelist.render(context))
            _chrome.put(key, html)
        return mark_safe(with_csrf(html, request))

    def _key(self, request) -> tuple:
        pages, chrome = generations.of_request(request)
        return (self.name, pages, chrome, translation.get_language(), *_address(request))


def _address(request) -> tuple:
    """Host, script prefix and path, once per request (the header and footer both ask; checking
    the host against ALLOWED_HOSTS is the costly part)."""
    address = getattr(request, "_lk_address", None)
    if address is None:
        address = request._lk_address = (request.get_host(), get_script_prefix(), request.get_full_path())
    return address


def _visitor(context, request) -> tuple | None:
    """What of the visitor the chrome shows; None: render it for them alone."""
    request_user = getattr(request, "user", None)
    user = context.get("user", request_user)
    if request is None or user is not request_user:
        return None
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    unread = context.get("notifications_unread")
    return ("signed in", unread()) if callable(unread) else None


_chrome = ProcessMemo(size=1000)


@register.tag
def chrome(parser, token):
    """{% chrome "name" %}…{% endchrome %}: the site's header or footer (see ChromeNode)."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("chrome takes one argument, the part's name")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(nodelist, name.strip("\"'"))
