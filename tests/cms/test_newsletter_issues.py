"""Editors compose a newsletter issue in the admin, test it on themselves and send it once to every subscriber."""

import re
import smtplib
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms import newsletter, services
from cms.models import NewsletterDelivery, NewsletterIssue, NewsletterSubscription
from tests.factories import UserFactory

from .factories import NewsIndexPage, NewsPage, add, paragraph

ADMIN = "/cms/snippets/cms/newsletterissue"
Status = NewsletterSubscription.Status


def subscriber(email: str, status: str = Status.ACTIVE, language: str = "nl") -> NewsletterSubscription:
    confirmed = timezone.now() if status != Status.PENDING else None
    return NewsletterSubscription.objects.create(email=email, status=status, confirmed_at=confirmed, language=language)


@pytest.fixture
def subscribers(db):
    return [
        subscriber("anouk@veenendaal.example"),
        subscriber("cor@zeist.example", language="en"),
        subscriber("piet@pending.example", Status.PENDING),
        subscriber("olga@weg.example", Status.UNSUBSCRIBED),
    ]


@pytest.fixture
def issue(event):
    return NewsletterIssue.objects.create(
        subject="Nieuwsbrief november",
        intro="Dit is het nieuws van deze maand.",
        body=[("heading", {"heading_text": "Terugblik", "size": "h2"}),
              paragraph(f'<p>Lees het <a linktype="page" id="{event.pk}">programma</a> & doe mee.</p>'),
              ("call_to_action", {"title": "Doe mee", "text": "", "page": None,
                                  "url": "https://example.org/enquete", "button_label": "Vul de enquête in"})],
        featured_pages=[("page", event)],
    )


