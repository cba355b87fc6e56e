"""People and places of the story, shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from communities.models import Channel, Circle, Membership, Message, Profile
from communities.search_vectors import refresh_message_vectors


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def profile(user, create, extracted, **kwargs):
        if create:
            Profile.objects.get_or_create(user=user, defaults={"display_name": kwargs.get("display_name", user.username.title())})
            _verified_email(user)


def _verified_email(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Kring {n}")
    slug = factory.Sequence(lambda n: f"kring-{n}")
    description = "Een leerkring om van elkaar te leren."
    join_policy = Circle.JoinPolicy.REQUEST


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    circle = factory.SubFactory(CircleFactory)
    role = Membership.Role.MEMBER
    state = Membership.State.ACTIVE


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    circle = factory.SubFactory(CircleFactory)
    name = factory.Sequence(lambda n: f"Kanaal {n}")
    slug = factory.Sequence(lambda n: f"kanaal-{n}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message
        skip_postgeneration_save = True

    channel = factory.SubFactory(ChannelFactory)
    author = factory.SubFactory(UserFactory)
    body_source = "Hallo kring"
    body_html = "<p>Hallo kring</p>"

    @factory.post_generation
    def index_for_search(obj, create, extracted, **kwargs):
        """As the services do: the stored search vector (PostgreSQL) follows the body."""
        if create:
            refresh_message_vectors(Message.objects.filter(pk=obj.pk))
