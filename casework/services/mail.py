from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def email_on_commit(*, to: str, template: str, context: dict, language: str | None = None) -> None:
    """Render `casework/email/<template>_subject.txt` and `_body.txt` in the recipient's language
    and send them after commit, in the background. A confidential case's content never goes in:
    the templates get `case.confidential` and show only the circle's name then."""
    from ..tasks import send_case_email

    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "SITE_URL": settings.SITE_URL}
        subject = " ".join(render_to_string(f"casework/email/{template}_subject.txt", context).split())
        body = render_to_string(f"casework/email/{template}_body.txt", context)
    transaction.on_commit(lambda: send_case_email.enqueue(to=to, subject=subject, body=body), robust=True)
