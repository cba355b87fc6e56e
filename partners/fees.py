"""The partner fee: the regular fee minus the largest discount of the networks an organisation belongs to.

Discounts do not add up (an organisation in two networks with a discount gets the larger one)
and the fee never drops below zero. static/js/partner-fee.js applies the same rule in the
browser; the server's quote is the one that counts (it is shown again before sending).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FeeQuote:
    regular_fee: int
    discount: int
    discount_network: object | None  # the network whose discount applies, None without discount
    fee: int


def compute_fee(*, regular_fee: int, discounts: Mapping[Hashable, int], member_of: Iterable) -> FeeQuote:
    """`discounts` maps a network (or its key) to its discount; `member_of` lists the organisation's networks."""
    best_amount, best_network = 0, None
    for network in member_of:
        amount = discounts.get(getattr(network, "pk", network), 0)
        if amount > best_amount:
            best_amount, best_network = amount, network
    discount = min(best_amount, max(regular_fee, 0))
    return FeeQuote(regular_fee=regular_fee, discount=discount, discount_network=best_network, fee=regular_fee - discount)


def quote_for_page(page, networks: Iterable) -> FeeQuote:
    return compute_fee(regular_fee=page.regular_fee, discounts=page.discount_table(), member_of=networks)


def euro(amount: int) -> str:
    """€ 3.750 — Dutch thousands separator, no cents (fees are whole euros)."""
    return "€ " + f"{amount:,}".replace(",", ".")
