"""The partner fee: regular fee minus the largest discount of the organisation's networks."""

import pytest

from partners.fees import compute_fee, euro, quote_for_page


@pytest.mark.parametrize(
    ("member_of", "fee", "discount", "network"),
    [
        ([], 5000, 0, None),  # no network: the regular fee
        (["pmg"], 3750, 1250, "pmg"),  # PMG members get 1,250 off
        (["g32"], 4500, 500, "g32"),
        (["g32", "pmg"], 3750, 1250, "pmg"),  # discounts do not add up: the largest applies
        (["other"], 5000, 0, None),  # a network without a discount
    ],
)
def test_fee_with_and_without_network_discount(member_of, fee, discount, network):
    quote = compute_fee(regular_fee=5000, discounts={"pmg": 1250, "g32": 500}, member_of=member_of)
    assert (quote.fee, quote.discount, quote.discount_network, quote.regular_fee) == (fee, discount, network, 5000)


def test_fee_never_drops_below_zero():
    quote = compute_fee(regular_fee=1000, discounts={"pmg": 1250}, member_of=["pmg"])
    assert (quote.fee, quote.discount) == (0, 1000)


def test_the_page_quotes_with_the_discounts_editors_set(application_page, pmg, g32):
    assert quote_for_page(application_page, []).fee == 5000
    assert quote_for_page(application_page, [pmg]).fee == 3750
    assert quote_for_page(application_page, [pmg, g32]).fee == 3750


def test_euro_is_written_the_dutch_way():
    assert euro(3750) == "€ 3.750"
    assert euro(0) == "€ 0"


def test_fee_api(client, application_page):
    assert client.get("/api/v1/partners/fee").json() == {
        "regular_fee": 5000, "discount": 0, "discount_network": None, "fee": 5000, "currency": "EUR"}
    body = client.get("/api/v1/partners/fee", {"networks": ["pmg", "g32"]}).json()
    assert (body["fee"], body["discount"], body["discount_network"]) == (3750, 1250, "PMG")


def test_fee_api_without_a_page_is_404_json(client, db):
    response = client.get("/api/v1/partners/fee")
    assert response.status_code == 404
    assert response.json() == {"detail": "Er is geen pagina om partner te worden.", "code": "not_found"}


@pytest.mark.parametrize(
    ("page", "problem"),
    [("9223372036854775808", "is te groot"), ("99999999999999999999999999", "is te groot"), ("-1", "is te klein"),
     ("0", "is te klein"), ("abc", "moet een geheel getal zijn"), ("1.5", "moet een geheel getal zijn")],
)
def test_fee_api_answers_a_page_number_out_of_range_with_a_clear_422(client, application_page, page, problem):
    response = client.get("/api/v1/partners/fee", {"page": page})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"
    assert response.json()["errors"][0]["message"] == problem


def test_fee_api_with_the_largest_page_number_finds_no_page(client, application_page):
    response = client.get("/api/v1/partners/fee", {"page": str(2**63 - 1)})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
