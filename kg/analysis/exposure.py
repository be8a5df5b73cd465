"""Who is exposed if an organization fails to pay, or loses value: through which commitments, stakes,
vendor financing and capacity backstops, for how much money and how many gigawatts, with paths.

Every deal that counts under the reading (:data:`kg.flows.READINGS`) gives *obligations* between corporate
families, one per principal flow (:mod:`kg.flows`), by what the flow buys:

- ``equity``: the payer of an investment holds a stake in the payee (the holder of a warrant, in its
  issuer), worth what it paid; ``vendor-financing`` likewise, for a supplier's investment in its customer;
- ``funding``: the payee of an investment or grant not yet completed is owed the money;
- ``revenue``: the seller of compute, services or a licence is owed the buyer's commitment;
- ``supply``: the buyer depends on the seller's capacity (gigawatts; no money is lost);
- ``backstop``: a family that agreed to buy a provider's unsold capacity (a capacity backstop) must buy
  what the provider's failing customers leave, up to the backstop's amount.

**The shock.** ``shock="default"``: the family fails to pay and its equity is worthless, so its stress
is 1 and every obligation it has is hit. ``shock=s`` (a share between 0 and 1): its value falls by ``s``,
so only stakes (``equity``, ``vendor-financing``) lose ``s`` of what was paid.

**First order.** Each family the shocked one owes loses ``stress × amount`` of each obligation
(undisclosed amounts are counted as undisclosed, never as zero); the backstopper of a provider that
loses revenue loses up to the backstop's amount.

**Propagation.** A family that lost ``L`` of known money has stress ``min(1, L / B)``, where ``B`` is
its book in the graph: the known amounts of all its obligations, owed and owing. At the next order, every
family it owes loses its stress times the obligation (as in DebtRank, each family passes stress on
once, at the order it is first reached; the shocked family is never hit again). Orders go up to
``max_order`` (3 by default). A family's row describes the order it is first reached at; what reaches
it later is its knock-on loss. A family whose book or loss is wholly undisclosed is listed, but passes
nothing on: its stress is not known.

>>> import kg
>>> first = [row.family for row in exposure(kg.load(), "Anthropic") if row.order == 1]
>>> "amazon" in first and "alphabet" in first
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.families import family_heads
from kg.analysis.flows import exchange, family_sides
from kg.analysis.table import Record, Table
from kg.flows import deal_flows, reading_deals
from kg.model import Total

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

CHANNELS = ("equity", "vendor-financing", "funding", "revenue", "supply", "backstop")
STAKE_CHANNELS = ("equity", "vendor-financing")
MONEY_CHANNELS = ("equity", "vendor-financing", "funding", "revenue", "backstop")


@dataclass(frozen=True)
class Obligation:
    """What ``holder``'s family stands to lose if ``obligor``'s family fails, through one deal."""

    holder: str
    obligor: str
    channel: str
    deal: str
    amount_usd: float | None
    shared: bool
    gigawatts: float | None


@dataclass(frozen=True)
class Exposure(Record):
    """A family exposed to the shock, at the ``order`` it is first reached at (1: a direct counterparty)
    along a ``path`` of families from the shocked one: the ``channels`` and ``deals`` it is exposed
    through there, the money ``at_risk`` in them (a :class:`~kg.model.Total`), its estimated ``loss_usd``
    there (known money only; None when none is known) and the ``gigawatts`` in those contracts;
    ``knock_on_usd``, the further loss that reaches it at later orders through other families; and the
    ``stress`` it passes on (None when not known)."""

    family: str
    order: int
    path: tuple[str, ...]
    channels: tuple[str, ...]
    at_risk: Total
    loss_usd: float | None
    knock_on_usd: float | None
    gigawatts: float | None
    deals: tuple[str, ...]
    stress: float | None


def obligations(g: KnowledgeGraph, reading: str = "committed") -> list[Obligation]:
    """Every obligation between families that the deals counting under ``reading`` make. O(D)."""
    heads = family_heads(g)
    found = []
    for deal in reading_deals(g.deals(), reading):
        of_deal = deal_flows(deal)
        for flow in of_deal:
            if not flow.principal:
                continue
            payers, payees = family_sides(flow, heads)
            shared = len(payers) > 1 or len(payees) > 1
            bought = exchange(flow, of_deal)
            for payer in sorted(payers):
                for payee in sorted(payees):
                    if payer == payee:
                        continue
                    found.extend(_obligations_of(deal, flow.type, bought, payer, payee, shared))
    return found


def _obligations_of(deal, flow_type: str, bought: str, payer: str, payee: str, shared: bool) -> list[Obligation]:
    amount = None if shared else deal.amount_usd
    gigawatts = deal.power_gw

    def obligation(holder: str, obligor: str, channel: str, money: float | None = amount, power=None) -> Obligation:
        return Obligation(holder, obligor, channel, deal.id, money, shared, power)

    if flow_type == "equity":  # a warrant or shares issued: the payee holds a stake in the payer
        return [obligation(payee, payer, "equity")]
    if bought == "equity":  # money for a stake
        stake = "vendor-financing" if deal.kind == "vendor-financing" else "equity"
        out = [obligation(payer, payee, stake)]
        if deal.status != "completed":
            out.append(obligation(payee, payer, "funding"))
        return out
    if bought == "money":  # a grant
        return [obligation(payee, payer, "funding")] if deal.status != "completed" else []
    out = [obligation(payee, payer, "revenue", power=gigawatts), obligation(payer, payee, "supply", None, gigawatts)]
    if deal.kind == "capacity-backstop":
        out.append(obligation(payer, payee, "backstop"))
    return out


@dataclass
class _Hit:
    order: int
    path: tuple[str, ...]
    channels: set = field(default_factory=set)
    deals: list = field(default_factory=list)
    amounts: list = field(default_factory=list)
    shared: int = 0
    loss: float | None = None
    knock_on: float | None = None
    gigawatts: float | None = None

    @property
    def at_risk(self) -> Total:
        amounts = Total.of(self.amounts)
        return Total(amounts.known_usd, amounts.undisclosed, self.shared)

    def add(self, obligation: Obligation, stress: float, order: int, amount: float | None = ...) -> None:
        """Count an obligation hit at ``order``: in full at the family's own order, as knock-on loss after it."""
        amount = obligation.amount_usd if amount is ... else amount
        money = obligation.channel in MONEY_CHANNELS and not obligation.shared
        if order > self.order:
            if money and amount is not None:
                self.knock_on = (self.knock_on or 0.0) + stress * amount
            return
        self.channels.add(obligation.channel)
        if obligation.deal not in self.deals:
            self.deals.append(obligation.deal)
        if obligation.gigawatts is not None:
            self.gigawatts = (self.gigawatts or 0.0) + obligation.gigawatts
        if obligation.channel not in MONEY_CHANNELS:
            return
        if obligation.shared:
            self.shared += 1
            return
        self.amounts.append(amount)
        if amount is not None:
            self.loss = (self.loss or 0.0) + stress * amount


