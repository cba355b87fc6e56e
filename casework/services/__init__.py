"""Write paths of casework. Views, the API, commands and tasks call these; nothing else writes.

Every function locks the case row first, so a phase change and a contribution cannot cross:
the contribution is checked against the phase the case has when it is stored.
"""

from .attachments import MAX_ATTACHMENT_SIZE, attachment_add, attachment_delete, attachments_add, inspect_upload
from .cases import case_create, case_move, case_reflect, case_update
from .contributions import feedback_give, feedback_mark_helpful, question_answer, question_ask
from .guests import case_guest_accept, case_guest_invite, case_guest_revoke
from .lessons import (
    lesson_add_followup,
    lesson_followup_due,
    lesson_followups_send,
    lesson_propose_for_publication,
    lesson_write,
)

__all__ = [
    "MAX_ATTACHMENT_SIZE",
    "attachment_add",
    "attachment_delete",
    "attachments_add",
    "case_create",
    "case_guest_accept",
    "case_guest_invite",
    "case_guest_revoke",
    "case_move",
    "case_reflect",
    "case_update",
    "feedback_give",
    "feedback_mark_helpful",
    "inspect_upload",
    "lesson_add_followup",
    "lesson_followup_due",
    "lesson_followups_send",
    "lesson_propose_for_publication",
    "lesson_write",
    "question_answer",
    "question_ask",
]
