"""Event registration as a visitor experiences it: the form, the messages, the emails."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from cms import services
from cms.models import EventRegistration

from .factories import make_event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def form_data(**overrides):
    data = {
        "name": "Anouk Ambtenaar",
        "email": "anouk@veenendaal.example",
        "organisation": "Gemeente Veenendaal",
        "job_title": "Strategisch beleidsadviseur",
        "extra_participants": "",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def register(client, committed):
    def _register(event, **overrides):
        with committed():
            return client.post(event.url + event.reverse_subpage("register"), form_data(**overrides), follow=True)

    return _register


def ics_of(message) -> icalendar.Event:
    (name, content, mimetype), = [a for a in message.attachments if a[0].endswith(".ics")]
    assert mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    return vevent


def test_registration_is_confirmed_by_email_with_cancel_link_and_ics_in_utc(agenda, register):
    start = datetime.datetime(2030, 10, 23, 16, 0, tzinfo=AMSTERDAM)
    event = make_event(agenda, start=start, title="Expertmeeting toekomstperspectief")

    response = register(event)

    assert response.status_code == 200
    assert "Je bent aangemeld. We hebben een bevestiging met een agenda-afspraak gestuurd naar anouk@veenendaal.example." in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["anouk@veenendaal.example"]
    assert message.subject == "Aanmelding bevestigd: Expertmeeting toekomstperspectief"
    assert "Beste Anouk Ambtenaar," in message.body
    assert "woensdag 23 oktober 2030" in message.body
    assert "16:00 tot 19:00 uur" in message.body
    registration = EventRegistration.objects.get()
    assert registration.cancel_token in message.body
    vevent = ics_of(message)
    # 16:00 in Amsterdam summer time is 14:00 UTC.
    assert vevent.decoded("dtstart") == datetime.datetime(2030, 10, 23, 14, 0, tzinfo=datetime.UTC)
    assert vevent.decoded("dtend") == datetime.datetime(2030, 10, 23, 17, 0, tzinfo=datetime.UTC)
    assert str(vevent["summary"]) == "Expertmeeting toekomstperspectief"
    assert "Voorbeeldplein 10" in str(vevent["location"])


def test_ics_download_has_the_start_in_utc(client, agenda):
    start = datetime.datetime(2031, 1, 15, 9, 30, tzinfo=AMSTERDAM)  # winter time: UTC+1
    event = make_event(agenda, start=start, title="Kennis- en netwerkdag")

    response = client.get(event.url + event.reverse_subpage("ics"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime.datetime(2031, 1, 15, 8, 30, tzinfo=datetime.UTC)
    assert str(vevent["summary"]) == "Kennis- en netwerkdag"


def test_a_full_event_puts_the_registrant_on_the_waiting_list_and_says_so(client, event, register):
    register(event, extra_participants="Cor Collega, beleidsmedewerker")  # takes both places
    mail.outbox.clear()

    response = register(event, name="Olga Buitenstaander", email="olga@goes.example")

    page = response.content.decode()
    assert "Deze bijeenkomst is vol. Je staat op de wachtlijst (nummer 1)." in page
    olga = EventRegistration.objects.get(email="olga@goes.example")
    assert olga.status == EventRegistration.Status.WAITING
    (message,) = mail.outbox
    assert message.subject == f"Je staat op de wachtlijst: {event.title}"
    assert message.attachments == []
    # The event page now tells the next visitor before they fill in the form.
    page = client.get(event.url).content.decode()
    assert "Vol: wachtlijst" in page
    assert "Zet me op de wachtlijst" in page


def test_places_left_are_shown(client, event, register):
    assert "Nog 2 plaatsen vrij" in client.get(event.url).content.decode()
    register(event)
    assert "Nog 1 plaats vrij" in client.get(event.url).content.decode()


def test_cancelling_promotes_the_first_person_waiting_who_is_emailed(client, event, register, committed):
    register(event, extra_participants="Cor Collega, beleidsmedewerker")  # 2 of 2 places
    register(event, name="Bram", email="bram@zeist.example", extra_participants="Collega van Bram")  # waits, 2 places
    register(event, name="Gijs", email="gijs@goes.example")  # waits, 1 place
    anouk = EventRegistration.objects.get(email="anouk@veenendaal.example")
    cancel_url = f"{event.url}{event.reverse_subpage('cancel', args=[anouk.cancel_token])}"
    assert cancel_url in mail.outbox[0].body
    mail.outbox.clear()

    confirm_page = client.get(cancel_url).content.decode()
    assert "Wil je de aanmelding van Anouk Ambtenaar (anouk@veenendaal.example) intrekken?" in confirm_page
    with committed():
        response = client.post(cancel_url, follow=True)

    assert "Je bent afgemeld. Bedankt dat je het laat weten." in response.content.decode()
    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert statuses == {
        "anouk@veenendaal.example": "cancelled",
        "bram@zeist.example": "confirmed",  # first in line, and both places fit
        "gijs@goes.example": "waiting",  # no place left after Bram and his colleague
    }
    (message,) = mail.outbox
    assert message.to == ["bram@zeist.example"]
    assert message.subject == f"Er is een plaats voor je vrijgekomen: {event.title}"
    assert "Goed nieuws: er is een plaats vrijgekomen en die is voor jou." in message.body
    assert ics_of(message).decoded("dtstart") == event.start.astimezone(datetime.UTC)


def test_nobody_skips_the_queue(event, committed):
    def create(email, extra=()):
        with committed():
            return services.registration_create(
                event=event, name="Iemand", email=email, organisation="Gemeente", job_title="Adviseur",
                extra_participants=list(extra),
            )

    first = create("a@example.org")  # 1 place
    create("b@example.org")  # 1 place: full
    waiting_big = create("c@example.org", extra=["Collega"])  # needs 2
    waiting_small = create("d@example.org")  # needs 1, but is behind c
    assert waiting_big.waiting_position == 1 and waiting_small.waiting_position == 2

    with committed():
        promoted = services.registration_cancel(registration=first.registration)

    assert promoted == []  # one place free; c needs two and d may not pass c
    with committed():
        promoted = services.registration_cancel(registration=EventRegistration.objects.get(email="b@example.org"))
    assert [r.email for r in promoted] == ["c@example.org"]


def test_registration_closes_at_its_deadline(client, agenda, register):
    event = make_event(agenda, registration_deadline=timezone.now() - datetime.timedelta(hours=1))

    page = client.get(event.url).content.decode()
    assert "De aanmelding is gesloten sinds" in page
    assert 'name="email"' not in page

    response = register(event)
    assert response.status_code == 400
    assert "De aanmelding is gesloten sinds" in response.content.decode()
    assert not EventRegistration.objects.exists()
    assert mail.outbox == []


def test_a_past_event_takes_no_registrations(client, agenda, register):
    event = make_event(agenda, days_ahead=-3)
    assert "Deze bijeenkomst heeft plaatsgevonden." in client.get(event.url).content.decode()
    assert register(event).status_code == 400
    assert not EventRegistration.objects.exists()


def test_registering_twice_with_the_same_email_gives_a_clear_message_and_no_second_row(event, register):
    register(event)
    mail.outbox.clear()

    response = register(event, email="Anouk@Veenendaal.EXAMPLE ")

    assert response.status_code == 400
    assert "Met dit e-mailadres ben je al aangemeld voor deze bijeenkomst." in response.content.decode()
    assert EventRegistration.objects.count() == 1
    assert mail.outbox == []


def test_someone_who_cancelled_can_register_again_without_a_second_row(event, register):
    register(event)
    services.registration_cancel(registration=EventRegistration.objects.get())

    response = register(event)

    assert "Je bent aangemeld." in response.content.decode()
    registration = EventRegistration.objects.get()
    assert registration.status == EventRegistration.Status.CONFIRMED


def test_a_bad_email_address_is_refused_with_a_message_linked_to_the_field(event, register):
    response = register(event, email="anouk-at-veenendaal")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl." in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_email_error id_email_helptext"' in page
    assert not EventRegistration.objects.exists()


def test_missing_fields_are_refused_with_a_message_per_field(event, register):
    response = register(event, name="", organisation="  ", job_title="")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Controleer het volgende" in page
    assert "Vul je naam in." in page
    assert "Vul de organisatie in waar je werkt." in page
    assert "Vul je functie in." in page
    assert not EventRegistration.objects.exists()
    assert mail.outbox == []


def test_too_many_colleagues_are_refused(event, register):
    response = register(event, extra_participants="Een\nTwee\nDrie")

    assert response.status_code == 400
    assert "Je kunt maximaal 2 collega&#x27;s met je mee aanmelden." in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_the_honeypot_stops_bots(event, register):
    response = register(event, website="https://spam.example")

    assert response.status_code == 400
    assert "Je aanmelding kon niet worden verwerkt." in response.content.decode()
    assert not EventRegistration.objects.exists()
    assert mail.outbox == []


def test_the_rate_limit_stops_floods(settings, event, register):
    settings.CMS_RATE_LIMITS = {"registration": (2, 600)}
    register(event, email="een@example.org")
    register(event, email="twee@example.org")

    response = register(event, email="drie@example.org")

    assert response.status_code == 429
    assert "Er zijn te veel aanmeldingen verstuurd vanaf jouw verbinding." in response.content.decode()
    assert set(EventRegistration.objects.values_list("email", flat=True)) == {"een@example.org", "twee@example.org"}


def test_a_bad_cancel_link_answers_404(client, event, register, agenda):
    register(event)
    other = make_event(agenda, title="Andere bijeenkomst")
    token = EventRegistration.objects.get().cancel_token

    assert client.get(event.url + event.reverse_subpage("cancel", args=["kapot"])).status_code == 404
    assert client.get(other.url + other.reverse_subpage("cancel", args=[token])).status_code == 404
    assert client.post(other.url + other.reverse_subpage("cancel", args=[token])).status_code == 404
    assert EventRegistration.objects.get().status == EventRegistration.Status.CONFIRMED


def test_raising_the_capacity_gives_waiting_people_a_place(event, register, committed):
    register(event, extra_participants="Cor Collega")  # 2 of 2 places
    register(event, name="Olga", email="olga@goes.example")  # waiting
    mail.outbox.clear()

    event.capacity = 3
    with committed():
        event.save_revision().publish()  # as a moderator does in the admin

    assert EventRegistration.objects.get(email="olga@goes.example").status == EventRegistration.Status.CONFIRMED
    (message,) = mail.outbox
    assert message.to == ["olga@goes.example"]
    assert message.subject.startswith("Er is een plaats voor je vrijgekomen")
