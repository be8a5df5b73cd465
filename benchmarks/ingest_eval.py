"""Score news ingestion against real articles: recall and precision, per article and in total.

    python benchmarks/ingest_eval.py --articles DIR [--split tune|held-out|fresh|all] [--show]

``benchmarks/ingest/facts.yaml`` lists real articles (by address) and the deals and valuations each
states, as a careful reader records them. The texts are not in this repository: save each article's text
in DIR as ``ARTICLE.txt`` (or ``.md``, ``.html``; in any subfolder), ARTICLE being its entry's
``article``. An article whose text is missing is skipped, and said so.

Each article is read as ``aikg ingest`` reads it (with its ``published_on`` when the entry gives one,
else the date the text shows), against the bundled data. Then:

- a **candidate is right** when some fact of the article has its kind, every party it names in the role
  it gives (organizations matched by the graph's names and aliases, new ones by their name), and, where
  the candidate states a figure, the same value, currency and qualifier (or, in dollars, the dollar
  figure the fact gives beside its own currency); a valuation, its organization and figure. An
  organization is matched by the graph's names and aliases, or by the one known name a shortened name
  begins ("Lightspeed Venture"); a product named as a party stands for its maker ("Google Cloud"). Anything else is wrong: a wrong party, role, kind or figure, or a fact the article does
  not state. A candidate that leaves a party out is not wrong, only incomplete;
- a **fact is found** when a right candidate matches it with a party in every role the fact has, and
  states its figure where the fact has one.

Precision is right candidates over candidates; recall is facts found over facts; the precision of the
candidates the extractor marks high-confidence is given beside. ``--show`` prints every candidate and
fact with its verdict.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402
from kg.loaders.article import article_text  # noqa: E402
from kg.loaders.figures import article_date  # noqa: E402
from kg.loaders.news import extract  # noqa: E402
from kg.model import LEGAL_FORM, slug  # noqa: E402

FACTS = Path(__file__).resolve().parent / "ingest" / "facts.yaml"


@dataclass
class Score:
    candidates: int = 0
    right: int = 0
    facts: int = 0
    found: int = 0
    confident: int = 0
    confident_right: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.candidates += other.candidates
        self.right += other.right
        self.facts += other.facts
        self.found += other.found
        self.confident += other.confident
        self.confident_right += other.confident_right

    @property
    def precision(self) -> float | None:
        return self.right / self.candidates if self.candidates else None

    @property
    def recall(self) -> float | None:
        return self.found / self.facts if self.facts else None


def _identify(g: kg.KnowledgeGraph, name: str) -> str:
    """An organization's id: the graph's, by name or alias, else the slug a new one would get."""
    import re

    for candidate in (name, re.sub(r"[,\s]+" + LEGAL_FORM + "$", "", name)):
        try:
            entity = g.entity(candidate)
        except kg.UnknownEntityError:
            continue
        return entity.maker if entity.is_product and entity.maker else entity.id  # "Google Cloud": Google's
    # A name the article shortens ("Lightspeed Venture"): the one organization whose name it begins
    starting = {e.id for e in g.entities() if not e.is_product and e.name.casefold().startswith(name.casefold() + " ")}
    return starting.pop() if len(starting) == 1 else slug(name)


def _figure(amount: dict | None) -> tuple | None:
    if not amount:
        return None
    return Decimal(str(amount["value"])), amount.get("currency", "USD"), amount.get("qualifier", "exact")


def _fact_parties(g, fact: dict) -> dict[str, set[str]]:
    return {role: {_identify(g, name) for name in names} for role, names in fact.get("parties", {}).items()}


def _matches(g, candidate: dict, fact: dict, valuation: bool) -> tuple[bool, bool]:
    """(right, complete): whether the candidate states nothing the fact contradicts, and whether it also
    states the fact's figure."""
    if valuation:
        if fact["kind"] != "valuation" or _identify(g, fact["entity"]) != candidate["entity"]:
            return False, False
    else:
        if fact["kind"] != candidate["kind"]:
            return False, False
        parties = _fact_parties(g, fact)
        for role, ids in candidate["parties"].items():
            if not set(ids) <= parties.get(role, set()):
                return False, False
        every_role = all(candidate["parties"].get(role) for role in parties)
    mine, theirs = _figure(candidate.get("amount")), _figure(fact.get("amount"))
    usd = (fact.get("amount") or {}).get("usd")
    if mine is not None and theirs is not None and mine[1] == "USD" and usd is not None and mine[0] == Decimal(str(usd)):
        theirs = mine  # "Mistral raises $645 million" states the fact's "€600 million ($645 million)" in dollars
    if mine is not None and mine[:2] != (theirs or (None, None))[:2]:
        return False, False
    if mine is not None and mine != theirs:
        return False, False
    return True, (valuation or every_role) and (theirs is None or mine == theirs)


