"""`{% live_client %}`: the live client module with its translated texts (static/js/live.js)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _

register = template.Library()


def live_texts() -> dict[str, str]:
    return {
        "deleted": _("This message has been deleted."),
        "hidden": _("This message has been hidden by a facilitator."),
        "edited": _("edited"),
        "inReplyTo": _("In reply to"),
        "earlierMessage": _("an earlier message"),
        "typingOne": _("%(name)s is typing…"),
        "typingTwo": _("%(first)s and %(second)s are typing…"),
        "typingMany": _("Several people are typing…"),
        "offline": _("The connection was lost. Reconnecting…"),
        "resync": _("Many new messages have arrived."),
        "reload": _("Reload the page"),
        "locked": _("This channel is closed: no new messages can be posted."),
        "newMessage": _("New message from %(name)s"),
        "loggedOut": _("You have been logged out. Log in again to continue."),
    }


@register.simple_tag
def live_client():
    """The texts as inert JSON (allowed by the CSP) and the module that reads them."""
    return format_html(
        '{}<script type="module" src="{}"></script>', json_script(live_texts(), "lk-live-texts"), static("js/live.js")
    )
