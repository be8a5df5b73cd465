"""Candidate files: what ``aikg ingest`` writes and ``aikg review`` reads, and the merge into ``data/``.

A candidate file is YAML with four lists, ``sources``, ``entities``, ``deals`` and ``valuations``, in the
data's own format; every entity, deal and valuation carries ``candidate: {quote: ...}``, the sentence it
came from. Deals and valuations also carry ``span`` (where that sentence lies in the article's text),
``confidence`` (``high`` or ``low``), the ``doubts`` that made it low, and ``also``, the later sentences
that named more of a round's investors. Merging appends the accepted records, without that field, to the
data folder's YAML files, but only once the whole folder, with them, passes validation.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from kg.errors import DataError, Problem
from kg.humanize import describe_amount, format_usd
from kg.loaders.article import article_text
from kg.loaders.figures import money_in
from kg.loaders.news import Found, extract
from kg.model import slug

SECTIONS = {"sources": "sources.yaml", "entities": "entities.yaml", "deals": "deals.yaml",
            "valuations": "valuations.yaml"}


def ingest(g, raw: str, published_on: dt.date, title: str | None = None, url: str | None = None,
           publisher: str | None = None, extractor=None) -> dict:
    """Candidates from an article, with the article as their source, as a candidate document.

    ``extractor(g, text, published_on, source_id) -> Found`` reads the article: by default the offline
    patterns of :func:`kg.loaders.news.extract`."""
    text = article_text(raw)
    title = title or text.split("\n\n", 1)[0][:200]
    publisher = publisher or (urlsplit(url).hostname if url else None) or "unknown publisher (edit me)"
    source_id = slug(f"{publisher}-{published_on.isoformat()}-{title}")[:80].strip("-")
    found: Found = (extractor or extract)(g, text, published_on, source_id)
    source = {"id": source_id, "publisher": publisher, "title": title, "published_on": published_on.isoformat()}
    if url:
        source["url"] = url
    return {"sources": [source], "entities": found.entities, "deals": found.deals, "valuations": found.valuations}


def combine(documents: list[dict]) -> dict:
    """Candidate documents from several articles as one. A fact two articles state (same kind, parties,
    figure and status; a valuation's entity, figure and basis) is one candidate citing both, the other's
    sentence in its ``also``; ids stay unique.

    >>> one = {"sources": [{"id": "a"}], "entities": [], "valuations": [], "deals": [{"id": "x-2026",
    ...        "kind": "investment", "parties": {"investor": ["x"], "investee": ["y"]}, "status": "announced",
    ...        "sources": ["a"], "candidate": {"quote": "X invests in Y."}}]}
    >>> two = {**one, "sources": [{"id": "b"}], "deals": [{**one["deals"][0], "sources": ["b"],
    ...        "candidate": {"quote": "Y gets X's money."}}]}
    >>> both = combine([one, two])
    >>> [(d["id"], d["sources"], d["candidate"]["also"]) for d in both["deals"]]
    [('x-2026', ['a', 'b'], ["Y gets X's money."])]
    """
    combined: dict = {section: [] for section in SECTIONS}
    seen: dict[tuple, dict] = {}
    ids: set[str] = set()
    for document in documents:
        for section in SECTIONS:
            for record in document.get(section) or []:
                if section in ("sources", "entities"):
                    if record["id"] not in ids:
                        ids.add(record["id"])
                        combined[section].append(record)
                    continue
                key = (section, repr({k: v for k, v in record.items()
                                      if k in ("kind", "parties", "amount", "status", "entity", "basis")}))
                if key in seen:
                    first = seen[key]
                    first["sources"] = [*first["sources"], *(s for s in record["sources"] if s not in first["sources"])]
                    first["candidate"].setdefault("also", []).append(record["candidate"]["quote"])
                    continue
                identifier, counter = record["id"], 2
                while identifier in ids:
                    identifier, counter = f"{record['id']}-{counter}", counter + 1
                ids.add(identifier)
                seen[key] = {**record, "id": identifier, "candidate": dict(record["candidate"])}
                combined[section].append(seen[key])
    return combined


def dump(document: dict) -> str:
    """A candidate document as YAML, with a header saying what to do with it."""
    header = ("# Candidate facts, extracted automatically: review them with `aikg review FILE`.\n"
              "# Each quotes the sentence it came from; nothing here is in the data until accepted.\n")
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)


def load_candidates(path: str | Path) -> dict:
    """Read a candidate file.

    Raises
    ------
    DataError
        When it is not YAML or not a mapping of the four lists.
    """
    from kg.loaders.yamlfile import bounded_document

    path = Path(path)
    try:
        document = bounded_document(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise DataError([Problem(str(path), None, None, f"cannot read the candidates: {error}")]) from None
    if not isinstance(document, dict) or not set(document) <= set(SECTIONS):
        raise DataError([Problem(str(path), None, None, "a candidate file maps sources, entities, deals and "
                                 "valuations to lists", "write it with `aikg ingest`")])
    problems = []
    for section in SECTIONS:
        items = document.get(section) or []
        if not isinstance(items, list):
            problems.append(Problem(str(path), None, section, f"{section} must be a list of records"))
            continue
        problems += [Problem(str(path), None, f"{section} {number}", f"expected a record (field: value lines), "
                             f"found {str(item)[:80]!r}", "write it with `aikg ingest`")
                     for number, item in enumerate(items, start=1) if not isinstance(item, dict)]
    if problems:
        raise DataError(problems)
    return {section: list(document.get(section) or []) for section in SECTIONS}


def _record_yaml(record: dict) -> str:
    clean = {key: value for key, value in record.items() if key != "candidate"}
    text = yaml.safe_dump([clean], sort_keys=False, allow_unicode=True, width=110)
    quote = (record.get("candidate") or {}).get("quote")
    prefix = f"# From: {' '.join(str(quote).split())[:300]}\n" if quote else ""
    return prefix + text


def merge(accepted: dict, data_dir: str | Path) -> list[Path]:
    """Append accepted records to the data folder's YAML files, once the result passes validation.

    Raises
    ------
    DataError
        With the problems the merged data would have; nothing is written then.
    """
    from kg.files import write_files
    from kg.loaders.data import read_dataset

    data_dir = Path(data_dir)
    contents: dict[Path, str] = {}
    for section, file_name in SECTIONS.items():
        records = accepted.get(section) or []
        if not records:
            continue
        path = data_dir / file_name
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        addition = "\n".join(_record_yaml(record) for record in records)
        contents[path] = existing.rstrip("\n") + "\n\n" + addition if existing.strip() else addition
    if not contents:
        return []
    with tempfile.TemporaryDirectory() as trial:
        trial_dir = Path(trial) / "data"
        shutil.copytree(data_dir, trial_dir)
        for path, text in contents.items():
            (trial_dir / path.name).write_text(text, encoding="utf-8")
        try:
            read_dataset(trial_dir)
        except DataError as error:
            raise DataError([Problem(str(data_dir / Path(p.file).name), p.line, p.record, p.message, p.hint)
                             for p in error.problems]) from None
    write_files(contents)
    return list(contents)


def _usd(record: dict) -> float | None:
    amount = record.get("amount") or {}
    if amount.get("currency", "USD") == "USD" and "value" in amount:
        return float(amount["value"])
    return float(amount["usd"]) if amount.get("usd") is not None else None


def _name(g, identifier: str) -> str:
    try:
        return g.entity(identifier).name
    except LookupError:  # a new organization: its id is its name for now
        return identifier


def consequences(g, section: str, record: dict) -> list[str]:
    """What accepting a candidate would change, in the words a reviewer checks:
    ``Microsoft → Mistral AI committed: $2.0B → $42.0B``, or ``already known: ID``."""
    lines = []
    if section == "deals":
        parties = record.get("parties") or {}
        match = _same_deal(g, record)
        if match is not None:
            lines.append(f"already known: {match} (accepting it would state it twice)")
        investors, investees = parties.get("investor") or [], parties.get("investee") or []
        if record.get("kind") in ("investment", "vendor-financing") and len(investors) == len(investees) == 1:
            investor, investee = investors[0], investees[0]
            contingent = record.get("status") == "contingent"
            try:
                before = g.total_invested(investor, investee, include_contingent=contingent)
            except LookupError:  # a new organization: the data knows nothing of it yet
                before = None
            known = before.known_usd if before is not None else None
            added = _usd(record)
            after = None if added is None else (known or 0.0) + added
            label = "committed and contingent" if contingent else "committed"
            was = format_usd(known) if before is not None else "nothing recorded"
            lines.append(f"{_name(g, investor)} \u2192 {_name(g, investee)} {label}: {was} \u2192 "
                         f"{format_usd(after) if after is not None else 'unchanged (amount undisclosed)'}")
    if section == "valuations":
        try:
            latest = g.valuations(record["entity"])
        except LookupError:  # a new organization: the data knows nothing of it yet
            latest = []
        was = f"{describe_amount(latest[-1].amount)} ({latest[-1].date})" if latest else "none recorded"
        lines.append(f"{_name(g, record['entity'])}'s latest valuation: {was} \u2192 "
                     f"{format_usd(_usd(record))} ({record.get('date')})")
    return lines


def _same_deal(g, record: dict) -> str | None:
    parties = {role: set(ids) for role, ids in (record.get("parties") or {}).items()}
    if not parties:
        return None
    first = next(iter(next(iter(parties.values()))))
    try:
        deals = g.deals(party=first)
    except LookupError:  # a new organization has no deals yet
        return None
    amount = record.get("amount") or {}
    for deal in deals:
        if deal.kind != record.get("kind") or {role: set(ids) for role, ids in deal.parties.items()} != parties:
            continue
        if (deal.amount is None and not amount) or (deal.amount is not None and amount
                                                    and float(deal.amount.value) == float(amount.get("value", -1))
                                                    and deal.amount.currency == amount.get("currency", "USD")):
            return deal.id
    return None


def doubts(g, section: str, record: dict) -> list[str]:
    """Why a candidate may be wrong, for the reviewer to see before deciding: the extractor's own doubts
    (those of a low-confidence candidate) first, then what the graph sees."""
    quote = (record.get("candidate") or {}).get("quote", "")
    found = list((record.get("candidate") or {}).get("doubts", []))
    if section == "entities":
        name = record.get("name", "")
        if re.search(r"-(?:based|headquartered)$", name, re.I) or name.islower() or len(name) < 2:
            found.append(f"{name!r} reads like a place or a word, not an organization")
    amount = record.get("amount") or {}
    if amount and quote:
        values = {float(m.value) for m in money_in(quote)}
        if float(amount.get("value", 0)) not in values:
            found.append("its figure is not in the quoted sentence")
    if section == "deals" and amount and re.search(r"\bvalu(?:e|es|ed|ing|ation)\b", quote, re.I) \
            and record.get("kind") in ("investment", "funding-round"):
        found.append("the sentence also states a valuation: check that this figure is money invested")
    usd = _usd(record)
    if section == "deals" and usd is not None and usd >= 1e11:
        found.append("more than $100B: check the figure")
    return found
