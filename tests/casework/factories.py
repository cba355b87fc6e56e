import factory

from casework.models import Case
from tests.factories import CircleFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """A case written straight to the database (tests that need a case in some phase);
    tests of the write paths go through the services."""

    class Meta:
        model = Case

    circle = factory.SubFactory(CircleFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Casus {n}: samenwerken in de regio")
    context = "Zes gemeenten kopen samen jeugdzorg in."
    context_html = "<p>Zes gemeenten kopen samen jeugdzorg in.</p>"
    question = "Hoe verdelen we de kosten eerlijk?"
    question_html = "<p>Hoe verdelen we de kosten eerlijk?</p>"
    phase = Case.Phase.DRAFT
