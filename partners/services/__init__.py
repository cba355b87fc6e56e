"""Write paths of the partner services. Views, the admin, the API and the demo call these."""

from .applications import application_accept, application_blocker, application_decline, application_submit
from .faq import anonymise, faq_draft_create, faq_suggestion
from .questions import (
    RULES,
    allowed_actions,
    check_step,
    question_act,
    question_add_info,
    question_answer,
    question_ask,
    question_close,
    question_consent,
    question_forward_to_circle,
    question_forward_to_colleague,
    question_pick_up,
    question_request_info,
    refusal_reason,
)

__all__ = [
    "RULES",
    "allowed_actions",
    "check_step",
    "anonymise",
    "application_accept",
    "application_blocker",
    "application_decline",
    "application_submit",
    "faq_draft_create",
    "faq_suggestion",
    "question_act",
    "question_add_info",
    "question_answer",
    "question_ask",
    "question_close",
    "question_consent",
    "question_forward_to_circle",
    "question_forward_to_colleague",
    "question_pick_up",
    "question_request_info",
    "refusal_reason",
]
