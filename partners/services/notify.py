"""How people hear about their knowledge question. Email for now.

`_tell_member` is the one door for telling the member who asked a question about a step
(the integrator points it at communities' `notify()` once notifications exist). Steps the
member takes themselves are not reported back to them, except the receipt of the question.
`_tell_handlers` tells whoever handles the question (or the editors, for the shared inbox).
Both send only after the transaction has committed.
"""

from functools import partial

from django.db import transaction

from .. import tasks
from ..models import QuestionEvent

Kind = QuestionEvent.Kind
HANDLER_KINDS = {Kind.ASKED, Kind.INFO_ADDED, Kind.CONSENT_GIVEN, Kind.CLOSED, Kind.FORWARDED_COLLEAGUE}


def _tell_member(question, event: QuestionEvent) -> None:
    if event.actor_id == question.author_id and event.kind != Kind.ASKED:
        return
    transaction.on_commit(partial(tasks.send_question_email.enqueue, event.pk, "member"), robust=True)


def _tell_handlers(question, event: QuestionEvent) -> None:
    if event.kind not in HANDLER_KINDS:
        return
    transaction.on_commit(partial(tasks.send_question_email.enqueue, event.pk, "handlers"), robust=True)
