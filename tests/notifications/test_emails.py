"""Immediate emails: language, two parts, one-click unsubscribe, nothing confidential."""

import pytest
from django.core import mail

from communities.models import Delivery, NotificationKind, NotificationPreference
from communities.notifications.emails import unsubscribe_token
from communities.notifications.services import notify, preferences_for
from communities import services

pytestmark = pytest.mark.django_db


def mention(author, channel, body, run_on_commit):
    return run_on_commit(services.message_post, author=author, channel=channel, body=body)


def test_email_in_dutch_with_text_and_html_parts(channel, official, expert, run_on_commit):
    mention(official, channel, "Kun jij hiernaar kijken, @bram?", run_on_commit)
    [email] = mail.outbox
    assert email.to == [expert.email]
    assert email.subject == "[Leerkring] Anouk de Vries noemde je in #algemeen"
    assert "Hallo Bram Jansen," in email.body
    assert "Kun jij hiernaar kijken, @Bram Jansen?" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "Bekijk het op Leerkring" in html
    assert 'lang="nl"' in html


def test_email_in_english_for_who_chose_english(channel, official, expert, run_on_commit):
    expert.profile.language = "en"
    expert.profile.save()
    mention(official, channel, "@bram look", run_on_commit)
    [email] = mail.outbox
    assert email.subject == "[Leerkring] Anouk de Vries mentioned you in #algemeen"
    assert "Hello Bram Jansen," in email.body
    assert 'lang="en"' in email.alternatives[0][0]


def test_email_carries_one_click_unsubscribe_headers_and_link(channel, official, expert, run_on_commit, client):
    mention(official, channel, "@bram", run_on_commit)
    [email] = mail.outbox
    header = email.extra_headers["List-Unsubscribe"]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in email.body and url in email.alternatives[0][0]
    path = url.removeprefix("http://127.0.0.1:8000")
    # RFC 8058: the mail client POSTs without cookies or CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response.content.decode() == "Je bent afgemeld."
    assert preferences_for(expert)[NotificationKind.MENTION] == Delivery.IN_APP
    mail.outbox.clear()
    mention(official, channel, "@bram nog eens", run_on_commit)
    assert mail.outbox == []


def test_unsubscribe_link_asks_before_it_acts_in_a_browser(client, expert):
    token = unsubscribe_token(user_id=expert.pk, scope=NotificationKind.MENTION)
    response = client.get(f"/meldingen/afmelden/{token}/")
    assert response.status_code == 200
    assert "E-mails stoppen voor: Iemand noemt je?" in response.content.decode()
    assert preferences_for(expert)[NotificationKind.MENTION] == Delivery.IMMEDIATE
    response = client.post(f"/meldingen/afmelden/{token}/")
    assert "Je krijgt geen e-mails meer voor: Iemand noemt je." in response.content.decode()
    assert preferences_for(expert)[NotificationKind.MENTION] == Delivery.IN_APP


def test_forged_unsubscribe_token_changes_nothing(client, expert):
    token = unsubscribe_token(user_id=expert.pk, scope=NotificationKind.MENTION)
    forged = token.replace(token.split(":")[0], unsubscribe_token(user_id=expert.pk + 1, scope="mention").split(":")[0])
    response = client.post(f"/meldingen/afmelden/{forged}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404
    assert "Deze afmeldlink is niet geldig" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_confidential_case_never_shows_its_content_in_an_email(circle, official, expert, run_on_commit):
    run_on_commit(
        notify,
        kind=NotificationKind.CASE_CONTRIBUTION,
        recipients=[official],
        actor=expert,
        circle=circle,
        event_key="case:1:question:1",
        url="/kringen/wonen/casussen/1/",
        data={"title": "Schuldhulp bij familie Jansen", "contribution": "question", "excerpt": "Heeft de familie"},
        confidential=True,
    )
    [email] = mail.outbox
    everything = email.subject + email.body + email.alternatives[0][0]
    assert "Jansen" not in everything.replace("Bram Jansen", "")
    assert "Schuldhulp" not in everything and "familie" not in everything
    assert email.subject == "[Leerkring] Bram Jansen stelde een vraag over je casus in Kring Wonen"


def test_new_confidential_case_says_only_that_there_is_a_case(circle, official, expert, run_on_commit):
    run_on_commit(
        notify,
        kind=NotificationKind.CASE_NEW,
        recipients=[official],
        actor=expert,
        circle=circle,
        event_key="case_new:1",
        data={"title": "Schuldhulp bij familie Jansen"},
        confidential=True,
    )
    NotificationPreference.objects.update_or_create(
        user=official, kind=NotificationKind.CASE_NEW, defaults={"delivery": Delivery.IMMEDIATE}
    )
    run_on_commit(
        notify,
        kind=NotificationKind.CASE_NEW,
        recipients=[official],
        actor=expert,
        circle=circle,
        event_key="case_new:2",
        data={"title": "Schuldhulp bij familie Jansen"},
        confidential=True,
    )
    [email] = mail.outbox
    assert email.subject == "[Leerkring] Er is een nieuwe casus ingebracht in Kring Wonen"
    assert "Schuldhulp" not in email.body and "Bram" not in email.body


def test_a_failing_mail_server_leaves_the_email_pending(channel, official, expert, run_on_commit, settings):
    from communities.models import Notification

    settings.EMAIL_BACKEND = "tests.notifications.mailbackends.AlwaysFailing"
    mention(official, channel, "@bram", run_on_commit)
    [notification] = Notification.objects.filter(recipient=expert)
    assert notification.email_state == Notification.EmailState.PENDING
