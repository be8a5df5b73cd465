"""An optional extractor that asks a language model, held to the same rules as the pattern extractor.

Any OpenAI-compatible chat server will do: llama.cpp's server, Ollama, vLLM or a hosted API
(``aikg ingest ARTICLE --extractor llm --endpoint http://localhost:8080/v1 --model NAME``). The model is
asked for JSON that follows :func:`facts_schema`, a schema generated from the ontology's deal kinds,
roles, statuses, qualifiers and valuation bases. Nothing it says is taken on trust:

- its ``quote`` must be in the article word for word (whitespace aside);
- every figure it gives must be in its quote (:func:`kg.loaders.figures.money_in` reads both);
- every party must be named in its quote, by the graph's name or alias, or as written;
- kinds, roles, statuses and qualifiers must be the ontology's.

A fact that breaks a rule is rejected, with the rule it broke; the others become candidates in the
format of :func:`kg.loaders.news.extract`, marked ``extractor: llm``. Nothing here runs unless asked:
the default extractor stays the offline one, and no key or model is needed to use or test the project.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kg.errors import UnknownEntityError
from kg.loaders.figures import money_in
from kg.loaders.news import Found, settle
from kg.model import slug
from kg.vocabulary import load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

MAX_RESPONSE_BYTES = 2_000_000
"""The most of a server's answer that is read."""
API_KEY_VARIABLE = "AIKG_LLM_API_KEY"
"""The environment variable that holds a hosted API's key, if one is needed."""


class ExtractorError(RuntimeError):
    """The language model's server cannot be reached, or does not answer in the expected form."""


def facts_schema() -> dict:
    """The JSON schema the model must answer in, from the ontology's terms."""
    vocabulary = load_vocabulary()
    roles = sorted(vocabulary.roles)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["facts"],
        "properties": {"facts": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "quote", "status"],
            "properties": {
                "kind": {"enum": sorted(vocabulary.deal_kinds) + ["valuation"]},
                "parties": {"type": "object", "additionalProperties": False,
                            "properties": {role: {"type": "array", "items": {"type": "string"}} for role in roles}},
                "entity": {"type": "string", "description": "for a valuation: the organization valued"},
                "amount": {"type": "object", "additionalProperties": False, "required": ["value", "currency"],
                           "properties": {"value": {"type": "number"}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                                          "qualifier": {"enum": sorted(vocabulary.qualifiers)}}},
                "basis": {"enum": sorted(vocabulary.valuation_bases)},
                "status": {"enum": sorted(vocabulary.statuses)},
                "date": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                "quote": {"type": "string", "description": "the article's sentence stating the fact, word for word"},
            }}}},
    }


_INSTRUCTIONS = (
    "You read news articles about the AI industry and list the deals and valuations they state, as JSON "
    "following the schema given. Deal kinds and roles: investment (investor, investee) for one investor's own "
    "money; funding-round (investor, investee) for a round's total; acquisition (acquirer, acquiree); "
    "compute-commitment and supply (customer, provider); licensing (licensee, licensor); partnership (partner); "
    "warrant (issuer, holder); public-funding (funder, recipient); secondary-sale (buyer, seller, issuer). "
    "A valuation is kind 'valuation' with 'entity', never an investment. Copy each figure exactly, with its "
    "currency as written and its qualifier (up-to, more-than, at-least, approximately, exact). Status: announced, "
    "completed, reported (press reports, talks) or contingent (depends on milestones or conditions). 'quote' is "
    "the sentence that states the fact, copied word for word. State only what the article states.")


@dataclass
class Rejected:
    """A fact the model gave that broke a rule: the rule, and the fact."""

    reason: str
    fact: dict


@dataclass
class Answer:
    """What the model proposed: the candidates kept and the facts rejected."""

    found: Found
    rejected: list[Rejected] = field(default_factory=list)


