"""The case pages as a member sees them: list, filters, form, detail, refusals as form errors."""

import html as html_lib

import pytest
from django.urls import reverse

from casework import services
from casework.models import Case, CaseQuestion, Feedback

from .conftest import fresh, put_in_phase
from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def list_url(circle):
    return reverse("casework:case_list", args=[circle.slug])


def test_case_list_shows_shared_cases_and_own_drafts_with_counts_per_phase(client, circle, official, member, case):
    put_in_phase(case, "questions")
    CaseFactory(circle=circle, author=member, title="Concept van Cor", phase="draft")
    CaseFactory(circle=circle, author=official, title="Mijn eigen concept", phase="draft")
    CaseFactory(circle=circle, author=member, title="Advies gevraagd over de omgevingsdienst", phase="advice")
    client.force_login(official)
    response = client.get(list_url(circle))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kostenverdeling jeugdzorg in de regio" in html
    assert "Mijn eigen concept" in html
    assert "Concept van Cor" not in html  # someone else's draft does not exist for me
    assert "Verhelderende vragen <span class=\"lk-phase-filter__count\">1</span>" in html
    assert "Concept <span class=\"lk-phase-filter__count\">1</span>" in html
    assert "Advies <span class=\"lk-phase-filter__count\">1</span>" in html
    assert "3 casussen" in html


def test_case_list_filters(client, circle, official, member, expert):
    mine = CaseFactory(circle=circle, author=official, title="Mijn casus over afval", phase="advice")
    mine.themes.set(["afval"])
    awaiting = CaseFactory(circle=circle, author=member, title="Casus die op advies wacht", phase="advice")
    answered = CaseFactory(circle=circle, author=member, title="Casus met mijn advies", phase="advice")
    Feedback.objects.create(case=answered, author=official, kind="peer", body="x", body_html="x")
    CaseFactory(circle=circle, author=expert, title="Casus in de vragenfase", phase="questions")
    client.force_login(official)

    def titles(query):
        html = client.get(list_url(circle) + query).content.decode()
        return {title for title in ["Mijn casus over afval", awaiting.title, answered.title, "Casus in de vragenfase"] if title in html}

    assert titles("?mijn=1") == {"Mijn casus over afval"}
    assert titles("?thema=afval") == {"Mijn casus over afval"}
    assert titles("?fase=questions") == {"Casus in de vragenfase"}
    assert titles("?wacht_op_mij=1") == {awaiting.title}
    assert titles("?fase=onzin") == {"Mijn casus over afval", awaiting.title, answered.title, "Casus in de vragenfase"}
    assert "Geen casussen gevonden met deze filters." in client.get(list_url(circle) + "?thema=bestaat-niet").content.decode()


def test_confidential_case_shows_no_preview_in_the_list(client, circle, official, member):
    CaseFactory(
        circle=circle, author=member, title="Gevoelige kwestie", phase="questions", confidential=True,
        question="Wat doen we met de klokkenluider?", question_html="<p>Wat doen we met de klokkenluider?</p>",
    )
    client.force_login(official)
    html = client.get(list_url(circle)).content.decode()
    assert "Gevoelige kwestie" in html
    assert "Vertrouwelijk" in html
    assert "klokkenluider" not in html


