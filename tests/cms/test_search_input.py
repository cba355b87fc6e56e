"""Public search: any text typed into the box gives results or a clear "nothing found",
never a server error (issue 13: an unbalanced quote reached SQLite FTS5 as syntax)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import ContentPage, add, paragraph

# Operators and punctuation of FTS5 and of PostgreSQL's tsquery, and words that are in the index.
TOKENS = ['"', "'", "*", "-", "+", ":", "(", ")", "^", ".", "&", "|", "!", "<->", "\\", "{", "}", "%", "_",
          "NEAR", "NEAR(", "AND", "OR", "NOT", "wijkteam", "samenwerking"]
QUERIES = ['"', 'a"b', '""', "*", "-", ":", "(", ")", "^", "NEAR", "AND", "OR", "'", ".", 'wijkteam"', '"wijkteam',
           "wijkteam:*", "wijkteam^", "-wijkteam", "(wijkteam", "wijkteam)", "a:b", "NOT wijkteam", "wijkteam OR",
           "wijkteam AND", "wijkteam & !x", "{wijkteam}", "wijk*team", "'wijkteam'", "\\", "%", "_"]

search_text = st.one_of(
    st.sampled_from(QUERIES),
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(" ".join),
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map("".join),
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60),
)

FOUND = "1 pagina gevonden"
NOTHING = "Er zijn geen pagina's gevonden"


@pytest.fixture
def page_with_words(home):
    return add(home, ContentPage(title="Wijkteam", slug="wijkteam",
                                 body=[paragraph("<p>De samenwerking van het wijkteam.</p>")]))


def search(client, query):
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200, query
    return response.content.decode()


@pytest.mark.parametrize("query", QUERIES)
def test_punctuation_gives_results_or_nothing_found(client, page_with_words, query):
    page = search(client, query)
    assert FOUND in page or NOTHING in page or "Pagina's op deze website" not in page


@pytest.mark.parametrize("query", ['wijkteam"', '"wijkteam', "wijkteam:*", "(wijkteam)", "-wijkteam", "wijkteam^"])
def test_a_word_with_punctuation_around_it_is_still_found(client, page_with_words, query):
    assert FOUND in search(client, query)


def test_a_query_of_only_punctuation_says_nothing_was_found(client, page_with_words):
    assert NOTHING in search(client, '" * :')


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=search_text)
def test_any_text_gives_a_page(client, page_with_words, query):
    search(client, query)
