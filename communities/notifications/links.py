"""Links to things notifications and search results point at (DESIGN.md, "URLs")."""

from django.urls import NoReverseMatch, reverse

from communities.models import Circle, Message


def circle_url(circle: Circle) -> str:
    try:
        return reverse("communities:circle", args=[circle.slug])
    except NoReverseMatch:
        return f"/kringen/{circle.slug}/"


def message_url(message: Message) -> str:
    """The thread page, scrolled to the message. Needs message.channel.circle loaded."""
    channel = message.channel
    thread = message.thread_id or message.pk
    try:
        base = reverse("communities:thread", args=[channel.circle.slug, channel.slug, thread])
    except NoReverseMatch:
        base = f"/kringen/{channel.circle.slug}/kanalen/{channel.slug}/{thread}/"
    return f"{base}#message-{message.pk}"
