"""The channel page's threads are HTML shared by every reader of a channel version
(communities/channel_page.py): one reader's own messages, reactions, saved messages, new
messages, CSRF token and language never show on another reader's page, and no change to the
channel leaves a reader with the HTML of before.

Each test has a first reader load the page, so that the shared HTML is built and cached, then
acts, then has a reader load the page again and looks at what they see.
"""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _does_token_match, _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import channel_page, selectors, services
from communities.models import Membership
from communities.notifications.saved import saved_item_add
from tests.communities.conftest import _member, post
from tests.communities.test_query_counts import fill
from tests.factories import ChannelFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


# --- Readers and what they see ------------------------------------------------------------


def browser(user, *, enforce_csrf_checks: bool = False) -> Client:
    """A reader in a browser of their own (cookies: session, CSRF token, language)."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user)
    return client


def load(reader: Client, channel, query: str = "", **headers) -> str:
    response = reader.get(channel.get_absolute_url() + query, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert channel_page.CSRF_SLOT not in html  # the placeholder never reaches a browser
    return html


def load_counted(reader: Client, channel) -> tuple[str, bool]:
    """The page, and whether this request built threads itself (the replies query) rather than
    taking the shared HTML from the cache."""
    with CaptureQueriesContext(connection) as queries:
        html = load(reader, channel)
    return html, any("ROW_NUMBER" in q["sql"].upper() for q in queries.captured_queries)


def article(html: str, message_id: int) -> str:
    """One message's own markup, up to its replies."""
    start = html.index(f'id="message-{message_id}"')
    return html[start:html.index(f'data-replies-of="{message_id}"', start)]


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="lk-message[^"]*" id="message-(\d+)"', html)]


def threads(html: str) -> str:
    """The threads of the page, without the rest (sidebar, composer, header)."""
    start = html.index('<article class="lk-thread"')
    return html[start:html.rindex("</article>") + len("</article>")]


def pressed(html: str, message_id: int, kind: str) -> tuple[str, str]:
    """(aria-pressed, count) of one reaction button of a message; count "" when none."""
    match = re.search(
        rf'<button name="kind" value="{kind}" aria-pressed="(true|false)"[^>]*>'
        r'<span role="img"[^>]*>[^<]*</span>(?: <span class="lk-reaction__count">(\d+)</span>)?</button>',
        article(html, message_id),
    )
    assert match, article(html, message_id)
    return match.group(1), match.group(2) or ""


def own_controls(html: str, message_id: int) -> bool:
    """Edit and delete (the author's) rather than report (everybody else's)."""
    mine = article(html, message_id)
    edit = f'href="{message_id}/bewerken/"' in mine  # links relative to the channel page
    delete = f'href="{message_id}/verwijderen/"' in mine
    report = f'href="{message_id}/melden/"' in mine
    assert edit == delete != report, mine
    assert (">Bewerken<" in mine) == (">Verwijderen<" in mine) == edit and (">Melden<" in mine) == report
    return edit


def saved_button(html: str, message_id: int) -> str:
    match = re.search(rf'formaction="/bewaard/message/{message_id}/"[^>]*aria-pressed="(true|false)">([^<]+)</button>',
                      article(html, message_id))
    assert match, article(html, message_id)
    return f"{match.group(1)} {match.group(2)}"


