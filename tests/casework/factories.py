import factory

from casework.models import Case
from communities.search_vectors import refresh_case_vectors
from tests.factories import CircleFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """A case written straight to the database (tests that need a case in some phase);
    tests of the write paths go through the services."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    circle = factory.SubFactory(CircleFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Casus {n}: samenwerken in de regio")
    context = "Zes gemeenten kopen samen jeugdzorg in."
    context_html = "<p>Zes gemeenten kopen samen jeugdzorg in.</p>"
    question = "Hoe verdelen we de kosten eerlijk?"
    question_html = "<p>Hoe verdelen we de kosten eerlijk?</p>"
    phase = Case.Phase.DRAFT

    @factory.post_generation
    def index_for_search(obj, create, extracted, **kwargs):
        """As the services do: the stored search vector (PostgreSQL) follows the text."""
        if create:
            refresh_case_vectors(Case.objects.filter(pk=obj.pk))
