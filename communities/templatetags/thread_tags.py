"""Tags for the thread templates, which a channel page runs for a few hundred messages.

`{% reaction_buttons %}`: the buttons of a message's reaction form (includes/reactions.html).

A channel page shows five buttons under each of a few hundred messages, and most of them are
alike ("nobody yet", "3, not mine"). Rendering them through the template engine was a large
share of the page's time; here each distinct button is built once and then reused.

`{% live_message_node %}`: a stand-in message for the controls that the live client copies under a
message it inserts (includes/live_message_controls.html).

`{% message_time %}`: a message's <time> element, the same as the `date` filter's "c" and
"j b Y, H:i" without parsing both formats again for every message.
"""

from functools import lru_cache
from types import SimpleNamespace

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from communities.selectors import no_reactions

register = template.Library()

# The placeholders live.js replaces with a live message's id and its thread's id.
LIVE_MESSAGE_ID = "__message__"
LIVE_THREAD_ID = "__thread__"


@register.simple_tag
def reaction_buttons(reactions, can_post):
    return mark_safe("".join(_button(r.kind, r.emoji, r.label, r.count, r.mine, bool(can_post)) for r in reactions))


@lru_cache(maxsize=4096)
def _button(kind: str, emoji: str, label: str, count: int, mine: bool, can_post: bool) -> str:
    return format_html(
        '<button type="submit" name="kind" value="{}" aria-pressed="{}" title="{}"{}{}>'
        '<span aria-hidden="true">{}</span><span class="lk-visually-hidden">{}</span>{}</button>',
        kind,
        "true" if mine else "false",
        label,
        "" if can_post else mark_safe(" disabled"),
        "" if count else mark_safe(' class="lk-reaction--none"'),
        emoji,
        label,
        format_html(' <span class="lk-reaction__count">{}</span>', count) if count else "",
    )


@register.simple_tag
def live_message_node():
    return SimpleNamespace(message=SimpleNamespace(pk=LIVE_MESSAGE_ID, thread_id=LIVE_THREAD_ID), reactions=no_reactions())


@register.simple_tag
def message_time(value):
    local = timezone.localtime(value)
    shown = f"{local.day} {MONTHS_3[local.month]} {local.year}, {local:%H:%M}"
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), shown)
