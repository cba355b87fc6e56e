"""Which page types an editor can create where, through the Wagtail admin."""

import datetime

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    ContentPage,
    EventIndexPage,
    EventPage,
    HomePage,
    LessonIndexPage,
    LessonPage,
    NewsIndexPage,
    NewsPage,
    PartnerIndexPage,
    ProgrammeIndexPage,
    ProgrammePage,
    PublicationIndexPage,
    PublicationPage,
)

from .factories import add, make_home

SECTIONS = {
    ProgrammeIndexPage,
    EventIndexPage,
    NewsIndexPage,
    PublicationIndexPage,
    PartnerIndexPage,
    LessonIndexPage,
    ContentPage,
}


class PageTreeTests(WagtailPageTestCase):
    def test_allowed_subpage_types(self):
        self.assertAllowedSubpageTypes(HomePage, SECTIONS)
        self.assertAllowedSubpageTypes(ProgrammeIndexPage, {ProgrammePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedSubpageTypes(PublicationIndexPage, {PublicationPage})
        self.assertAllowedSubpageTypes(LessonIndexPage, {LessonPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})
        from partners.models import FaqIndexPage, PartnerApplicationPage

        self.assertAllowedSubpageTypes(PartnerIndexPage, {PartnerApplicationPage, FaqIndexPage})
        for leaf in (ProgrammePage, EventPage, NewsPage, PublicationPage, LessonPage):
            self.assertAllowedSubpageTypes(leaf, set())

    def test_allowed_parent_page_types(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedParentPageTypes(ProgrammePage, {ProgrammeIndexPage})
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})

    def test_not_elsewhere(self):
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertCanNotCreateAt(NewsIndexPage, EventPage)
        self.assertCanNotCreateAt(EventIndexPage, NewsPage)
        self.assertCanNotCreateAt(Page, ProgrammePage)
        self.assertCanNotCreateAt(ProgrammePage, ProgrammePage)


class EditorCreatesPagesTests(WagtailPageTestCase):
    """An editor builds the whole site in the admin, each page type where it belongs."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()

    def setUp(self):
        self.login()

    def create(self, parent, model, **fields):
        title = fields.pop("title")
        data = nested_form_data({"title": title, "comments": inline_formset([]), **fields})
        self.assertCanCreate(parent, model, data)
        return model.objects.child_of(parent).get(title=title)

    def report(self):
        from django.core.files.base import ContentFile
        from wagtail.documents import get_document_model

        document = get_document_model()(title="Verslag")
        document.file.save("verslag.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
        return document

    def test_home_page_under_the_root(self):
        root = Page.get_first_root_node()
        self.create(root, HomePage, title="Tweede site", intro="Welkom", body=streamfield([]),
                    featured_programmes=inline_formset([]))

    def test_every_section_and_its_pages(self):
        programmes = self.create(self.home, ProgrammeIndexPage, title="Programma's")
        self.create(programmes, ProgrammePage, title="Midsize NL", intro="Middelgrote steden",
                    body=streamfield([("paragraph", rich_text("<p>Vraaggestuurd besturen</p>"))]),
                    agenda_points=streamfield([("agenda_point", {"title": "Denk regionaal", "description": ""})]),
                    activities=streamfield([]))
        agenda = self.create(self.home, EventIndexPage, title="Agenda")
        self.create(agenda, EventPage, title="Expertmeeting", start="2030-10-23 16:00", end="2030-10-23 19:30",
                    venue_name="Kennishuis", capacity="40", max_extra_participants="3", registration_enabled="on",
                    body=streamfield([]), agenda=streamfield([]), workshop_rounds=streamfield([]),
                    documents=inline_formset([{"document": self.report().pk, "title": "Verslag", "kind": "report"}]))
        news = self.create(self.home, NewsIndexPage, title="Nieuws")
        self.create(news, NewsPage, title="Nieuw convenant", date="2014-11-20", body=streamfield([]))
        publications = self.create(self.home, PublicationIndexPage, title="Publicaties")
        self.create(publications, PublicationPage, title="Strategierapport", publication_date="2017-04-21",
                    intro="Samenvatting", body=streamfield([]))
        self.create(self.home, PartnerIndexPage, title="Partners", body=streamfield([]))
        lessons = self.create(self.home, LessonIndexPage, title="Lessen")
        self.create(lessons, LessonPage, title="Een les", date="2026-05-01", themes="regio", body=streamfield([]))
        self.create(self.home, ContentPage, title="Privacyverklaring", body=streamfield([]))

        event = EventPage.objects.get()
        self.assertEqual([(item.title, item.kind) for item in event.documents.all()], [("Verslag", "report")])
        # The admin's times are Dutch time: 16:00 in Amsterdam in October is 14:00 UTC.
        self.assertEqual(event.start, datetime.datetime(2030, 10, 23, 14, 0, tzinfo=datetime.UTC))

    def test_event_end_must_follow_start(self):
        agenda = add(self.home, EventIndexPage(title="Agenda", slug="agenda"))
        data = nested_form_data({"title": "Verkeerd om", "slug": "verkeerd", "comments": inline_formset([]),
                                 "start": "2030-10-23 16:00", "end": "2030-10-23 15:00", "venue_name": "Zaal",
                                 "max_extra_participants": "0", "body": streamfield([]), "agenda": streamfield([]),
                                 "workshop_rounds": streamfield([]), "documents": inline_formset([]),
                                 "action-publish": "action-publish"})
        response = self.client.post(f"/cms/pages/add/cms/eventpage/{agenda.pk}/", data)
        self.assertContains(response, "Het einde moet na het begin liggen.")
        self.assertFalse(EventPage.objects.exists())
