"""The circle people of tests/communities, and a few helpers for the security tests."""

from tests.communities.conftest import (  # noqa: F401 (fixtures)
    channel,
    circle,
    committed,
    expert,
    facilitator,
    official,
    official2,
    outsider,
    removed_member,
    world,
)
