"""A confidential case never shows its content in other users' search results."""

import pytest

from casework.selectors import search_cases

from .conftest import put_in_phase
from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_search_finds_open_cases_and_only_the_owner_finds_a_confidential_one(circle, official, member, outsider):
    open_case = CaseFactory(circle=circle, author=member, title="Jeugdzorg: samen inkopen", phase="advice")
    secret = CaseFactory(circle=circle, author=member, title="Jeugdzorg: een gevoelige zaak", phase="advice",
                         confidential=True)
    draft = CaseFactory(circle=circle, author=member, title="Jeugdzorg: nog een concept", phase="draft")
    assert list(search_cases(official, "jeugdzorg")) == [open_case]
    assert set(search_cases(member, "jeugdzorg")) == {open_case, secret, draft}
    assert list(search_cases(outsider, "jeugdzorg")) == []
    assert list(search_cases(official, "")) == []


def test_search_does_not_match_on_confidential_content(circle, official, member, case):
    put_in_phase(case, "advice")
    CaseFactory(circle=circle, author=member, title="Iets anders", phase="advice", confidential=True,
                context="De wethouder van Veenendaal trekt zich terug.")
    assert list(search_cases(official, "wethouder")) == []
