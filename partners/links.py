"""Links into other apps, robust against routes those apps add later."""

from django.urls import NoReverseMatch, reverse


def thread_url(message) -> str:
    """The thread a forwarded question became (communities:thread), else its channel or circle."""
    channel = message.channel
    circle_slug = channel.circle.slug
    for name, args in (
        ("communities:thread", [circle_slug, channel.slug, message.pk]),
        ("communities:channel", [circle_slug, channel.slug]),
        ("communities:circle", [circle_slug]),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""