@pytest.fixture
def writer(db):
    """May compose issues and send tests, but not send to the subscribers."""
    user = UserFactory(username="wim-schrijver", is_staff=True)
    codenames = ["access_admin", "add_newsletterissue", "change_newsletterissue", "view_newsletterissue"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def send_page(issue) -> str:
    return f"{ADMIN}/send/{issue.pk}/"


def send_issue(client, issue, committed):
    with committed():
        return client.post(send_page(issue), {"action": "send", "confirm": "on"}, follow=True)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def html_part(message) -> str:
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    return html


def test_an_editor_composes_an_issue_and_previews_it(client, editor, event):
    client.force_login(editor)
    data = nested_form_data({
        "subject": "Nieuwsbrief december",
        "intro": "Het laatste nieuws van het jaar.",
        "body": streamfield([("paragraph", rich_text("<p>Fijne feestdagen!</p>"))]),
        "featured_pages": streamfield([("page", event.pk)]),
    })

    response = client.post(f"{ADMIN}/add/", data)

    assert response.status_code == 302
    issue = NewsletterIssue.objects.get()
    assert issue.subject == "Nieuwsbrief december"
    assert issue.get_status_display() == "concept"
    listing = client.get(f"{ADMIN}/").content.decode()
    assert "Nieuwsbrief december" in listing and "Versturen…" in listing

    preview_url = f"{ADMIN}/preview/{issue.pk}/"
    assert client.post(preview_url, data).json()["is_valid"]
    preview = client.get(preview_url).content.decode()
    assert "Fijne feestdagen!" in preview
    assert "Expertmeeting middelgrote gemeenten" in preview  # the featured event, with its date
    assert "Afmelden met één klik" in preview


def test_a_test_goes_only_to_the_editor(client, editor, issue, subscribers, committed):
    client.force_login(editor)
    assert "Stuur test naar mij" in client.get(send_page(issue)).content.decode()

    with committed():
        page = client.post(send_page(issue), {"action": "test"}, follow=True).content.decode()

    assert f"Er is een test verstuurd naar {editor.email}." in page
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == "[Test] Nieuwsbrief november"
    assert "Dit is een testmail." in message.body
    assert not NewsletterDelivery.objects.exists()
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.DRAFT


def test_sending_reaches_exactly_the_confirmed_subscribers(client, editor, issue, subscribers, committed, event):
    client.force_login(editor)
    page = client.get(send_page(issue)).content.decode()
    assert "Dit nummer gaat naar 2 bevestigde abonnees." in page

    unconfirmed = client.post(send_page(issue), {"action": "send"})
    assert unconfirmed.status_code == 400
    assert "Vink het vakje aan" in unconfirmed.content.decode()
    assert mail.outbox == []

    page = send_issue(client, issue, committed).content.decode()

    assert "De nieuwsbrief wordt verstuurd naar alle bevestigde abonnees." in page
    assert recipients() == ["anouk@veenendaal.example", "cor@zeist.example"]
    message = mail.outbox[0]
    assert message.subject == "Nieuwsbrief november"
    assert "TERUGBLIK" in message.body
    assert f"Lees het programma (http://127.0.0.1:8000{event.url}) & doe mee." in message.body
    assert "Vul de enquête in: https://example.org/enquete" in message.body
    assert "Ook op Leerkring" in message.body
    html = html_part(message)
    assert f'<a href="http://127.0.0.1:8000{event.url}">programma</a>' in html
    assert "Je ontvangt deze nieuwsbrief omdat je je hebt aangemeld" in html
    # An English-speaking subscriber gets the Dutch issue with Dutch words around it.
    english = next(m for m in mail.outbox if m.to == ["cor@zeist.example"])
    assert "Meld je af met één klik:" in english.body
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert "Dit nummer is op" in client.get(send_page(issue)).content.decode()


def test_sending_twice_sends_nothing_new(client, editor, issue, subscribers, committed):
    client.force_login(editor)
    send_issue(client, issue, committed)
    mail.outbox.clear()
    subscriber("nieuw@later.example")  # confirmed after the issue went out

    page = send_issue(client, issue, committed).content.decode()
    call_command("send_newsletters", stdout=StringIO())
    newsletter.newsletter_issue_deliver(issue_id=issue.pk)

    assert "Dit nummer is al verstuurd." in page
    assert mail.outbox == []
    assert NewsletterDelivery.objects.filter(state=NewsletterDelivery.State.SENT).count() == 2


class Crash(BaseException):
    """The worker process stops (deploy, out of memory) in the middle of the mailing."""


def test_a_crash_halfway_then_resume_sends_the_rest_and_nobody_twice(editor, issue, subscribers, committed,
                                                                      monkeypatch):
    for n in range(3):
        subscriber(f"lid{n}@example.org")  # five confirmed subscribers in all
    send = EmailBackend.send_messages
    calls = {"n": 0}

    def crash_on_the_third(self, messages):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", crash_on_the_third)
    with committed():  # the task runner records the crash as a failed task
        newsletter.newsletter_issue_send(issue=issue, user=editor)

    assert len(mail.outbox) == 2
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENDING
    monkeypatch.setattr(EmailBackend, "send_messages", send)

    out = StringIO()
    call_command("send_newsletters", stdout=out)
    call_command("send_newsletters", stdout=out)

    assert "2 sent" in out.getvalue()
    # The third mail may have left before the crash: not sent again, so one subscriber is left out.
    everyone = sorted(["anouk@veenendaal.example", "cor@zeist.example"] + [f"lid{n}@example.org" for n in range(3)])
    assert len(recipients()) == 4 and set(recipients()) < set(everyone)
    assert NewsletterDelivery.objects.filter(state=NewsletterDelivery.State.SENDING).count() == 1
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENT


class FakeSMTP:
    """An SMTP server for Django's SMTP backend: records the mails it accepts; `refuse` and `quit_error`
    let a test make it refuse an address or fail while closing the connection."""

    accepted: list[str] = []
    connections = 0
    refuse: dict = {}
    quit_error = None

    def __init__(self, *args, **kwargs):
        FakeSMTP.connections += 1

    def sendmail(self, from_addr, to_addrs, message):
        (address,) = to_addrs
        if address in self.refuse:
            raise self.refuse[address]
        FakeSMTP.accepted.append(address)
        return {}

    def quit(self):
        if self.quit_error:
            raise self.quit_error

    def close(self):
        pass


@pytest.fixture
def smtp_server(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "accepted", [])
    monkeypatch.setattr(FakeSMTP, "connections", 0)
    monkeypatch.setattr(FakeSMTP, "refuse", {})
    return FakeSMTP


def start_sending(issue, editor):
    NewsletterIssue.objects.filter(pk=issue.pk).update(send_requested_at=timezone.now(), send_requested_by=editor)


def test_an_error_while_closing_the_connection_does_not_send_the_issue_again(editor, issue, subscribers,
                                                                              smtp_server, monkeypatch):
    monkeypatch.setattr(smtp_server, "quit_error", smtplib.SMTPResponseException(421, b"closing"))
    start_sending(issue, editor)

    call_command("send_newsletters", stdout=StringIO())
    call_command("send_newsletters", stdout=StringIO())

    assert sorted(smtp_server.accepted) == ["anouk@veenendaal.example", "cor@zeist.example"]
    assert smtp_server.connections == 1  # one connection for the whole run
    assert NewsletterDelivery.objects.filter(state=NewsletterDelivery.State.SENT).count() == 2
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENT


def test_a_mail_that_may_have_gone_out_is_not_sent_again_and_the_rest_still_go(editor, issue, subscribers,
                                                                               smtp_server):
    smtp_server.refuse["anouk@veenendaal.example"] = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    start_sending(issue, editor)
    err = StringIO()

    call_command("send_newsletters", stdout=StringIO(), stderr=err)
    del smtp_server.refuse["anouk@veenendaal.example"]
    call_command("send_newsletters", stdout=StringIO(), stderr=err)

    assert smtp_server.accepted == ["cor@zeist.example"]
    assert "may have received the mail" in err.getvalue()
    anouk = NewsletterDelivery.objects.get(subscription__email="anouk@veenendaal.example")
    assert anouk.state == NewsletterDelivery.State.SENDING and anouk.attempts == 1
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENT


def test_an_address_refused_for_good_does_not_hold_the_issue_up(editor, issue, subscribers, smtp_server):
    refusal = smtplib.SMTPRecipientsRefused({"cor@zeist.example": (550, b"5.1.1 No such user")})
    smtp_server.refuse["cor@zeist.example"] = refusal
    start_sending(issue, editor)
    out = StringIO()

    call_command("send_newsletters", stdout=out)  # no CommandError: running again cannot help
    call_command("send_newsletters", stdout=out)

    assert smtp_server.accepted == ["anouk@veenendaal.example"]
    assert "1 sent, 0 skipped, 0 failed, 1 abandoned" in out.getvalue()
    cor = NewsletterDelivery.objects.get(subscription__email="cor@zeist.example")
    assert (cor.state, cor.attempts) == (NewsletterDelivery.State.ABANDONED, 1)
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENT


def test_a_temporary_refusal_is_retried_up_to_the_limit(client, editor, issue, subscribers, smtp_server):
    anouk, cor = subscribers[:2]
    # A worker that died between claiming Anouk's mail and recording it: it may have gone out.
    NewsletterDelivery.objects.create(issue=issue, subscription=anouk, claimed_at=timezone.now())
    smtp_server.refuse["cor@zeist.example"] = smtplib.SMTPDataError(451, b"4.3.0 Try again later")
    start_sending(issue, editor)

    for attempt in range(1, newsletter.MAX_ATTEMPTS):
        with pytest.raises(CommandError, match="1 newsletter mails could not be sent"):
            call_command("send_newsletters", stdout=StringIO())
        assert NewsletterDelivery.objects.get(subscription=cor).attempts == attempt
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENDING
    call_command("send_newsletters", stdout=StringIO())  # the last attempt: given up, no error
    call_command("send_newsletters", stdout=StringIO())

    assert smtp_server.accepted == []
    cor_delivery = NewsletterDelivery.objects.get(subscription=cor)
    assert (cor_delivery.state, cor_delivery.attempts) == (NewsletterDelivery.State.ABANDONED, newsletter.MAX_ATTEMPTS)
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENT
    client.force_login(editor)
    assert "Mislukt, wordt niet opnieuw geprobeerd" in client.get(send_page(issue)).content.decode()


def test_the_unsubscribe_link_in_the_newsletter_works_and_the_headers_are_present(client, editor, issue, subscribers,
                                                                                   committed):
    client.force_login(editor)
    send_issue(client, issue, committed)
    message = next(m for m in mail.outbox if m.to == ["anouk@veenendaal.example"])

    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url.startswith("http://127.0.0.1:8000/nieuwsbrief/afmelden/")
    assert f"Meld je af met één klik:\n{unsubscribe_url}" in message.body
    assert f'<a href="{unsubscribe_url}"' in html_part(message)
    others = [m.extra_headers["List-Unsubscribe"] for m in mail.outbox if m is not message]
    assert message.extra_headers["List-Unsubscribe"] not in others  # a link per subscriber

    response = Client(enforce_csrf_checks=True).post(
        re.sub(r"^https?://[^/]+", "", unsubscribe_url), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert NewsletterSubscription.objects.get(email="anouk@veenendaal.example").status == Status.UNSUBSCRIBED
    mail.outbox.clear()
    second = NewsletterIssue.objects.create(subject="Nieuwsbrief december")
    send_issue(client, second, committed)
    assert recipients() == ["cor@zeist.example"]


def test_only_users_with_the_send_permission_can_send(client, writer, issue, subscribers, committed):
    client.force_login(writer)
    assert "Test versturen…" in client.get(f"{ADMIN}/edit/{issue.pk}/").content.decode()
    page = client.get(send_page(issue)).content.decode()
    assert "Stuur test naar mij" in page
    assert "Verstuur naar" not in page

    with committed():
        response = client.post(send_page(issue), {"action": "send", "confirm": "on"}, follow=True)

    # Wagtail answers a PermissionDenied in the admin with its dashboard and this message.
    assert response.redirect_chain == [("/cms/", 302)]
    assert "Sorry, je hebt geen toegang tot dit gedeelte." in response.content.decode()
    assert mail.outbox == []
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.DRAFT

    official = UserFactory(username="olga-ambtenaar")
    client.force_login(official)
    assert client.post(send_page(issue), {"action": "send", "confirm": "on"}).status_code in (302, 403)
    assert mail.outbox == []


def test_a_sent_issue_can_no_longer_be_changed_or_deleted(client, editor, issue, subscribers, committed):
    client.force_login(editor)
    send_issue(client, issue, committed)

    for url in (f"{ADMIN}/edit/{issue.pk}/", f"{ADMIN}/delete/{issue.pk}/"):
        response = client.post(url, {"subject": "Iets anders"}, follow=True)
        assert "Dit nummer is verstuurd en kan niet meer worden gewijzigd." in response.content.decode()
    assert NewsletterIssue.objects.get().subject == "Nieuwsbrief november"


def test_editors_and_moderators_may_send_from_a_migration(db):
    for name in ("Editors", "Moderators"):
        assert Permission.objects.filter(group__name=name, codename="send_newsletterissue").exists()



def test_a_members_data_export_lists_the_issues_they_received(editor, issue, subscribers, committed):
    member = UserFactory(username="anouk")  # verified address anouk@example.org
    subscriber("anouk@example.org")
    with committed():
        newsletter.newsletter_issue_send(issue=issue, user=editor)

    from cms.privacy import export_newsletter

    (exported,) = export_newsletter(member)
    assert [received["subject"] for received in exported["issues_received"]] == ["Nieuwsbrief november"]


def test_a_sent_issue_survives_the_bulk_delete_action_and_a_draft_does_not(client, editor, issue, subscribers,
                                                                           committed):
    client.force_login(editor)
    send_issue(client, issue, committed)
    draft = NewsletterIssue.objects.create(subject="Nieuwsbrief december")
    bulk_delete = f"/cms/bulk/cms/newsletterissue/delete/?id={issue.pk}&id={draft.pk}"

    confirm = client.get(bulk_delete).content.decode()
    client.post(bulk_delete)

    assert "Nieuwsbrief november" in confirm and "Nieuwsbrief december" in confirm
    assert list(NewsletterIssue.objects.values_list("subject", flat=True)) == ["Nieuwsbrief november"]
    assert NewsletterDelivery.objects.filter(issue=issue).count() == 2


def test_the_deliveries_of_an_issue_keep_it_from_being_deleted_in_code(editor, issue, subscribers, committed):
    with committed():
        newsletter.newsletter_issue_send(issue=issue, user=editor)

    with pytest.raises(ProtectedError):
        NewsletterIssue.objects.filter(pk=issue.pk).delete()
    assert NewsletterDelivery.objects.filter(issue=issue).count() == 2


def test_a_featured_page_behind_a_login_is_left_out_of_the_mail(editor, issue, subscribers, committed, home, event):
    members_only = add(home, NewsIndexPage(title="Voor leden", slug="voor-leden"))
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
    add(members_only, NewsPage(title="Verslag besloten werkgroep", slug="verslag", intro="Wat de werkgroep besprak."))
    hidden = NewsPage.objects.get(slug="verslag")
    issue.featured_pages = [("page", hidden), ("page", event)]
    issue.save()

    with committed():
        newsletter.newsletter_issue_send(issue=issue, user=editor)

    message = mail.outbox[0]
    for part in (message.body, html_part(message)):
        assert "Expertmeeting middelgrote gemeenten" in part
        assert "Verslag besloten werkgroep" not in part and "Wat de werkgroep besprak" not in part


def test_the_list_offers_edit_and_delete_for_drafts_only(client, editor, issue, subscribers, committed):
    client.force_login(editor)
    draft = NewsletterIssue.objects.create(subject="Nieuwsbrief december", intro="Binnenkort.")
    send_issue(client, issue, committed)

    html = client.get(f"{ADMIN}/").content.decode()
    assert f"{ADMIN}/edit/{draft.pk}/" in html and f"{ADMIN}/delete/{draft.pk}/" in html
    assert f"{ADMIN}/edit/{issue.pk}/" not in html and f"{ADMIN}/delete/{issue.pk}/" not in html
