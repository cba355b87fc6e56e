from django.utils.translation import gettext as _

from communities.events import case_group, send_event_on_commit
from communities.rendering import render_markdown

from ..errors import InvalidInput
from ..models import Case
from ..models.cases import TEXT_MAX_LENGTH


def clean_text(value, *, label, required: bool = True, max_length: int = TEXT_MAX_LENGTH) -> str:
    """Strip and check one user-written field; the message names the field as the user sees it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("“%(field)s” must be text.") % {"field": label}, code="invalid_text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("Fill in “%(field)s”.") % {"field": label}, code="required")
    if len(value) > max_length:
        raise InvalidInput(
            _("“%(field)s” can be at most %(max)s characters long; this text has %(length)s.")
            % {"field": label, "max": f"{max_length:,}".replace(",", "."), "length": f"{len(value):,}".replace(",", ".")},
            code="too_long",
        )
    return value


def render(source: str) -> str:
    return render_markdown(source) if source else ""


def locked_case(case: Case) -> Case:
    """The case row, locked for this transaction, with its circle."""
    return Case.objects.select_for_update(of=("self",)).select_related("circle").get(pk=case.pk)


def broadcast(case: Case, event: dict) -> None:
    send_event_on_commit(case_group(case.pk), event)
