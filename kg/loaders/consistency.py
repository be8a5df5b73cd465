"""Consistency checks across records: facts each valid alone that do not fit together.

:func:`consistency_warnings` finds what may be legitimately odd, for a person to look at; what cannot
be true is refused when the data loads (see :mod:`kg.loaders.references`). ``aikg validate`` prints both.

- **Tranches over their umbrella**: the tranches of an umbrella agreement add up to more than its
  amount (a ceiling or an exact figure; 5% slack for an approximate one).
- **Valuations that do not add up**: a deal's pre-money valuation plus its amount differs from its
  post-money valuation by more than 2%, where all three are given in US dollars.
- **Ownership after a deal that relies on it**: an organization takes part in a deal on the same side
  as its parent before the parent relation began (the deal treats the two as one family too early).
- **Two records for one contract without a link**: two deals of the same kind, parties and date with
  different figures, neither naming the other in ``supersedes`` or ``alternative_of``.

>>> import kg
>>> [w.record for w in consistency_warnings(kg.load().dataset)][-1]  # GIP partnered with BlackRock before BlackRock owned it
'global-infrastructure-partners'
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from kg.errors import Problem
from kg.model import Dataset, Deal

_FILES = {"entity": "entities", "deal": "deals", "valuation": "valuations"}


def consistency_warnings(dataset: Dataset, folder: str | Path | None = None) -> list[Problem]:
    """Every consistency warning, each placed at its record's file and line when ``folder`` (the data
    folder read) is given."""
    found: list[tuple[str, str, str, str | None]] = []  # (record type, id, message, hint)
    deals = {deal.id: deal for deal in dataset.deals}
    found += _tranches_over_umbrella(dataset.deals, deals)
    found += _valuations_that_do_not_add_up(dataset, deals)
    found += _ownership_after_reliance(dataset)
    found += _unlinked_records_of_one_contract(dataset.deals)
    lines = _record_lines(Path(folder)) if folder is not None else {}
    problems = []
    for kind, identifier, message, hint in found:
        file, line = lines.get(identifier, (f"{_FILES[kind]}.yaml", None))
        problems.append(Problem(file, line, identifier, message, hint))
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.record or ""))


def _tranches_over_umbrella(records, deals: dict[str, Deal]):
    sums: dict[str, float] = defaultdict(float)
    for deal in records:
        if deal.part_of and deal.amount_usd is not None and deal.status != "terminated":
            sums[deal.part_of] += deal.amount_usd
    for umbrella_id, total in sorted(sums.items()):
        umbrella = deals[umbrella_id]
        if umbrella.amount_usd is None or umbrella.amount_qualifier in ("more-than", "at-least"):
            continue
        slack = 1.05 if umbrella.amount_qualifier == "approximately" else 1.0
        if total > umbrella.amount_usd * slack:
            yield ("deal", umbrella_id, f"its tranches add up to ${total:,.0f}, more than its own "
                   f"${umbrella.amount_usd:,.0f}", "check the amounts, or the qualifier of the umbrella's")


def _valuations_that_do_not_add_up(dataset: Dataset, deals: dict[str, Deal]):
    by_deal: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for valuation in dataset.valuations:
        if valuation.deal and valuation.basis in ("pre-money", "post-money") and valuation.amount_usd is not None:
            by_deal[valuation.deal][valuation.basis].append(valuation)
    for deal_id, bases in sorted(by_deal.items()):
        deal = deals[deal_id]
        if deal.amount_usd is None or deal.amount_qualifier not in ("exact", "approximately"):
            continue
        for pre in bases["pre-money"]:
            for post in bases["post-money"]:
                if abs(pre.amount_usd + deal.amount_usd - post.amount_usd) > 0.02 * post.amount_usd:
                    yield ("valuation", post.id, f"pre-money {pre.id} (${pre.amount_usd:,.0f}) plus the round "
                           f"(${deal.amount_usd:,.0f}) is not this post-money ${post.amount_usd:,.0f}",
                           "sources may count the round differently: say so in notes, or fix the figure")


def _ownership_after_reliance(dataset: Dataset):
    owned = {e.id: e for e in dataset.entities if e.parent and e.parent_since is not None}
    for deal in dataset.deals:
        for role, ids in deal.parties.items():
            for party in ids:
                entity = owned.get(party)
                if entity is not None and entity.parent in ids and deal.announced_on < entity.parent_since:
                    yield ("entity", party, f"{deal.id} ({deal.announced_on}) puts it beside its parent "
                           f"{entity.parent} as {role} before the parent relation began ({entity.parent_since})",
                           "check parent_since, or whether the deal names the right parties")


def _unlinked_records_of_one_contract(records):
    groups: dict[tuple, list[Deal]] = defaultdict(list)
    for deal in records:
        if deal.part_of is None:
            parties = tuple(sorted((role, tuple(sorted(ids))) for role, ids in deal.parties.items()))
            groups[(deal.kind, parties, deal.announced_on, deal.announced_precision)].append(deal)
    for group in groups.values():
        linked = {(d.id, d.supersedes or d.alternative_of) for d in group}
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if (first.id, second.id) in linked or (second.id, first.id) in linked:
                    continue
                if (first.amount, first.power, first.chips) != (second.amount, second.power, second.chips) \
                        and first.status != "contingent" and second.status != "contingent":
                    yield ("deal", second.id, f"same kind, parties and date as {first.id} with other figures: "
                           "two records of one contract?", f"if so, add alternative_of: {first.id} (sources "
                           f"disagree) or supersedes: {first.id} (a revision); if not, tell them apart in the titles")


def _record_lines(folder: Path) -> dict[str, tuple[str, int]]:
    """Where each record starts in a YAML data folder: id → (file, line)."""
    lines: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            shown = path.resolve().relative_to(Path.cwd())
        except ValueError:
            shown = path
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if text.startswith("- id: "):
                lines.setdefault(text[6:].strip(), (str(shown), number))
    return lines
