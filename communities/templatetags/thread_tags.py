"""Tags for the thread templates; the HTML itself is built in communities/thread_html.py.

`{% thread_html thread %}`: one thread (the thread page; the channel page's threads come from
communities/channel_page.py).

`{% reactions_form node %}`: what a message's reaction form holds (the answer to an htmx
reaction, swapped into the form).

`{% live_message_controls %}`: the controls the live client copies under a message it inserts
(includes/live_message_controls.html), with `__message__`/`__thread__` for the ids.
"""

from django import template
from django.utils.safestring import mark_safe

from communities import thread_html as html
from communities.selectors import no_reactions

register = template.Library()


@register.simple_tag(takes_context=True)
def thread_html(context, thread):
    return html.ThreadRenderer(context).render([thread])


@register.simple_tag(takes_context=True)
def reactions_form(context, node):
    return mark_safe(html.Controls(context).reactions_inside(node.reactions))


@register.simple_tag(takes_context=True)
def live_message_controls(context):
    controls = html.Controls(context)
    return mark_safe(
        controls.reactions(html.LIVE_MESSAGE_ID, no_reactions()) + "\n" + controls.actions(own=None, saved=False)
    )
