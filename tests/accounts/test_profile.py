"""Own profile at /profiel/, a member's public profile at /leden/<id>/."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from communities.models import Profile

from .helpers import (
    PASSWORD,
    error_summary,
    field_error,
    header_text,
    links_in,
    log_in,
    main_text,
    soup,
    title,
    unlabelled_controls,
)

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Anouk Ambtenaar",
    "organisation": "Gemeente Veenendaal",
    "job_title": "Strategisch beleidsadviseur",
    "bio": "Ik werk aan regionale samenwerking in de Foodvalley.",
    "expertise": "netwerksturing, Regio Deals , wonen",
    "language": "nl",
}


def test_anonymous_visitors_are_sent_to_the_login_page(client, official):
    for url in (reverse("communities:profile"), reverse("communities:member", args=[official.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_profile_page_has_labelled_fields_and_links_to_the_account_pages(client, official):
    client.force_login(official)

    response = client.get(reverse("communities:profile"))

    assert response.status_code == 200
    assert title(response) == "Mijn profiel · Leerkring"
    assert unlabelled_controls(response) == []
    text = main_text(response)
    for label in ("Naam zoals anderen die zien", "Organisatie (niet verplicht)", "Functie (niet verplicht)",
                  "Over mij (niet verplicht)", "Expertise (niet verplicht)", "Taal van e-mails en meldingen"):
        assert label in text
    nav = soup(response).find("nav", class_="lk-account-nav")
    links = {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}
    assert links == {
        "Profiel": reverse("communities:profile"),
        "E-mailadressen": reverse("account_email"),
        "Wachtwoord": reverse("account_change_password"),
        "Tweestapsverificatie": reverse("mfa_index"),
        "API-tokens": reverse("communities:tokens"),
        "Sessies": reverse("usersessions_list"),
    }
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "Profiel"


def test_profile_edit_saves_and_shows_on_the_public_profile(client, official, expert):
    client.force_login(official)

    response = client.post(reverse("communities:profile"), PROFILE, follow=True)

    assert "Je profiel is opgeslagen." in main_text(response)
    shown = soup(response).find(id="id_expertise")["value"]
    assert sorted(shown.split(", ")) == ["Regio Deals", "netwerksturing", "wonen"]
    assert soup(response).find(id="id_bio").get_text().strip() == PROFILE["bio"]

    client.force_login(expert)
    public = client.get(reverse("communities:member", args=[official.pk]))
    assert public.status_code == 200
    text = main_text(public)
    assert "Anouk Ambtenaar" in text
    assert "Strategisch beleidsadviseur, Gemeente Veenendaal" in text
    assert "Ik werk aan regionale samenwerking in de Foodvalley." in text
    tags = [tag.get_text(strip=True) for tag in soup(public).select(".lk-member__tags .lk-tag")]
    assert tags == ["netwerksturing", "Regio Deals", "wonen"]
    assert "Je profiel bewerken" not in text  # only on your own profile


def test_over_long_profile_fields_are_refused_and_nothing_is_saved(client, official, expert):
    client.force_login(official)
    client.post(reverse("communities:profile"), PROFILE)

    response = client.post(
        reverse("communities:profile"),
        {**PROFILE, "display_name": "Nieuwe naam", "job_title": "F" * 151, "bio": "b" * 2001},
    )

    assert response.status_code == 200
    assert title(response) == "Fout: Mijn profiel · Leerkring"
    assert field_error(response, "id_job_title") == "Zorg dat deze waarde niet meer dan 150 tekens bevat (het zijn er nu 151)."
    assert field_error(response, "id_bio") == "Zorg dat deze waarde niet meer dan 2000 tekens bevat (het zijn er nu 2001)."
    assert "Functie: Zorg dat deze waarde niet meer dan 150 tekens bevat" in error_summary(response)

    client.force_login(expert)
    public = main_text(client.get(reverse("communities:member", args=[official.pk])))
    assert "Anouk Ambtenaar" in public
    assert "Nieuwe naam" not in public


def test_bad_expertise_topics_are_refused_and_nothing_is_saved(client, official):
    client.force_login(official)
    client.post(reverse("communities:profile"), PROFILE)

    too_long = client.post(
        reverse("communities:profile"), {**PROFILE, "display_name": "Nieuwe naam", "expertise": "x" * 51}
    )
    assert field_error(too_long, "id_expertise") == "Een onderwerp mag hoogstens 50 tekens lang zijn."

    too_many = client.post(
        reverse("communities:profile"),
        {**PROFILE, "expertise": ", ".join(f"onderwerp {n}" for n in range(16))},
    )
    assert field_error(too_many, "id_expertise") == "Noem hoogstens 15 onderwerpen."

    page = client.get(reverse("communities:member", args=[official.pk]))
    assert "Nieuwe naam" not in main_text(page)
    assert [t.get_text(strip=True) for t in soup(page).select(".lk-member__tags .lk-tag")] == [
        "netwerksturing", "Regio Deals", "wonen",
    ]


def test_empty_name_is_refused(client, official):
    client.force_login(official)

    response = client.post(reverse("communities:profile"), {**PROFILE, "display_name": ""})

    assert field_error(response, "id_display_name") == "Dit is een verplicht veld."


def test_member_page_of_an_unknown_or_inactive_member_is_404(client, official, expert):
    client.force_login(official)
    expert.is_active = False
    expert.save()

    assert client.get(reverse("communities:member", args=[expert.pk])).status_code == 404
    assert client.get(reverse("communities:member", args=[999_999])).status_code == 404


def test_member_page_without_bio_or_topics_says_so(client, official, expert):
    client.force_login(official)

    text = main_text(client.get(reverse("communities:member", args=[expert.pk])))

    assert "Esther Expert" in text
    assert "Dit lid heeft nog niets over zichzelf geschreven." in text
    assert "Nog geen onderwerpen ingevuld." in text


def test_a_user_made_with_createsuperuser_can_log_in_and_gets_a_profile(client, monkeypatch, mailoutbox):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="beheer", email="beheer@leerkring.example")

    # Their address was never confirmed: the first login asks for that, like for everyone.
    first = log_in(client, "beheer@leerkring.example", follow=True)
    assert "Bevestig je e-mailadres" in main_text(first)
    (link,) = links_in(mailoutbox[-1].body)
    assert mailoutbox[-1].body.startswith("Beste beheer@leerkring.example,")
    client.post(link)

    page = client.get(reverse("communities:profile"))
    assert page.status_code == 200
    assert "Uitloggen" in header_text(page)
    assert 'value="beheer"' in page.content.decode()  # a starting display name to change


def test_a_seeded_user_without_a_profile_gets_one_at_login(client):
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user("seeded", "seeded@leerkring.example", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    assert log_in(client, "seeded@leerkring.example").status_code == 302

    assert Profile.objects.get(user=user).display_name == "seeded"
    page = client.get(reverse("communities:member", args=[user.pk]))
    assert "seeded" in main_text(page)
