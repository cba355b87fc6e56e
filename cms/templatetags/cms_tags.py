from django import template
from django.conf import settings
from django.template import Variable
from django.utils import translation
from wagtail.templatetags.wagtail_cache import WagtailPageCacheNode

from cms import page_cache
from cms.navigation import site_chrome, translations_in_active_language

register = template.Library()
CSRF_PLACEHOLDER = page_cache.PLACEHOLDER.decode()

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


class PageFragmentNode(WagtailPageCacheNode):
    """Wagtail's page fragment cache (never in a preview; keyed on the page's revision and the
    site) that also keys on the language and the page cache's generation, so anything published
    shows at once, and lives PAGE_CACHE_SECONDS at most, for what changes with time alone (an
    event that has passed). The CSRF token of a form inside is stored as a placeholder and each
    visitor gets their own."""

    def render(self, context):
        generation = page_cache.generation_for(context.get("request"))
        if generation is None:
            return self.nodelist.render(context)
        with context.update({
            "lk_fragment_seconds": settings.PAGE_CACHE_SECONDS,
            "lk_generation": generation,
            "lk_language": translation.get_language(),
            "csrf_token": CSRF_PLACEHOLDER,
        }):
            html = super().render(context)
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token", "")))
        return html


@register.tag
def pagefragment(parser, token):
    """{% pagefragment "name" %}…{% endpagefragment %}: a part of a page that is the same for every visitor."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("pagefragment takes one argument, the fragment's name")
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    return PageFragmentNode(
        nodelist, Variable("lk_fragment_seconds"), name.strip("\"'"), [Variable("lk_generation"), Variable("lk_language")], None
    )