def score_article(g: kg.KnowledgeGraph, entry: dict, text: str) -> Score:
    published = entry.get("published_on")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published) if len(published) == 10 else None
    published = published or article_date(text) or dt.date.today()
    found = extract(g, text, published, entry["article"])
    facts = entry.get("facts") or []
    hit = [False] * len(facts)
    score = Score(facts=len(facts))
    for valuation, candidates in ((False, found.deals), (True, found.valuations)):
        for candidate in candidates:
            score.candidates += 1
            verdicts = [_matches(g, candidate, fact, valuation) for fact in facts]
            right = any(ok for ok, _ in verdicts)
            score.right += right
            if (candidate.get("candidate") or {}).get("confidence", "high") == "high":
                score.confident += 1
                score.confident_right += right
            for index, (ok, complete) in enumerate(verdicts):
                hit[index] |= ok and complete
            what = candidate.get("kind", "valuation"), candidate.get("parties") or candidate.get("entity"), \
                candidate.get("amount")
            low = "" if candidate["candidate"].get("confidence", "high") == "high" else "  (low confidence)"
            score.lines.append(f"    {'right' if right else 'WRONG'}  {what}{low}")
    score.found = sum(hit)
    for fact, was_found in zip(facts, hit):
        if not was_found:
            score.lines.append(f"    missed {fact['kind']} {fact.get('parties') or fact.get('entity')} {fact.get('amount')}")
    return score


def _text_of(articles: Path, name: str) -> str | None:
    for path in sorted(articles.rglob(f"{name}.*")):
        if path.suffix in (".txt", ".md", ".html", ".htm"):
            return article_text(path.read_text(encoding="utf-8"))
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True, help="folder of the articles' texts")
    parser.add_argument("--facts", type=Path, default=FACTS)
    parser.add_argument("--split", choices=["tune", "held-out", "fresh", "all"], default="all")
    parser.add_argument("--show", action="store_true", help="print every candidate and missed fact")
    args = parser.parse_args()
    g = kg.load()
    entries = yaml.safe_load(args.facts.read_text(encoding="utf-8"))
    totals: dict[str, Score] = {}
    print(f"{'article':48} {'split':9} {'facts':>5} {'found':>5} {'cands':>5} {'right':>5}")
    for entry in entries:
        if args.split != "all" and entry["split"] != args.split:
            continue
        text = _text_of(args.articles, entry["article"])
        if text is None:
            print(f"{entry['article']:48} {entry['split']:9} (no text in {args.articles})")
            continue
        score = score_article(g, entry, text)
        totals.setdefault(entry["split"], Score()).add(score)
        print(f"{entry['article'][:48]:48} {entry['split']:9} {score.facts:5} {score.found:5} {score.candidates:5} {score.right:5}")
        if args.show:
            print("\n".join(score.lines))
    print()
    for split, score in sorted(totals.items()):
        precision = "n/a" if score.precision is None else f"{score.precision:.0%}"
        print(f"{split}: recall {score.found}/{score.facts} = {score.recall:.0%}, "
              f"precision {score.right}/{score.candidates} = {precision}; "
              f"high-confidence candidates: {score.confident}, of which right {score.confident_right}"
              + (f" = {score.confident_right / score.confident:.0%}" if score.confident else ""))


if __name__ == "__main__":
    main()
