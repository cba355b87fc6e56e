"""User-written Markdown to safe HTML. No user-supplied HTML ever reaches a page.

markdown-it renders with raw HTML disabled; nh3 (ammonia) then keeps only an allow-list of
tags and attributes and only http(s)/mailto links, as a second line of defence.
"""

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(["strikethrough", "table"])

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
HEADING = re.compile(r"<(/?)h[12]>")
MENTION = re.compile(r"(?<![\w@])@([\w.+-]{2,150})")


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown(source: str, *, mention_link: Callable[[str], str | None] | None = None) -> str:
    """Render Markdown; `mention_link(handle)` returns the HTML for a known @handle, else None."""
    html = _markdown.render(source)
    html = HEADING.sub(r"<\1h3>", html)  # page headings belong to the page, not to a message
    if mention_link is not None:
        html = _link_mentions(html, mention_link)
    return sanitise_html(html).strip()


def _link_mentions(html: str, mention_link: Callable[[str], str | None]) -> str:
    # Only touch text between tags, never attributes, code or existing links.
    parts = re.split(r"(<[^>]+>)", html)
    inside_code_or_link = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            tag = part.lstrip("</").split(" ")[0].rstrip(">").lower()
            if tag in {"code", "pre", "a"}:
                inside_code_or_link += -1 if part.startswith("</") else 1
            continue
        if inside_code_or_link <= 0 and "@" in part:
            parts[index] = MENTION.sub(lambda m: mention_link(m.group(1)) or m.group(0), part)
    return "".join(parts)


def mentioned_handles(source: str) -> set[str]:
    return set(MENTION.findall(source))
