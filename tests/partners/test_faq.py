"""An answered question as an anonymised FAQ page: a draft in Wagtail, submitted to moderation."""

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from partners import services
from partners.errors import Conflict
from partners.models import FaqPage
from tests.accounts.helpers import main_text

from .factories import ask


@pytest.fixture
def answered(official, contact, editor, pages):
    question = ask(
        official,
        title="Woonagenda van Veenendaal met de regio",
        question="Anouk Ambtenaar hier: hoe betrekt Gemeente Veenendaal de buurgemeenten bij de woonagenda?",
    )
    services.question_answer(
        actor=editor, question=question,
        body="Beste Anouk, Rosa Redacteur hier.\n\nTwee gemeenten werken met een regionale woontafel.",
    )
    question.refresh_from_db()
    return question


def test_the_form_suggests_anonymised_texts(client, editor, answered):
    client.force_login(editor)
    response = client.get(f"/kennisvragen/{answered.pk}/faq/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Woonagenda van [organisatie] met de regio" in text
    assert "[naam] hier: hoe betrekt [organisatie] de buurgemeenten bij de woonagenda?" in text
    assert "Beste [naam], [naam] hier." in text
    assert "Anouk" not in text.split("<form")[1].split("</form>")[0]


def test_an_editor_publishes_an_answered_question_as_a_draft_faq_submitted_for_moderation(
    client, editor, answered, official, pages, committed
):
    _index, _application, faq_index = pages
    client.force_login(editor)
    with committed():
        response = client.post(f"/kennisvragen/{answered.pk}/faq/", {
            "title": "Hoe betrek je de regio bij een woonagenda?",
            "theme": "housing",
            "question_text": "Hoe betrekt Anouk van Veenendaal de buurgemeenten?",
            "answer_text": "Twee gemeenten werken met een regionale woontafel.\n\nVraag Rosa Redacteur om voorbeelden.",
        })

    page = FaqPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cms/pages/{page.pk}/edit/"
    assert page.get_parent().specific == faq_index
    assert not page.live
    assert page.question == "Hoe betrekt [naam] van [organisatie] de buurgemeenten?"
    answer_text = " ".join(str(block.value) for block in page.get_latest_revision_as_object().answer)
    assert "[naam]" in answer_text and "Rosa" not in answer_text
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == "in_progress"
    answered.refresh_from_db()
    assert answered.faq_page_id == page.pk
    assert answered.events.last().kind == "faq_drafted"
    assert mail.outbox[-1].to == [official.email]
    assert mail.outbox[-1].subject.startswith("Een geanonimiseerde versie van je vraag wordt gepubliceerd")

    with pytest.raises(Conflict):
        services.faq_draft_create(editor=editor, question=answered, title="x", question_text="x", answer_text="x",
                                  theme="housing")
    client.get("/")  # consume messages
    page_after = client.get(answered.get_absolute_url())
    assert "Van deze vraag is een geanonimiseerde FAQ-pagina gemaakt." in main_text(page_after)


def test_an_unanswered_question_cannot_become_an_faq(official, contact, editor, pages):
    question = ask(official)
    with pytest.raises(Conflict) as error:
        services.faq_draft_create(editor=editor, question=question, title="x", question_text="x", answer_text="x",
                                  theme="housing")
    assert error.value.message == "Alleen een beantwoorde vraag kan als FAQ-pagina worden gepubliceerd."
    assert FaqPage.objects.count() == 0


def test_only_editors_make_faq_pages(client, official, answered):
    client.force_login(official)
    assert client.get(f"/kennisvragen/{answered.pk}/faq/").status_code == 404
    assert "FAQ-pagina maken" not in client.get(answered.get_absolute_url()).content.decode()


def test_a_published_faq_page_shows_question_and_answer_without_names(client, editor, answered):
    page = services.faq_draft_create(editor=editor, question=answered, title="Regio en woonagenda",
                                     question_text="Hoe betrek je de regio?", answer_text="Met een woontafel.",
                                     theme="housing")
    page.get_latest_revision().publish()
    response = client.get(page.get_parent().url)
    assert "Wonen" in main_text(response) and "Regio en woonagenda" in main_text(response)
    text = main_text(client.get(page.url))
    assert "Hoe betrek je de regio?" in text and "Met een woontafel." in text
    assert "Anouk" not in text and "Veenendaal" not in text
