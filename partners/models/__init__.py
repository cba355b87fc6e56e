from .applications import NetworkDiscount, PartnerApplication, PartnerApplicationPage
from .contacts import PartnerContact, PartnerContactOrganisation
from .faq import FaqIndexPage, FaqPage
from .questions import (
    OPEN_STATUSES,
    KnowledgeQuestion,
    QuestionEvent,
    QuestionStatus,
    Theme,
    Urgency,
)

__all__ = [
    "OPEN_STATUSES",
    "FaqIndexPage",
    "FaqPage",
    "KnowledgeQuestion",
    "NetworkDiscount",
    "PartnerApplication",
    "PartnerApplicationPage",
    "PartnerContact",
    "PartnerContactOrganisation",
    "QuestionEvent",
    "QuestionStatus",
    "Theme",
    "Urgency",
]
