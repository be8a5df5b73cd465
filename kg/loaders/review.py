"""Candidate files: what ``aikg ingest`` writes and ``aikg review`` reads, and the merge into ``data/``.

A candidate file is YAML with four lists, ``sources``, ``entities``, ``deals`` and ``valuations``, in the
data's own format; every entity, deal and valuation carries ``candidate: {quote: ...}``, the sentence it
came from. Merging appends the accepted records, without that field, to the data folder's YAML files,
but only once the whole folder, with them, passes validation.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from kg.errors import DataError, Problem
from kg.loaders.news import Found, article_text, extract
from kg.model import slug

SECTIONS = {"sources": "sources.yaml", "entities": "entities.yaml", "deals": "deals.yaml",
            "valuations": "valuations.yaml"}


def ingest(g, raw: str, published_on: dt.date, title: str | None = None, url: str | None = None,
           publisher: str | None = None) -> dict:
    """Candidates from an article, with the article as their source, as a candidate document."""
    text = article_text(raw)
    title = title or text.split("\n\n", 1)[0][:200]
    publisher = publisher or (urlsplit(url).hostname if url else None) or "unknown publisher (edit me)"
    source_id = slug(f"{publisher}-{published_on.isoformat()}-{title}")[:80].strip("-")
    found: Found = extract(g, text, published_on, source_id)
    source = {"id": source_id, "publisher": publisher, "title": title, "published_on": published_on.isoformat()}
    if url:
        source["url"] = url
    return {"sources": [source], "entities": found.entities, "deals": found.deals, "valuations": found.valuations}


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
