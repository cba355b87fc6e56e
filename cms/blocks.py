"""StreamField blocks shared by every page type (the bakerydemo way).

Every StructBlock names its template under templates/blocks/, an icon and a description
that editors see in the block picker.
"""

from django.core.exceptions import ValidationError
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    heading_text = blocks.CharBlock(label=_("Heading"), max_length=120)
    size = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (level 2)")), ("h3", _("Subheading (level 3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A heading that starts a new section of the page.")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Paragraph")
        description = _("Running text with links and lists.")


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    attribution = blocks.CharBlock(label=_("Photo credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        label = _("Image")
        description = _("An image with an optional caption and photo credit.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"), max_length=600)
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("A quotation that stands out from the text.")


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    page = blocks.PageChooserBlock(label=_("Link to a page"), required=False)
    url = blocks.URLBlock(label=_("or to a web address"), required=False)
    button_label = blocks.CharBlock(label=_("Button text"), max_length=60)

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"
        label = _("Call to action")
        description = _("A highlighted box with one button, for example to register or sign up.")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose either a page or a web address."))}
            )
        return value


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=30, help_text=_("For example: € 5.000"))
    label = blocks.CharBlock(label=_("Explanation"), max_length=150)

    class Meta:
        icon = "decimal"
        template = "blocks/key_figure_block.html"
        label = _("Key figure")
        description = _("One figure with a short explanation.")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1, max_num=6)

    class Meta:
        icon = "table"
        template = "blocks/key_figures_block.html"
        label = _("Key figures")
        description = _("A row of figures that stand out, such as fees or participant numbers.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=150)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Document")
        description = _("A download link with the file type and size.")


class NewsletterSignupBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120, default=_("Subscribe to the newsletter"))
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)

    class Meta:
        icon = "mail"
        template = "blocks/newsletter_signup_block.html"
        label = _("Newsletter sign-up")
        description = _("A short form to subscribe to the newsletter (with confirmation by email).")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["form_id"] = f"newsletter-{get_random_string(6).lower()}"  # unique even with two blocks on a page
        return context


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    key_figures = KeyFiguresBlock()
    document = DocumentBlock()
    newsletter_signup = NewsletterSignupBlock()


# --- Programmes -----------------------------------------------------------------------


class AgendaPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Agenda point"), max_length=150)
    description = blocks.TextBlock(label=_("Explanation"), required=False, max_length=800)

    class Meta:
        icon = "list-ol"
        template = "blocks/agenda_point_block.html"
        label = _("Agenda point")
        description = _("One point of the programme's agenda; the order of the blocks is the numbering.")


class ActivityBlock(blocks.StructBlock):
    KINDS = [
        ("research", _("Research and deepening")),
        ("regional", _("Regional elaboration")),
        ("meeting", _("Meeting or masterclass")),
        ("community", _("Community of practice")),
        ("other", _("Other")),
    ]

    title = blocks.CharBlock(label=_("Title"), max_length=150)
    kind = blocks.ChoiceBlock(label=_("Kind of activity"), choices=KINDS, default="meeting")
    description = ParagraphBlock(label=_("Description"), required=False)
    contact = blocks.CharBlock(
        label=_("More information"),
        required=False,
        max_length=200,
        help_text=_("For example: the name and email address of the contact person."),
    )

    class Meta:
        icon = "date"
        template = "blocks/activity_block.html"
        label = _("Activity")
        description = _("An activity of the programme, such as a masterclass or a community of practice.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(self.KINDS).get(value.get("kind"), "")
        return context


# --- Events ---------------------------------------------------------------------------


class AgendaItemBlock(blocks.StructBlock):
    start_time = blocks.TimeBlock(label=_("Start time"), format="%H:%M")
    end_time = blocks.TimeBlock(label=_("End time"), required=False, format="%H:%M")
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    speaker = blocks.CharBlock(label=_("Speaker or host"), required=False, max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=800)
    is_break = blocks.BooleanBlock(
        label=_("Break or reception"), required=False, help_text=_("Shown more quietly in the agenda.")
    )

    class Meta:
        icon = "time"
        template = "blocks/agenda_item_block.html"
        label = _("Agenda item")
        description = _("One item of the event's agenda: time, title, speaker and description.")


class WorkshopSessionBlock(blocks.StructBlock):
    code = blocks.CharBlock(label=_("Letter or number"), max_length=5, help_text=_("For example: A"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    hosts = blocks.CharBlock(label=_("Hosts"), max_length=300)
    room = blocks.CharBlock(label=_("Room"), required=False, max_length=100)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=1200)

    class Meta:
        icon = "group"
        template = "blocks/workshop_session_block.html"
        label = _("Workshop")
        description = _("A workshop that runs in parallel with others in the same round.")


class WorkshopRoundBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Round"), max_length=120, help_text=_("For example: First round"))
    start_time = blocks.TimeBlock(label=_("Start time"), required=False, format="%H:%M")
    end_time = blocks.TimeBlock(label=_("End time"), required=False, format="%H:%M")
    sessions = blocks.ListBlock(WorkshopSessionBlock(), label=_("Workshops"), min_num=1)

    class Meta:
        icon = "grip"
        template = "blocks/workshop_round_block.html"
        label = _("Workshop round")
        description = _("A round of parallel workshops, each with its hosts and room.")


# --- Newsletter -----------------------------------------------------------------------


class NewsletterBodyBlock(blocks.StreamBlock):
    """What reads well in every mail client: headings, text with links and one-button boxes."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock(features=["bold", "italic", "link", "ol", "ul"])
    call_to_action = CallToActionBlock()


class FeaturedPagesBlock(blocks.StreamBlock):
    page = blocks.PageChooserBlock(
        label=_("Page"),
        page_type=["cms.EventPage", "cms.NewsPage", "cms.PublicationPage", "cms.ProgrammePage", "cms.LessonPage"],
        icon="doc-full",
    )