def _shock_stress(shock) -> tuple[float, tuple[str, ...]]:
    if shock == "default":
        return 1.0, CHANNELS
    try:
        share = float(shock)
    except (TypeError, ValueError):
        raise ValueError(f"use 'default' or a share between 0 and 1, such as 0.5, not {shock!r}") from None
    if not 0 < share <= 1:
        raise ValueError(f"a value shock is a share between 0 and 1, not {share}")
    return share, STAKE_CHANNELS


def _ledger(g: KnowledgeGraph, reading: str) -> tuple[dict[str, list[Obligation]], dict[str, list[Obligation]],
                                                        dict[str, float]]:
    """The obligations by obligor, the backstops by obligor, and each family's book (the known money of
    its money obligations, both ways): once per graph and reading (``g.memo``), O(D)."""
    return g.kept(("ledger", reading), lambda: _book_keeping(obligations(g, reading)))


def _book_keeping(every: list[Obligation]) -> tuple[dict[str, list[Obligation]], dict[str, list[Obligation]],
                                                     dict[str, float]]:
    on: dict[str, list[Obligation]] = {}
    backstops: dict[str, list[Obligation]] = {}
    book: dict[str, float] = {}
    for obligation in every:
        on.setdefault(obligation.obligor, []).append(obligation)
        if obligation.channel == "backstop":
            backstops.setdefault(obligation.obligor, []).append(obligation)
        known = obligation.amount_usd is not None and not obligation.shared
        if known and obligation.channel in MONEY_CHANNELS and obligation.channel != "backstop":
            for family in (obligation.holder, obligation.obligor):
                book[family] = book.get(family, 0.0) + obligation.amount_usd
    return on, backstops, book


