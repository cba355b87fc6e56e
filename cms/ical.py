"""iCalendar (.ics) for an event, in UTC so that every calendar program reads the same moment."""

import datetime

from django.conf import settings
from icalendar import Calendar, Event, vText

PRODID = "-//Leerkring//Agenda//NL"


def event_uid(event) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "leerkring"
    return f"event-{event.pk}@{host}"


def event_calendar(event, *, url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    vevent = Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", datetime.datetime.now(datetime.UTC))
    vevent.add("dtstart", event.start.astimezone(datetime.UTC))
    vevent.add("dtend", event.end.astimezone(datetime.UTC))
    vevent.add("summary", event.title)
    location = ", ".join(part for part in [event.venue_name, event.venue_address_oneline] if part)
    if location:
        vevent.add("location", vText(location))
    description = event.intro
    if url:
        description = f"{description}\n\n{url}".strip()
        vevent.add("url", url)
    if description:
        vevent.add("description", description)
    calendar.add_component(vevent)
    return calendar.to_ical()


def ics_filename(event) -> str:
    return f"{event.slug}.ics"