@pytest.mark.parametrize("who", ["outsider", "removed"])
def test_case_pages_do_not_exist_for_outsiders(client, circle, case, outsider, who):
    from communities.models import Membership
    from tests.factories import MembershipFactory

    put_in_phase(case, "advice")
    user = outsider
    if who == "removed":
        MembershipFactory(user=outsider, circle=circle, state=Membership.State.REMOVED)
    client.force_login(user)
    assert client.get(list_url(circle)).status_code == 404
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("casework:case_create", args=[circle.slug])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.get(case.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_case_under_another_circles_slug_does_not_exist(client, case, official):
    from tests.factories import CircleFactory, MembershipFactory

    other = CircleFactory(slug="andere-kring")
    MembershipFactory(user=official, circle=other)
    client.force_login(official)
    assert client.get(reverse("casework:case_detail", args=["andere-kring", case.pk])).status_code == 404


def test_bringing_in_a_case(client, circle, official):
    client.force_login(official)
    response = client.post(
        reverse("casework:case_create", args=[circle.slug]),
        {
            "title": "Regionale energiestrategie: wie trekt?",
            "context": "Vier gemeenten, één RES.",
            "question": "Hoe verdelen we het trekkerschap?",
            "themes": "energie, regionale samenwerking",
            "confidential": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert (case.phase, case.author, case.confidential) == ("draft", official, True)
    assert sorted(case.themes.names()) == ["energie", "regionale samenwerking"]
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Je casus is opgeslagen als concept." in page
    assert "Delen met de kring" in page


def test_case_form_errors_are_dutch_linked_to_fields_and_nothing_is_stored(client, circle, official):
    client.force_login(official)
    response = client.post(reverse("casework:case_create", args=[circle.slug]), {"title": "", "context": "", "question": "?"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Geef je casus een titel." in html
    assert "Beschrijf de context van je casus." in html
    assert 'aria-describedby="id_title-help id_title-error"' in html
    assert 'aria-invalid="true"' in html
    assert not Case.objects.exists()


def test_detail_shows_questions_answers_and_peer_and_expert_feedback_apart(client, circle, case, official, member, expert):
    put_in_phase(case, "questions")
    question = services.question_ask(author=fresh(member), case=case, body="Sinds wanneer speelt dit?")
    services.question_answer(author=official, question=question, body="Sinds **2018**.")
    put_in_phase(case, "advice")
    services.feedback_give(author=fresh(member), case=case, body="Kijk naar de aanpak van Zeist.")
    services.feedback_give(
        author=fresh(expert), case=case, analysis="Het draait om vertrouwen.", approach="Deel eerst de cijfers.",
        risks="Uittreding van een gemeente.", references="Wgr, artikel 1.",
    )
    client.force_login(fresh(member))
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Sinds wanneer speelt dit?" in html
    assert "Sinds <strong>2018</strong>." in html
    expert_part = html[html.index('id="expert-feedback-title"'):html.index('id="peer-feedback-title"')]
    peer_part = html[html.index('id="peer-feedback-title"'):]
    assert "Het draait om vertrouwen." in expert_part and "Voorgestelde aanpak" in expert_part and "Risico's" in expert_part
    assert "Kijk naar de aanpak van Zeist." in peer_part and "Het draait om vertrouwen." not in peer_part
    assert "Geef feedback" in html  # the member's own form: peer feedback


def test_feedback_in_the_wrong_phase_is_a_form_error_and_stores_nothing(client, case, member):
    put_in_phase(case, "questions")  # the page was opened in the advice phase; the facilitator moved it back
    client.force_login(member)
    response = client.post(reverse("casework:feedback_create", args=[case.circle.slug, case.pk]), {"body": "Mijn advies"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Feedback kun je alleen geven in de adviesfase. De casus is nu in de fase ‘verhelderende vragen’." in html
    assert "Mijn advies" in html  # what they wrote is kept in the form
    assert not Feedback.objects.exists()


def test_expert_rubric_with_missing_parts_is_refused_on_the_page(client, case, expert):
    put_in_phase(case, "advice")
    client.force_login(expert)
    response = client.post(
        reverse("casework:feedback_create", args=[case.circle.slug, case.pk]),
        {"analysis": "Het draait om vertrouwen.", "approach": "", "risks": ""},
    )
    html = html_lib.unescape(response.content.decode())
    assert "Vul de voorgestelde aanpak in." in html
    assert "Vul de risico's in." in html
    assert not Feedback.objects.exists()


def test_owner_moves_the_case_forward_and_a_member_cannot(client, case, official, member):
    url = reverse("casework:case_phase", args=[case.circle.slug, case.pk])
    client.force_login(official)
    response = client.post(url, {"phase": "questions"}, follow=True)
    assert "De casus is nu in de fase ‘verhelderende vragen’." in response.content.decode()
    client.force_login(member)
    response = client.post(url, {"phase": "advice"})
    assert response.status_code == 409
    assert "Alleen de casuseigenaar of een begeleider kan de casus naar de volgende fase brengen." in response.content.decode()
    case.refresh_from_db()
    assert case.phase == "questions"


def test_facilitator_moving_a_case_back_to_draft_loses_sight_of_it(client, case, facilitator):
    put_in_phase(case, "questions")
    client.force_login(facilitator)
    response = client.post(reverse("casework:case_phase", args=[case.circle.slug, case.pk]), {"phase": "draft"})
    assert response.status_code == 302
    assert response["Location"] == list_url(case.circle)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_asking_answering_reflecting_and_the_lesson_through_the_pages(client, case, official, member):
    slug = case.circle.slug
    put_in_phase(case, "questions")
    client.force_login(member)
    client.post(reverse("casework:question_create", args=[slug, case.pk]), {"body": "Wie betaalt nu het meest?"})
    question = CaseQuestion.objects.get()
    client.force_login(official)
    client.post(reverse("casework:question_answer", args=[slug, case.pk, question.pk]), {f"answer-{question.pk}-body": "De kleine gemeenten."})
    question.refresh_from_db()
    assert question.answer == "De kleine gemeenten."
    put_in_phase(case, "advice")
    client.force_login(member)
    client.post(reverse("casework:feedback_create", args=[slug, case.pk]), {"body": "Werk met een solidariteitsbodem."})
    feedback = Feedback.objects.get()
    put_in_phase(case, "reflection")
    client.force_login(official)
    client.post(reverse("casework:feedback_helpful", args=[slug, case.pk, feedback.pk]), {"helpful": "1"})
    client.post(reverse("casework:case_reflection", args=[slug, case.pk]), {"reflection": "Ik neem de bodem over."})
    put_in_phase(case, "concluded")
    client.post(reverse("casework:lesson_save", args=[slug, case.pk]), {"body": "Begin met gedeelde cijfers."})
    response = client.post(reverse("casework:lesson_followup", args=[slug, case.pk]), {"note": "Het voorstel is aangenomen."}, follow=True)
    html = response.content.decode()
    assert "Bedankt: je vervolg is aan de les toegevoegd." in html
    for text in ["Wie betaalt nu het meest?", "De kleine gemeenten.", "Nuttig", "Ik neem de bodem over.",
                 "Begin met gedeelde cijfers.", "Het voorstel is aangenomen."]:
        assert text in html


def test_circle_home_panel_lists_recent_cases_without_confidential_content(rf, circle, official, member):
    from django.template.loader import render_to_string

    CaseFactory(circle=circle, author=member, title="Open casus", phase="advice")
    CaseFactory(circle=circle, author=member, title="Stille casus", phase="advice", confidential=True,
                question_html="<p>geheim detail</p>")
    CaseFactory(circle=circle, author=member, title="Concept van een ander", phase="draft")
    request = rf.get("/")
    request.user = official
    html = render_to_string("casework/includes/circle_cases_panel.html", {"circle": circle, "request": request, "user": official})
    assert "Open casus" in html and "Stille casus" in html
    assert "geheim detail" not in html and "Concept van een ander" not in html
    assert "Casus inbrengen" in html
    assert reverse("casework:case_list", args=[circle.slug]) in html


def test_editing_a_draft_and_not_after_sharing(client, case, official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .files import PNG_BYTES

    url = reverse("casework:case_edit", args=[case.circle.slug, case.pk])
    client.force_login(official)
    form = client.get(url).content.decode()
    assert 'value="Kostenverdeling jeugdzorg in de regio"' in form and "jeugdzorg, financiën" in form
    response = client.post(url, {
        "title": "Kostenverdeling jeugdzorg", "context": "Nieuwe context", "question": "Nieuwe vraag",
        "themes": "jeugdzorg", "attachments": SimpleUploadedFile("kaart.png", PNG_BYTES),
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.context_html, list(case.themes.names())) == ("Kostenverdeling jeugdzorg", "<p>Nieuwe context</p>", ["jeugdzorg"])
    assert case.attachments.get().original_name == "kaart.png"

    put_in_phase(case, "questions")
    html = html_lib.unescape(client.get(url).content.decode())
    assert "De casus kan alleen worden bewerkt zolang het een concept is." in html
    response = client.post(url, {"title": "Later", "context": "x", "question": "y"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.title == "Kostenverdeling jeugdzorg"


def test_answer_after_the_questions_phase_is_a_form_error(client, case, official, member):
    put_in_phase(case, "questions")
    question = services.question_ask(author=fresh(member), case=case, body="Wie betaalt?")
    put_in_phase(case, "advice")
    client.force_login(official)
    response = client.post(
        reverse("casework:question_answer", args=[case.circle.slug, case.pk, question.pk]),
        {f"answer-{question.pk}-body": "De kleine gemeenten."},
    )
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 409
    assert "Vragen kun je alleen beantwoorden in de vragenfase. De casus is nu in de fase ‘advies’." in html
    question.refresh_from_db()
    assert question.answer == ""
