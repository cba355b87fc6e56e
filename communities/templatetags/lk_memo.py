"""{% memo "name" value… %}…{% endmemo %}: a part of a page rendered once per process for each
combination of the active language and the given values (core/memo.py).

The values must name everything the part shows, apart from the CSRF token of a form inside,
which each reader gets their own of. With DEBUG on, the part is rendered every time, so that
template changes show at once.
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.memo import CSRF_SLOT, ProcessMemo, with_csrf

register = template.Library()
_parts = ProcessMemo(size=2000)


class MemoNode(template.Node):
    def __init__(self, nodelist, name: str, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        request = context.get("request")
        if settings.DEBUG or request is None:
            return self.nodelist.render(context)
        key = (self.name, get_language(), *(value.resolve(context) for value in self.values))
        html = _parts.get(key)
        if html is None:
            with context.update({"csrf_token": CSRF_SLOT}):
                html = str(self.nodelist.render(context))
            _parts.put(key, html)
        return mark_safe(with_csrf(html, request))


@register.tag
def memo(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("memo takes the part's name and the values it shows")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])


def clear() -> None:
    _parts.clear()