def ask(endpoint: str, model: str, text: str, published_on: dt.date, timeout: float = 120) -> list[dict]:
    """The facts a chat-completions server returns for an article, as parsed JSON (not yet checked).

    Raises
    ------
    ExtractorError
        When the endpoint is not an http(s) URL, cannot be reached, or answers with something other than
        a JSON object with a ``facts`` list.
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExtractorError(f"{endpoint!r} is not an http(s) URL; give the server's base, such as "
                             "http://localhost:8080/v1")
    url = endpoint.rstrip("/") + ("/chat/completions" if not endpoint.rstrip("/").endswith("/chat/completions") else "")
    body = {
        "model": model,
        "temperature": 0,
        "messages": [{"role": "system", "content": _INSTRUCTIONS},
                     {"role": "user", "content": f"Published on {published_on.isoformat()}.\n\n{text}"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "facts", "strict": True,
                                                                   "schema": facts_schema()}},
    }
    headers = {"Content-Type": "application/json"}
    if os.environ.get(API_KEY_VARIABLE):
        headers["Authorization"] = f"Bearer {os.environ[API_KEY_VARIABLE]}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked above
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ExtractorError(f"{url} answered {error.code} {error.reason}: {error.read(500)!r}") from None
    except (urllib.error.URLError, OSError) as error:
        raise ExtractorError(f"cannot reach {url}: {getattr(error, 'reason', error)}") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise ExtractorError(f"{url} answered more than {MAX_RESPONSE_BYTES:,} bytes")
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
        facts = json.loads(content)["facts"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ExtractorError(f"{url} did not answer with chat-completion JSON holding a facts list ({error})") from None
    if not isinstance(facts, list):
        raise ExtractorError(f"{url} answered facts that are not a list")
    return facts


def _flat(text: str) -> str:
    return " ".join(text.split())


def check(g: KnowledgeGraph, text: str, facts: list, published_on: dt.date, source_id: str = "article") -> Answer:
    """Hold each proposed fact to the rules (see the module) and turn those that keep them into candidates."""
    vocabulary = load_vocabulary()
    article = _flat(text)
    answer = Answer(Found())
    new: dict[str, dict] = {}

    def identify(name: str, quote: str) -> str | None:
        if not isinstance(name, str) or not name.strip():
            return None
        try:
            entity = g.entity(name)
        except UnknownEntityError:  # a name the data does not know: proposed as a new organization
            entity = None
        if entity is not None:
            names = (entity.name, *entity.aliases)
            return entity.id if any(n.casefold() in quote.casefold() for n in names) else None
        if name.casefold() not in quote.casefold():
            return None
        identifier = slug(name)
        new.setdefault(identifier, {"id": identifier, "name": name.strip(), "kinds": ["company"],
                                    "candidate": {"quote": quote, "new": True, "extractor": "llm"}})
        return identifier

    for number, fact in enumerate(facts, 1):
        if not isinstance(fact, dict):
            answer.rejected.append(Rejected("not a record", {"fact": fact}))
            continue
        quote = _flat(str(fact.get("quote", "")))
        reason = None
        if not quote or quote not in article:
            reason = "its quote is not in the article word for word"
        kind = fact.get("kind")
        if reason is None and kind not in (*vocabulary.deal_kinds, "valuation"):
            reason = f"{kind!r} is not a deal kind"
        amount = fact.get("amount")
        if reason is None and amount is not None:
            try:
                value = Decimal(str(amount["value"]))
                currency = str(amount.get("currency", "USD")).upper()
            except (KeyError, TypeError, InvalidOperation):
                value, currency = None, None
            stated = {(m.value, m.currency) for m in money_in(quote)} | \
                {(m.usd, "USD") for m in money_in(quote) if m.usd is not None}
            if value is None or (value, currency) not in stated:
                reason = "its figure is not in its quote"
            elif amount.get("qualifier", "exact") not in vocabulary.qualifiers:
                reason = f"{amount.get('qualifier')!r} is not a qualifier"
        status = fact.get("status", "announced")
        if reason is None and status not in vocabulary.statuses:
            reason = f"{status!r} is not a status"
        date = str(fact.get("date") or published_on.isoformat())
        if reason is None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
            date = published_on.isoformat()
        record: dict = {}
        if reason is None and kind == "valuation":
            entity = identify(fact.get("entity", ""), quote)
            if entity is None:
                reason = "the organization valued is not named in its quote"
            else:
                record = {"id": slug(f"{entity}-valuation-{date}-{number}"), "entity": entity,
                          "amount": {"value": _number(amount["value"]), "currency": amount.get("currency", "USD"),
                                     "qualifier": amount.get("qualifier", "exact")} if amount else None,
                          "date": date, "status": status}
                if fact.get("basis") in vocabulary.valuation_bases:
                    record["basis"] = fact["basis"]
                if record["amount"] is None:
                    reason = "a valuation needs its figure"
        elif reason is None:
            parties: dict[str, list[str]] = {}
            for role, names in (fact.get("parties") or {}).items():
                if role not in vocabulary.roles:
                    reason = f"{role!r} is not a role"
                    break
                ids = [identify(name, quote) for name in (names if isinstance(names, list) else [names])]
                if None in ids:
                    reason = f"a party of role {role!r} is not named in its quote"
                    break
                parties[role] = sorted(set(ids))
            if reason is None and sum(len(ids) for ids in parties.values()) < 1:
                reason = "it names no party"
            if reason is None:
                record = {"id": slug(f"{'-'.join(i for ids in parties.values() for i in ids)}-{kind}-{date}-{number}"),
                          "kind": kind, "title": f"{kind.replace('-', ' ').capitalize()} (from the article)",
                          "parties": parties, "announced_on": date, "status": status}
                if amount:
                    record["amount"] = {"value": _number(amount["value"]), "currency": amount.get("currency", "USD"),
                                        "qualifier": amount.get("qualifier", "exact")}
        if reason is not None:
            answer.rejected.append(Rejected(reason, fact))
            continue
        record["sources"] = [source_id]
        record["candidate"] = {"quote": quote, "extractor": "llm"}
        where = re.search(r"\s+".join(re.escape(word) for word in quote.split()), text)
        settle(record, [where.start(), where.end()] if where else None, {}, new)
        (answer.found.valuations if kind == "valuation" else answer.found.deals).append(record)
    answer.found.entities = [entity for entity in new.values()
                             if any(entity["id"] in str(r) for r in answer.found.deals + answer.found.valuations)]
    return answer


def _number(value):
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)
