from django import template

from cms.navigation import site_chrome, translations_in_active_language

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
