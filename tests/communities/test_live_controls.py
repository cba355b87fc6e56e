"""The controls template a channel or thread page gives its live client (includes/live_message_controls.html):
what a viewer may do with a message that arrives live, decided by the server as for the messages it renders."""

import re

from django.urls import reverse

from tests.communities.conftest import post, resolved_urls


def controls(response) -> str:
    page = response.content.decode()
    found = re.search(r'<template id="lk-message-controls">(.*?)</template>', page, re.S)
    assert found, "the page has no controls template"
    return found.group(1)


def test_a_member_gets_reaction_buttons_save_and_report_with_placeholders_for_the_ids(client, channel, official):
    client.force_login(official)
    template = controls(client.get(channel.get_absolute_url()))
    url = channel.get_absolute_url()
    urls = resolved_urls(template, url)
    assert urls.count(f"{url}__message__/reactie/") == 2  # action and hx-post of the form f__message__
    assert '<form class="lk-reactions" id="f__message__"' in template
    assert template.count('name="kind"') == 5
    assert template.count('aria-pressed="false"') == 6  # five reactions and "save"
    assert " disabled" not in template
    assert '<span role="img" aria-label="Goed idee">💡</span>' in template
    assert 'form="f__message__" formaction="/bewaard/message/__message__/" hx-post="/bewaard/message/__message__/"' in template
    assert f"{url}__thread__/?antwoord=__message__#reageren" in urls
    assert re.search(r'<li data-live-own><a href="[^"]*__message__/bewerken/">Bewerken</a>', template)
    assert re.search(r'<li data-live-own><a href="[^"]*__message__/verwijderen/">Verwijderen</a>', template)
    assert re.search(r'<li data-live-other><a href="[^"]*__message__/melden/">Melden</a>', template)
    assert "Verbergen" not in template
    assert 'name="csrfmiddlewaretoken"' in template


def test_only_a_facilitator_gets_the_hide_form(client, channel, official, facilitator):
    client.force_login(facilitator)
    template = controls(client.get(channel.get_absolute_url()))
    assert f"{channel.get_absolute_url()}__message__/verbergen/" in resolved_urls(template, channel.get_absolute_url(), "formaction")
    assert '<button form="f__message__"' in template and ">Verbergen</button>" in template


def test_in_a_locked_channel_the_buttons_are_disabled_and_there_is_no_reply_or_edit(client, channel, official):
    root = post(official, channel, "Voor het sluiten")
    channel.locked = True
    channel.save()
    client.force_login(official)
    for url in (channel.get_absolute_url(), reverse("communities:thread", args=[channel.circle.slug, channel.slug, root.pk])):
        template = controls(client.get(url))
        assert template.count(" disabled") == 5
        assert "Reageren" not in template and "Bewerken" not in template
        assert "Verwijderen" in template and "Melden" in template