def exposure(g: KnowledgeGraph, entity: str, shock="default", reading: str = "committed",
             max_order: int = 3) -> Table:
    """The families exposed if ``entity``'s family fails to pay (``shock="default"``) or its value falls
    by a share (``shock=0.5``), by order, then by estimated loss; see the module for the rules. The
    first question of a graph and reading builds its ledger of obligations, O(D); each question then
    reads the obligations of the families it reaches, up to ``max_order``.

    Examples
    --------
    >>> import kg
    >>> hit = {row.family: row for row in exposure(kg.load(), "CoreWeave")}
    >>> hit["nvidia"].order, hit["nvidia"].channels
    (1, ('equity', 'revenue', 'supply'))
    """
    stress0, channels = _shock_stress(shock)
    if max_order < 1:
        raise ValueError("max_order must be 1 or more")
    source = g.family_head(entity)
    on, backstops, book = _ledger(g, reading)
    hits: dict[str, _Hit] = {}
    stress: dict[str, float | None] = {source: stress0}
    reached: dict[int, list[str]] = {0: [source]}
    backstop_used: dict[tuple[str, str], float] = {}

    def reach(family: str, order: int, path: tuple[str, ...]) -> _Hit:
        if family not in hits:
            hits[family] = _Hit(order, path + (family,))
            reached.setdefault(order, []).append(family)
        return hits[family]

    for order in range(1, max_order + 1):
        revenue_lost: dict[str, float] = {}
        for obligor in reached.get(order - 1, ()):
            level = stress.get(obligor)
            if not level:
                continue
            path = hits[obligor].path if obligor in hits else (source,)
            for obligation in on.get(obligor, ()):
                if obligation.holder == source or obligation.channel == "backstop" or \
                        (obligor == source and obligation.channel not in channels):
                    continue
                reach(obligation.holder, order, path).add(obligation, level, order)
                if obligation.channel == "revenue" and obligation.amount_usd is not None and not obligation.shared:
                    lost = level * obligation.amount_usd
                    revenue_lost[obligation.holder] = revenue_lost.get(obligation.holder, 0.0) + lost
        # A provider that loses a failing customer's revenue leaves capacity its backstoppers must buy.
        for provider, lost in revenue_lost.items():
            for obligation in backstops.get(provider, ()):
                if obligation.holder == source or order == max_order:
                    continue
                key = (obligation.deal, obligation.holder)
                amount = None if obligation.amount_usd is None else \
                    min(obligation.amount_usd - backstop_used.get(key, 0.0), lost)
                if amount is not None:
                    backstop_used[key] = backstop_used.get(key, 0.0) + amount
                reach(obligation.holder, order + 1, hits[provider].path).add(obligation, 1.0, order + 1, amount)
        for family in reached.get(order, ()):
            hit = hits[family]
            stress[family] = None if hit.loss is None or not book.get(family) else min(1.0, hit.loss / book[family])
    rows = [Exposure(family, hit.order, hit.path, tuple(sorted(hit.channels)), hit.at_risk, hit.loss,
                     hit.knock_on, hit.gigawatts, tuple(hit.deals), stress.get(family))
            for family, hit in hits.items()]
    return Table(sorted(rows, key=lambda r: (r.order, -(r.loss_usd or 0.0), r.family)))
