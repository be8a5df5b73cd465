"""Money between corporate families: who invested in whom, and how much.

Every total is a :class:`~kg.model.Total`: the known sum and how many parts are undisclosed, never an
unknown counted as zero. A funding round's amount is what the round raised from all its investors, and a
commitment several families make together (a consortium, a joint venture's plan) is the group's: neither
is credited to any one investor, unless a source states each one's share (recorded as tranches). A
secondary sale (a tender offer, employees selling shares) pays the sellers, not the company: it is
listed apart and never counted as investment in the company.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.families import counting_family_deals, family_heads
from kg.analysis.table import Record, Table
from kg.model import Total
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class InvestorTotal(Record):
    """What one family put into another, and the deals behind it.

    ``committed`` and ``contingent`` are the family's own investments, each a :class:`~kg.model.Total`;
    ``deals`` are those investments. ``rounds`` are funding rounds it joined and ``shared`` commitments it
    made with other families: their amounts are the group's, not its own. ``secondary`` are purchases of
    existing shares from employees or investors (money to the sellers, not the company).
    """

    investor: str
    investee: str
    committed: Total
    contingent: Total
    deals: tuple[str, ...]
    rounds: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()

    @property
    def committed_usd(self) -> float | None:
        """The known sum of committed money (None when none of it is disclosed)."""
        return self.committed.known_usd

    @property
    def contingent_usd(self) -> float | None:
        """The known sum of contingent money (None when none of it is disclosed)."""
        return self.contingent.known_usd


def _is_investment(kind: str) -> bool:
    return load_vocabulary().is_kind(kind, "investment")


def _investment_totals(g: KnowledgeGraph, side: str, reference: str) -> Table:
    heads = family_heads(g)
    me = g.family_head(reference)
    other_side = "investor" if side == "investee" else "investee"
    # In a secondary sale, an investee's counterpart is the buyer of its shares; an investor's, the issuer.
    my_role, their_role = ("issuer", "buyer") if side == "investee" else ("buyer", "issuer")
    entries: dict[str, dict] = {}

    def entry(other: str) -> dict:
        return entries.setdefault(other, {"committed": [], "contingent": [], "deals": [], "rounds": [],
                                          "shared": [], "secondary": []})

    for deal in counting_family_deals(g, me, include_contingent=True):
        if deal.kind == "secondary-sale":
            if me in {heads[p] for p in deal.parties.get(my_role, ())}:
                for other in sorted({heads[p] for p in deal.parties.get(their_role, ())} - {me}):
                    entry(other)["secondary"].append(deal.id)
            continue
        if not _is_investment(deal.kind):
            continue
        mine = {heads[p] for p in deal.parties.get(side, ())}
        if me not in mine:
            continue
        others = {heads[p] for p in deal.parties.get(other_side, ())} - {me}
        for other in sorted(others):
            record = entry(other)
            if deal.kind == "funding-round":
                record["rounds"].append(deal.id)
            elif len(others) > 1 or len(mine) > 1:
                record["shared"].append(deal.id)
            else:
                record["contingent" if deal.status == "contingent" else "committed"].append(deal.amount_usd)
                record["deals"].append(deal.id)
    records = []
    for other, found in entries.items():
        pair = (other, me) if side == "investee" else (me, other)
        records.append(InvestorTotal(pair[0], pair[1], Total.of(found["committed"]), Total.of(found["contingent"]),
                                     tuple(found["deals"]), tuple(found["rounds"]), tuple(found["shared"]),
                                     tuple(found["secondary"])))
    key = (lambda r: r.investor) if side == "investee" else (lambda r: r.investee)
    return Table(sorted(records, key=lambda r: (-(r.committed_usd or 0.0), -r.committed.undisclosed,
                                                -(r.contingent_usd or 0.0), key(r))))


def investors_of(g: KnowledgeGraph, entity: str) -> Table:
    """Who funds an organization's family, and how much each family put in, largest known sum first.

    ``committed`` counts announced, completed and reported investments, ``contingent`` the money that
    depends on conditions, each a :class:`~kg.model.Total` whose undisclosed parts are counted apart.
    Funding rounds an investor joined (``rounds``) and commitments it shares with other families
    (``shared``) are listed without an amount, since theirs is the group's; secondary purchases of the
    organization's shares (``secondary``) are listed, never counted. Ties are broken by id. O(k log k)
    in the family's k deals, from the graph's index by party (built once, O(D)).

    Examples
    --------
    >>> import kg
    >>> [(r.investor, r.committed_usd, r.contingent_usd) for r in investors_of(kg.load(), "Anthropic")][:2]
    [('alphabet', 13300000000.0, 30000000000.0), ('amazon', 13000000000.0, 20000000000.0)]
    """
    return _investment_totals(g, "investee", entity)


def investments_by(g: KnowledgeGraph, entity: str) -> Table:
    """Where an organization's family invested, and how much, largest known sum first. O(k log k) in its
    family's k deals.

    >>> import kg
    >>> top = investments_by(kg.load(), "Microsoft")[0]
    >>> top.investee, str(top.committed)
    ('openai', '$13.0B')
    """
    return _investment_totals(g, "investor", entity)


def total_invested(g: KnowledgeGraph, investor: str, investee: str, include_contingent: bool = False) -> Total:
    """What an investor's family alone put into an investee's family; see
    :meth:`kg.graph.KnowledgeGraph.total_invested`. O(k log k) in the investee family's k deals."""
    investors, investees = g.family(investor), g.family(investee)
    amounts = [
        deal.amount_usd for deal in counting_family_deals(g, investee, include_contingent)
        if _is_investment(deal.kind) and deal.kind != "funding-round"
        and (paying := set(deal.parties.get("investor", ()))) and paying <= investors
        and investees & set(deal.parties.get("investee", ()))
    ]
    return Total.of(amounts)