def new_marks(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="lk-message[^"]*lk-message--new[^"]*" id="message-(\d+)"', html)]


def separators(html: str) -> int:
    return html.count('<p class="lk-new-marker" role="separator">Nieuw sinds je laatste bezoek</p>')


def first_new_link(html: str) -> int | None:
    match = re.search(r'<a href="#message-(\d+)">Ga naar het eerste nieuwe bericht sinds je laatste bezoek</a>', html)
    return match and int(match.group(1))


def version(channel) -> int:
    channel.refresh_from_db(fields=["content_version"])
    return channel.content_version


@pytest.fixture
def third(circle):
    """A third plain member, who reads the same shared HTML as official and official2."""
    return _member(circle, "dirk", name="Dirk Deelnemer")


@pytest.fixture(params=["same process", "another process"])
def elsewhere(request):
    """Called between two readers: in "another process" the second reader's shared HTML comes
    from the cache server (pickled), not from this process's own copies."""
    return channel_page.clear_process_cache if request.param == "another process" else (lambda: None)


# --- 1-3. One reader's part of the page is theirs alone -----------------------------------


def test_own_messages_get_edit_and_delete_and_others_report_on_the_same_cached_version(
        channel, official, official2, elsewhere):
    hers, his = post(official, channel, "Van Anouk"), post(official2, channel, "Van Cor")
    a, b = browser(official), browser(official2)
    html_a, built_a = load_counted(a, channel)
    before = version(channel)
    elsewhere()
    html_b, built_b = load_counted(b, channel)
    assert built_a and not built_b  # B's threads are the HTML A's request built
    assert version(channel) == before

    assert own_controls(html_a, hers.pk) and not own_controls(html_a, his.pk)
    assert own_controls(html_b, his.pk) and not own_controls(html_b, hers.pk)
    # And A, once more from the cache, still sees their own.
    elsewhere()
    html_a, built_a = load_counted(a, channel)
    assert not built_a
    assert own_controls(html_a, hers.pk) and not own_controls(html_a, his.pk)


def test_a_reaction_is_pressed_for_the_member_who_made_it_alone(channel, official, official2, third, elsewhere):
    message = post(official, channel, "Goed idee?")
    a, b = browser(official2), browser(third)
    load(a, channel)
    response = a.post(f"{channel.get_absolute_url()}{message.pk}/reactie/", {"kind": "idea"})
    assert response.status_code == 302
    html_a, built_a = load_counted(a, channel)  # A's request builds the new version
    elsewhere()
    html_b, built_b = load_counted(b, channel)
    assert built_a and not built_b
    assert pressed(html_a, message.pk, "idea") == ("true", "1")
    assert pressed(html_b, message.pk, "idea") == ("false", "1")
    assert pressed(html_a, message.pk, "heart") == pressed(html_b, message.pk, "heart") == ("false", "")
    # The author, a third reader of the same version, has not pressed it either.
    assert pressed(load(browser(official), channel), message.pk, "idea") == ("false", "1")

    services.reaction_toggle(user=official2, message=message, kind="idea")  # taken back
    assert pressed(load(b, channel), message.pk, "idea") == ("false", "")
    assert pressed(load(a, channel), message.pk, "idea") == ("false", "")


def test_a_saved_message_is_saved_for_the_member_who_saved_it_alone(channel, official, official2, third, elsewhere):
    message = post(official, channel, "Bewaar mij")
    a, b = browser(official2), browser(third)
    load(a, channel)
    before = version(channel)
    assert a.post(f"/bewaard/message/{message.pk}/", {"action": "save"}).status_code == 302
    html_a = load(a, channel)
    elsewhere()
    html_b, built_b = load_counted(b, channel)
    assert not built_b and version(channel) == before  # saving is nobody else's business
    assert saved_button(html_a, message.pk) == "true Bewaard"
    assert saved_button(html_b, message.pk) == "false Bewaren"

    assert a.post(f"/bewaard/message/{message.pk}/", {"action": "remove"}).status_code == 302
    assert saved_button(load(a, channel), message.pk) == "false Bewaren"


def test_the_reader_whose_request_builds_the_shared_html_leaves_nothing_of_theirs_in_it(
        channel, official, official2, third, elsewhere):
    """A wrote, reacted to, saved and has not yet seen messages; A's request builds the page;
    B, who has done none of that, sees none of it."""
    root = post(official2, channel, "Start")
    a, b = browser(official), browser(third)
    load(a, channel)
    load(b, channel)  # both have a read marker
    hers = post(official, channel, "Van Anouk", parent=root)
    new_for_a = post(third, channel, "Van Dirk", parent=root)
    services.reaction_toggle(user=official, message=root, kind="heart")
    services.reaction_toggle(user=official, message=new_for_a, kind="thanks")
    saved_item_add(user=official, kind="message", object_id=root.pk)
    html_a, built_a = load_counted(a, channel)
    elsewhere()
    html_b, built_b = load_counted(b, channel)
    assert built_a and not built_b

    assert own_controls(html_a, hers.pk) and not own_controls(html_b, hers.pk)
    assert own_controls(html_b, new_for_a.pk) and not own_controls(html_a, new_for_a.pk)
    assert pressed(html_a, root.pk, "heart") == ("true", "1") and pressed(html_b, root.pk, "heart") == ("false", "1")
    assert pressed(html_a, new_for_a.pk, "thanks") == ("true", "1")
    assert pressed(html_b, new_for_a.pk, "thanks") == ("false", "1")
    assert saved_button(html_a, root.pk) == "true Bewaard" and saved_button(html_b, root.pk) == "false Bewaren"
    # New to each: the other's reply, never their own.
    assert new_marks(html_a) == [new_for_a.pk] and separators(html_a) == 1 and first_new_link(html_a) == new_for_a.pk
    assert new_marks(html_b) == [hers.pk] and separators(html_b) == 1 and first_new_link(html_b) == hers.pk
    assert 'aria-pressed="true"' not in threads(html_b)


# --- 4. Every change shows on the next load ------------------------------------------------


@pytest.fixture
def readers(channel, official, third):
    """A (official) has loaded the page, so it is cached; B (third) loads it after the change."""
    a, b = browser(official), browser(third)
    return a, b


def after(readers, channel, change, bumps: bool = True) -> tuple[str, str]:
    """A loads the page, `change` happens, then B and A load it again: (B's page, A's page)."""
    a, b = readers
    load(a, channel)
    before = version(channel)
    change()
    assert version(channel) > before or not bumps
    return load(b, channel), load(a, channel)


def test_a_new_thread_shows(channel, official2, readers):
    old = post(official2, channel, "Oud")
    new = []
    for html in after(readers, channel, lambda: new.append(post(official2, channel, "Nieuwe draad"))):
        assert shown(html) == [new[0].pk, old.pk] and "Nieuwe draad" in article(html, new[0].pk)


def test_a_new_reply_shows(channel, official2, readers):
    root = post(official2, channel, "Start")
    new = []
    for html in after(readers, channel, lambda: new.append(post(official2, channel, "Antwoord", parent=root))):
        assert shown(html) == [root.pk, new[0].pk] and "Antwoord" in article(html, new[0].pk)


def test_a_reply_in_a_long_thread_shows_and_the_oldest_shown_reply_makes_way(channel, official2, readers):
    root = post(official2, channel, "Start")
    replies = [post(official2, channel, f"Reactie {n}", parent=root) for n in range(4)]
    new = []
    for html in after(readers, channel, lambda: new.append(post(official2, channel, "Nieuwste", parent=root))):
        assert shown(html) == [root.pk, replies[2].pk, replies[3].pk, new[0].pk]
        assert 'Toon alle <span class="lk-thread__count">5</span> reacties' in html


def test_an_edit_shows(channel, official2, readers):
    message = post(official2, channel, "Eerste versie")
    change = lambda: services.message_edit(editor=official2, message=message, body="Tweede versie")  # noqa: E731
    for html in after(readers, channel, change):
        assert "Tweede versie" in article(html, message.pk) and "Eerste versie" not in html
        assert '<span class="lk-message__time">bewerkt</span>' in article(html, message.pk)


def test_a_delete_shows(channel, official2, readers):
    message = post(official2, channel, "Weg ermee")
    for html in after(readers, channel, lambda: services.message_delete(actor=official2, message=message)):
        assert "Dit bericht is verwijderd." in article(html, message.pk) and "Weg ermee" not in html
        assert f'class="lk-message lk-message--removed" id="message-{message.pk}"' in html
        assert "/reactie/" not in article(html, message.pk)


def test_a_hide_by_a_facilitator_shows(channel, official2, facilitator, readers):
    message = post(official2, channel, "Ongepast")
    for html in after(readers, channel, lambda: services.message_hide(moderator=facilitator, message=message)):
        assert "verborgen door een begeleider" in article(html, message.pk) and "Ongepast" not in html
        assert f'class="lk-message lk-message--removed" id="message-{message.pk}"' in html


def test_a_reaction_by_a_third_member_shows_and_so_does_taking_it_back(channel, official2, readers):
    message = post(official2, channel, "Wat vinden jullie?")
    for html in after(readers, channel, lambda: services.reaction_toggle(user=official2, message=message, kind="heart")):
        assert pressed(html, message.pk, "heart") == ("false", "1")
    for html in after(readers, channel, lambda: services.reaction_toggle(user=official2, message=message, kind="heart")):
        assert pressed(html, message.pk, "heart") == ("false", "")


@pytest.mark.parametrize("how", ["profile_update", "profile.save"])
def test_an_authors_new_display_name_shows(channel, official, official2, readers, how):
    message = post(official2, channel, "Van Cor")
    reply = post(official, channel, "Antwoord", parent=message)
    deep = reply
    for n in range(selectors.MAX_NESTING):  # deep enough for "in reply to" with Cor's name
        deep = post(official2 if n % 2 else official, channel, f"Niveau {n}", parent=deep)

    def rename():
        profile = official2.profile
        profile.refresh_from_db()
        if how == "profile_update":
            services.profile_update(profile=profile, data={"display_name": "Cor de Vries"}, expertise=[])
        else:
            profile.display_name = "Cor de Vries"
            profile.save()

    for html in after(readers, channel, rename):
        assert ">Cor de Vries</a>" in article(html, message.pk)
        assert "Cor Collega" not in threads(html)
        assert "Antwoord op" in threads(html) and re.search(r'class="lk-in-reply-to">Antwoord op <a [^>]*>Cor de Vries<', threads(html))


@pytest.mark.parametrize("role, tag", [(Membership.Role.FACILITATOR, "begeleider"), (Membership.Role.EXPERT, "expert")])
def test_a_role_change_shows_as_the_authors_tag(channel, circle, official2, facilitator, readers, role, tag):
    message = post(official2, channel, "Van Cor")
    a, _b = readers
    assert '<span class="lk-tag">' not in article(load(a, channel), message.pk)
    membership = Membership.objects.get(user=official2, circle=circle)
    change = lambda: services.membership_change_role(facilitator=facilitator, membership=membership, role=role)  # noqa: E731
    for html in after(readers, channel, change):
        assert f'<span class="lk-tag">{tag}</span>' in article(html, message.pk)


@pytest.mark.parametrize("how", ["leaves", "is removed"])
def test_a_member_who_leaves_or_is_removed_loses_their_tag(channel, circle, expert, facilitator, readers, how):
    message = post(expert, channel, "Van Esther")
    a, _b = readers
    assert '<span class="lk-tag">expert</span>' in article(load(a, channel), message.pk)

    def end():
        if how == "leaves":
            services.circle_leave(user=expert, circle=circle)
        else:
            membership = Membership.objects.get(user=expert, circle=circle)
            services.membership_remove(facilitator=facilitator, membership=membership)

    for html in after(readers, channel, end):
        assert '<span class="lk-tag">' not in article(html, message.pk)
        assert ">Esther Expert</a>" in article(html, message.pk)  # the name stays


@pytest.mark.parametrize("delete_messages", [False, True])
def test_a_deleted_account_shows_as_deleted_participant(channel, official, official2, readers, delete_messages):
    message = post(official2, channel, "Van Cor")
    mention = post(official, channel, "Vraag het @cor", parent=message)
    a, _b = readers
    assert "@Cor Collega" in article(load(a, channel), mention.pk)
    change = lambda: services.account_delete(user=official2, delete_messages=delete_messages)  # noqa: E731
    for html in after(readers, channel, change):
        assert '<span class="lk-message__author">verwijderde deelnemer</span>' in article(html, message.pk)
        assert "Cor Collega" not in threads(html)
        assert ("Dit bericht is verwijderd." in article(html, message.pk)) == delete_messages
        assert ("Van Cor" in threads(html)) != delete_messages


def test_a_deleted_participants_message_can_be_reported_and_is_nobodys_to_edit(channel, official, official2, readers):
    message = post(official2, channel, "Van Cor")
    services.account_delete(user=official2)
    for reader in readers:
        html = article(load(reader, channel), message.pk)
        assert f'href="{message.pk}/melden/"' in html
        assert f'{message.pk}/bewerken/' not in html and f'{message.pk}/verwijderen/' not in html


def test_an_account_deleted_outside_the_services_leaves_no_name_behind(channel, official, official2, readers):
    """The admin or a shell deletes the user row itself: the cascade takes profile, memberships
    and reactions without their own signals."""
    message = post(official2, channel, "Van Cor")
    services.reaction_toggle(user=official2, message=message, kind="idea")
    for html in after(readers, channel, lambda: type(official2).objects.get(pk=official2.pk).delete()):
        assert "Cor Collega" not in threads(html)
        assert '<span class="lk-message__author">verwijderde deelnemer</span>' in article(html, message.pk)
        assert "lk-reaction__count" not in article(html, message.pk)


def test_locking_the_channel_shows_and_so_does_unlocking_it(channel, official2, facilitator, readers):
    message = post(official2, channel, "Nog even")
    lock = lambda: services.channel_update(facilitator=facilitator, channel=channel, locked=True)  # noqa: E731
    for html in after(readers, channel, lock, bumps=False):
        assert "Een begeleider heeft dit kanaal gesloten." in html
        assert 'class="lk-composer"' not in html
        assert "disabled" in article(html, message.pk) and "?antwoord=" not in article(html, message.pk)
    unlock = lambda: services.channel_update(facilitator=facilitator, channel=channel, locked=False)  # noqa: E731
    for html in after(readers, channel, unlock, bumps=False):
        assert "Een begeleider heeft dit kanaal gesloten." not in html and 'class="lk-composer"' in html
        assert "disabled" not in article(html, message.pk) and "?antwoord=" in article(html, message.pk)


def test_saving_a_channel_read_before_a_new_message_keeps_the_message_on_the_page(channel, official, official2, readers):
    stale = type(channel).objects.get(pk=channel.pk)
    for reader in readers:
        load(reader, channel)
    message = post(official2, channel, "Na het lezen van het kanaal")
    stale.topic = "Nieuw onderwerp"
    stale.save()  # a full save of the instance read before the message
    channel.refresh_from_db()
    assert channel.topic == "Nieuw onderwerp" and channel.content_version > stale.content_version
    for reader in readers:
        assert f'id="message-{message.pk}"' in load(reader, channel)


# --- 5. New since the last visit ------------------------------------------------------------


def test_a_new_reply_is_new_to_the_reader_who_has_not_seen_it_and_not_to_its_author(channel, official, official2, third):
    root = post(official2, channel, "Wie helpt?")
    post(official2, channel, "Ik wil ook weten", parent=root)
    older = post(official2, channel, "Andere draad")
    a, b = browser(official), browser(third)
    load(b, channel)  # B's read marker
    load(a, channel)  # cached
    reply = post(official, channel, "Ik help", parent=root)
    html_a, built_a = load_counted(a, channel)  # the author builds the new version
    html_b, built_b = load_counted(b, channel)
    assert built_a and not built_b

    assert new_marks(html_b) == [reply.pk]
    assert '<span class="lk-tag lk-tag--new">nieuw</span>' in article(html_b, reply.pk)
    assert separators(html_b) == 1
    assert html_b.index("lk-new-marker") < html_b.index(f'id="thread-{root.pk}"') < html_b.index(f'id="thread-{older.pk}"')
    assert first_new_link(html_b) == reply.pk

    assert new_marks(html_a) == [] and separators(html_a) == 0 and first_new_link(html_a) is None
    assert "lk-tag--new" not in html_a
    # Both see the same threads; B's next visit has nothing new left.
    assert shown(html_a) == shown(html_b)
    again = load(b, channel)
    assert new_marks(again) == [] and separators(again) == 0 and first_new_link(again) is None


def test_more_new_replies_in_a_thread_than_the_page_shows_get_a_page_of_their_own(channel, official, official2, third):
    root = post(official, channel, "Start")
    old = post(official2, channel, "Oud antwoord", parent=root)
    services.reaction_toggle(user=third, message=root, kind="heart")
    a, b, c = browser(official), browser(third), browser(official2)
    load(b, channel)  # B's read marker
    load(a, channel)  # cached
    assert selectors.LATEST_REPLIES_SHOWN < 5 <= selectors.NEW_REPLIES_SHOWN
    new = [post(official, channel, f"Nieuw {n}", parent=root) for n in range(5)]

    html_c, built_c = load_counted(c, channel)  # never visited: the shared page of the new version
    assert built_c
    assert shown(html_c) == [root.pk] + [r.pk for r in new[-selectors.LATEST_REPLIES_SHOWN:]]
    assert new_marks(html_c) == [] and old.pk not in shown(html_c)

    html_b = load(b, channel)
    assert shown(html_b) == [root.pk] + [r.pk for r in new]
    assert all(f'id="message-{r.pk}"' in html_b for r in new)
    assert new_marks(html_b) == [r.pk for r in new]
    assert separators(html_b) == 1 and first_new_link(html_b) == new[0].pk
    assert pressed(html_b, root.pk, "heart") == ("true", "1")  # B's own part on B's own page
    assert not own_controls(html_b, new[0].pk)
    secret = b.cookies[settings.CSRF_COOKIE_NAME].value
    assert TOKEN.findall(threads(html_b)) and all(_does_token_match(t, secret) for t in TOKEN.findall(threads(html_b)))

    # B's page was B's alone: the shared page is as it was.
    html_c, built_c = load_counted(c, channel)
    assert not built_c
    assert shown(html_c) == [root.pk] + [r.pk for r in new[-selectors.LATEST_REPLIES_SHOWN:]]
    assert new_marks(html_c) == [] and pressed(html_c, root.pk, "heart") == ("false", "1")
    # The author sees their own replies, none of them as new.
    html_a = load(a, channel)
    assert new_marks(html_a) == [] and separators(html_a) == 0 and first_new_link(html_a) is None
    assert set(shown(html_c)) <= set(shown(html_a))
    # B's next visit is a shared one again: nothing new.
    html_b, built_b = load_counted(b, channel)
    assert not built_b and shown(html_b) == shown(html_c) and new_marks(html_b) == []


# --- 6. CSRF tokens -------------------------------------------------------------------------


def test_each_browser_gets_its_own_valid_csrf_token_in_the_shared_html(channel, official, official2, elsewhere):
    message = post(official, channel, "Stem maar")
    a, b = browser(official, enforce_csrf_checks=True), browser(official2, enforce_csrf_checks=True)
    html_a, built_a = load_counted(a, channel)
    elsewhere()
    html_b, built_b = load_counted(b, channel)
    assert built_a and not built_b
    secret_a, secret_b = (client.cookies[settings.CSRF_COOKIE_NAME].value for client in (a, b))
    assert secret_a != secret_b
    form_a, form_b = (re.search(r'<form class="lk-reactions".*?</form>', article(html, message.pk), re.S).group(0)
                      for html in (html_a, html_b))
    [token_a], [token_b] = TOKEN.findall(form_a), TOKEN.findall(form_b)
    for html, secret in ((html_a, secret_a), (html_b, secret_b)):
        tokens = TOKEN.findall(html)
        assert tokens and all(_does_token_match(token, secret) for token in tokens)
    assert _unmask_cipher_token(token_a) == secret_a and _unmask_cipher_token(token_b) == secret_b

    url = f"{channel.get_absolute_url()}{message.pk}/reactie/"
    assert a.post(url, {"kind": "idea", "csrfmiddlewaretoken": token_b}).status_code == 403
    assert a.post(url, {"kind": "idea", "csrfmiddlewaretoken": token_a}).status_code == 302
    assert b.post(url, {"kind": "heart", "csrfmiddlewaretoken": token_b}).status_code == 302
    assert pressed(load(a, channel), message.pk, "idea") == ("true", "1")


def test_older_threads_with_htmx_carry_the_readers_csrf_token_too(channel, official, official2, monkeypatch):
    monkeypatch.setattr(selectors, "THREADS_PER_PAGE", 2)
    for n in range(3):
        post(official2, channel, f"Draad {n}")
    a, b = browser(official), browser(official2)
    link = re.search(r'<a href="(\?na=[\d-]+)" rel="next"', load(a, channel)).group(1)
    load(a, channel, link, HTTP_HX_REQUEST="true")  # cached
    for reader in (a, b):
        html = load(reader, channel, link, HTTP_HX_REQUEST="true")
        tokens = TOKEN.findall(html)
        secret = reader.cookies[settings.CSRF_COOKIE_NAME].value
        assert tokens and all(_does_token_match(token, secret) for token in tokens)


# --- 7. Language ----------------------------------------------------------------------------


def test_an_english_reader_after_a_dutch_one_gets_english_labels(channel, official, official2, third, facilitator):
    theirs = post(official2, channel, "Hallo")
    services.message_edit(editor=official2, message=theirs, body="Hallo allemaal")
    led = post(facilitator, channel, "Welkom", parent=theirs)
    services.reaction_toggle(user=third, message=theirs, kind="thumbs_up")
    own = post(third, channel, "Mijn bericht")
    dutch, english = browser(official), browser(third)
    assert english.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302

    nl = load(dutch, channel)
    en = load(english, channel)
    nl_again = load(dutch, channel)

    message = article(en, theirs.pk)
    assert "Reply<span" in message and ">Report</a>" in message and ">Save</button>" in message
    assert "edited" in message and 'title="Agree"' in message
    assert '<span class="lk-tag">facilitator</span>' in article(en, led.pk)
    assert ">Edit</a>" in article(en, own.pk) and ">Delete</a>" in article(en, own.pk)
    assert pressed(en, theirs.pk, "thumbs_up") == ("true", "1")
    for word in ("Reageren", "Melden", "Bewaren", "bewerkt", "begeleider", "Bewerken", "Verwijderen", 'title="Eens"'):
        assert word not in threads(en), word

    assert "Start a new thread" in en and ">Post</button>" in en and "Begin een nieuwe draad" not in en

    for html in (nl, nl_again):
        assert "Begin een nieuwe draad" in html and "Start a new thread" not in html
        message = article(html, theirs.pk)
        assert "Reageren<span" in message and ">Melden</a>" in message and ">Bewaren</button>" in message
        assert "bewerkt" in message and 'title="Eens"' in message
        assert '<span class="lk-tag">begeleider</span>' in article(html, led.pk)
        for word in ("Reply<", ">Report<", ">Save<", ">edited<", ">facilitator<"):
            assert word not in threads(html), word


# --- 8. Queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("visit", ["first visit", "rebuilt for a reader who was here", "shared with another reader"])
def test_equal_query_counts_at_5_and_40_threads(circle, official, official2, visit):
    reader = browser(official)
    warm = ChannelFactory(circle=circle)
    fill(warm, 1)
    load(reader, warm)  # what a process and a session do once (content types, settings)
    counts = []
    for size in (5, 40):
        channel = ChannelFactory(circle=circle)
        fill(channel, size)
        if visit == "rebuilt for a reader who was here":
            load(reader, channel)  # the session's first request, the read marker
        elif visit == "shared with another reader":
            load(browser(official2), channel)
            load(reader, channel)
        cache.clear()
        channel_page.clear_process_cache()
        if visit == "shared with another reader":
            load(browser(official2), channel)  # builds the shared page again
        with CaptureQueriesContext(connection) as queries:
            html = load(reader, channel)
        built = any("ROW_NUMBER" in q["sql"].upper() for q in queries.captured_queries)
        assert built == (visit != "shared with another reader")
        assert html.count('class="lk-thread"') == min(size, selectors.THREADS_PER_PAGE)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- The rest of the page, also kept per process ({% memo %}) ---------------------------------


def test_the_channel_list_follows_new_messages_and_names_of_other_channels(circle, channel, official, official2, facilitator):
    other = ChannelFactory(circle=circle, name="Casuïstiek", slug="casuistiek")
    reader = browser(official)
    badge = re.compile(rf'data-unread-channel="{other.pk}"( hidden)?>(\d+)<')
    load(reader, other)  # a read marker in the other channel
    assert badge.search(load(reader, channel)).groups() == (" hidden", "0")

    post(official2, other, "In het andere kanaal")
    post(official2, other, "Nog een")
    assert badge.search(load(reader, channel)).groups() == (None, "2")

    services.channel_update(facilitator=facilitator, channel=other, name="Casussen")
    assert "#&nbsp;Casussen" in load(reader, channel)
    load(reader, other)
    assert badge.search(load(reader, channel)).groups() == (" hidden", "0")


def test_the_pages_sql_gives_the_same_aware_times_as_the_orm(circle, channel, official):
    frame = selectors.channel_frame(official, circle.slug, channel.slug)
    assert frame.channel.created_at == type(channel).objects.get(pk=channel.pk).created_at
    assert frame.circle.created_at.tzinfo is not None and frame.membership.created_at.tzinfo is not None
