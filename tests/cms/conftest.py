import pytest

from tests.factories import UserFactory

from .factories import EventIndexPage, add, editors_group, make_event, make_home


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def agenda(home):
    return add(home, EventIndexPage(title="Agenda", slug="agenda", show_in_menus=True))


@pytest.fixture
def event(agenda):
    """An upcoming event with two places and room for two colleagues per registration."""
    return make_event(agenda)


@pytest.fixture
def editor(db):
    user = UserFactory(username="rosa-redacteur", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit work (mails) of what happens inside the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
