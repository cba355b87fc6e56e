"""Background work of the partner services (immediate in the embedded setup, a worker in scale-out)."""

from django_tasks import task

from . import emails


@task()
def send_application_email(application_id: int, kind: str) -> None:
    from .models import PartnerApplication

    application = PartnerApplication.objects.select_related("page").filter(pk=application_id).first()
    if application is not None:
        emails.application_message(application, kind).send()


@task()
def send_question_email(event_id: int, audience: str) -> None:
    from .models import QuestionEvent

    event = (
        QuestionEvent.objects.select_related(
            "question__author__profile", "question__assignee__profile", "question__organisation",
            "question__contact__contact_person", "actor__profile",
            "colleague__profile", "circle",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    for message in emails.question_messages(event, audience):
        message.send()
