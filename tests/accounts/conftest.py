import pytest

from tests.factories import UserFactory


@pytest.fixture
def official(db):
    """Anouk, a verified member with a profile, who logs in with her email address."""
    return UserFactory(
        username="anouk",
        email="anouk@veenendaal.example",
        profile__display_name="Anouk Ambtenaar",
    )


@pytest.fixture
def expert(db):
    return UserFactory(username="esther", email="esther@kenniscentrum.example", profile__display_name="Esther Expert")
