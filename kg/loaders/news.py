"""Turn a news article into candidate facts for a person to review: deals and valuations in the data's
own format, each quoting the sentence it came from, with the article as their source.

Pure Python and deterministic: the article is split into sentences; organizations are found through a
gazetteer of the graph's own names and aliases (and proposed as new entities when a frame names an
organization the graph does not know); money (ranges and rates too), gigawatts, chip counts, qualifiers
and dates are read by patterns; and frames of verbs and nouns recognise investments, funding rounds and
their investors (in later sentences too), valuations, compute commitments, supply, licences, warrants,
partnerships and acquisitions, taking a provider's side from the data's kinds. Each candidate quotes its
sentence, says where it lies in the text (``span``) and how far to trust it (``confidence``, with its
``doubts`` when low).

>>> import kg
>>> found = extract(kg.load(), "Amazon will invest up to $4 billion in Anthropic, the companies said on Monday.",
...                 published_on=dt.date(2023, 9, 25))
>>> [(d["kind"], d["parties"], d["amount"]) for d in found.deals]
[('investment', {'investor': ['amazon'], 'investee': ['anthropic']}, {'value': 4000000000, 'currency': 'USD', 'qualifier': 'up-to'})]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.loaders.article import sentences, without_dateline
from kg.loaders.figures import Money, chips_in, date_in, money_in, power_in
from kg.loaders.names import Gazetteer, Mention, Mentions, clause_start, named_in_list, unknown_organization, within
from kg.model import slug

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


ROUND_NAMES_INVESTORS_WITHIN = 10
"""How many sentences after a round one may name its investors ("The round was led by X")."""


# --- patterns -----------------------------------------------------------------------------------

_INVEST = (r"(?<![\w-])(?:investit|investiert|investe|investiu|invierte|invest(?:s|ed|ing|ment)?|(?:will|to|would|plans to|agreed to)\s+invest|"
           r"put(?:s|ting)?|pour(?:s|ed|ing)?|pump(?:s|ed|ing)?|inject(?:s|ed|ing)?|plough(?:s|ed|ing)?|back(?:s|ed|ing)?|"
           r"commit(?:s|ted)?|(?:funding|financing)(?:\s+deal)?(?=\s+from\b))\b")
_BACKED = re.compile(r"(?<![\w-])(?P<backer>[A-Z][\w&.]*(?:\s+[A-Z][\w&.]*)?)-(?:backed|funded|supported)\s+")
"""'Microsoft-backed OpenAI': the backer has invested in the one named next (the sentence does not say when)."""
_RAISE = (r"\b(?:raise[sd]?|raising|secure[sd]?|closes?|closed|lands?|landed|(?:gets|got|receive[sd]?|attract(?:s|ed)|nets|"
          r"netted|bag(?:s|ged)|snag(?:s|ged)|brings? in|brought in|pick(?:s|ed)? up)(?=(?:[^.;]|\.\d){0,50}?\b(?:funding|financing|round|"
          r"capital|backing|Series\s+[A-K])\b)|lève|levé|lever|récolte|récolté|"
          r"lev[ée]e de fonds|tour de table|sammelt|eingesammelt|Finanzierungsrunde|raccoglie|raccolto|capta|captou|recauda)\b")
_ROUND_ANNOUNCED = (r"\b(?:announce[sd]?|complete[sd]?|unveil(?:s|ed)?)\b(?=(?:[^.;]|\.\d){0,50}?\d(?:[^.;]|\.\d){0,25}?\b(?:Series\s+[A-K]\d?|"
                    r"seed|pre-seed|growth|funding|financing)\s+(?:funding\s+|financing\s+)?(?:round|financing|funding)\b)")
"""'Scout AI announced an oversubscribed $100 million Series A financing': a round without a raising verb."""
_VALUE = r"\b(?:valu(?:es|ed|ing)|valuation|valorisation|valoris[ée]e?|vaut|Bewertung|valutazione|avaliação|valoración)\b"
_SPEND = r"\b(?:spend|spending|commit(?:s|ted|ting)?|purchase|buy|pay|rent(?:s|ed|ing)?|leas(?:e|es|ed|ing))\b"
_ACQUIRE = (r"\b(?:acquir(?:e|es|ed|ing)|buy(?:s|ing)?|bought|takeover of|purchase[sd]? of|snap(?:s|ped)? up|tak(?:e|es|ing) over|"
            r"took over|rachète|racheté|acquiert|"
            r"übernimmt|übernommen|acquisisce|acquisito|adquire|adquiriu|acquisition of|acquisizione di|"
            r"acquisition de|Übernahme von|aquisição d[aeo])\b")
_PARTNER = r"\b(?:partner(?:ed|s|ing)?\s+with|(?:a |an )?(?:partnership|agreement|deal)\s+with|teamed up with|secured)\b"
_STATUS_REPORTED = r"\b(?:reportedly|according to (?:people|sources|a person|reports?)|people familiar|is said to|was said to|reports? said|in talks|is considering)\b"
_STATUS_CONTINGENT = r"\bif\b[^.;]*\b(?:milestones?|targets?|conditions)\b|\bcontingent on\b|\bmilestone-based\b|\bsubject to\b[^.;]*\bmilestones?\b"
_PRONOUN_START = (r"(?:As part of [^,]+,\s*|Separately,\s*|It also\s+|(?:Last|Earlier|Later|This|In|On|Since|Previously|"
                  r"Meanwhile|At the time)\b[^,]{0,30},\s*(?=it\b|the\b))?(?i:It|The company|The startup|The start-up|The lab|"
                  r"The firm|The group|Il|Elle|La société|La start-up|La startup|Le groupe|L['’]entreprise|Sie|Das Unternehmen|"
                  r"A empresa|La empresa|La compañía|L['’]azienda|La società)\b")
"""A sentence about the organization named before: "It raised", "Last year, the company raised"."""
_FUTURE_FUNDING = r"\b(?:future|further|more|additional)\s+(?:funding|investment|capital)\b"
_PARTNERSHIP = (r"\b(?:partner(?:s|ed|ing)?\s+with|team(?:s|ed)?\s+up\s+with|(?:formed|signed|struck|announced|entered(?:\s+into)?|"
                r"forged|unveiled|expanded|deepened)\s+(?:an?\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:partnership|alliance|collaboration)|"
                r"(?:partnership|alliance|collaboration)\s+(?:with|between))\b")
_LICENSE = r"\blicen[cs](?:e|es|ed|ing)\b"
_AGREEMENT = r"\b(?:deal|agreement|contract|partnership|pact)s?\b"
_COMPUTE_WORDS = (r"\b(?:cloud|compute|computing|GPUs?|chips?|accelerators|data cent(?:er|re)s?|gigawatts?|GW|megawatts?|"
                  r"AI factories|infrastructure|capacity|servers|supercomputers?)\b")
_JOINED = (r"\b(?:also\s+)?(?:participated|took part|joined|invested|came in)\s+in\s+(?:the|this)\s+(?:[\w-]+\s+){0,2}?"
           r"(?:round|financing|funding|raise)\b|\b(?:is\s+|are\s+)?(?:led|co-led|leading|co-leading|heading|headed)\s+"
           r"(?:the|this|[\w.-]+['’]s)\s+(?:[\w-]+\s+){0,2}?(?:round|financing|funding)\b")
_JOINED_AFTER = (r"\b(?:includes?|included|saw|drew|had)\s+participation\s+(?:from|of|by)\b|"
                 r"\b(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:round|financing|funding)\s+(?:was\s+)?(?:co-)?led\s+by\b|"
                 r"\b(?:other\s+)?(?:investors|participants|backers)\s+in\s+the\s+(?:[\w-]+\s+){0,2}?(?:round|financing)\s+"
                 r"(?:include[sd]?|were)\b|\bother\s+(?:investors|participants|backers)\s+(?:include[sd]?|were)\b")
_PROVIDING = {"cloud-provider", "cloud-platform", "chip-designer", "foundry"}
"""Kinds of organization that sell compute or chips: in an agreement, the provider's side."""


@dataclass
class Found:
    """What an article yields: new organizations, deals and valuations, in the data's format."""

    entities: list[dict] = field(default_factory=list)
    deals: list[dict] = field(default_factory=list)
    valuations: list[dict] = field(default_factory=list)


def _status(sentence: str, default: str = "announced") -> str:
    if re.search(_STATUS_CONTINGENT, sentence, re.I):
        return "contingent"
    if re.search(_STATUS_REPORTED, sentence, re.I):
        return "reported"
    return default


def extract(g: KnowledgeGraph, text: str, published_on: dt.date, source_id: str = "article") -> Found:
    """Candidate deals, valuations and new organizations in an article's text.

    Every candidate carries ``candidate: {quote: SENTENCE, span: [START, END], confidence: high|low}``
    and cites ``source_id``. Dates in the text are read relative to ``published_on``; a fact with no date
    of its own takes the article's.
    """
    reader = _Reader(g, published_on, source_id)
    found = reader.found
    position = 0
    for quote in sentences(text):
        start = text.find(quote, position)
        position = start + len(quote)
        counts = len(found.deals), len(found.valuations)
        reader.read(quote)
        for record in found.deals[counts[0]:] + found.valuations[counts[1]:]:
            _rates_and_ranges(record, without_dateline(quote))
            settle(record, [start, position], reader.inferred, reader.new_entities)
    found.entities = list(reader.new_entities.values())
    found.deals = _without_repeats(found.deals, lambda d: (d["kind"], repr(d["parties"]), repr(d.get("amount")),
                                                          d["status"], repr(d.get("power_gw"))))
    found.valuations = _without_repeats(found.valuations, lambda v: (v["entity"], repr(v["amount"]), v.get("basis")))
    # A headline's "X raises $N" says less than the body's "X raised $N led by A": keep the fuller one.
    with_investors = {(d["parties"]["investee"][0], repr(d.get("amount"))) for d in found.deals
                      if d["kind"] == "funding-round" and d["parties"].get("investor")}
    found.deals = [d for d in found.deals if not (d["kind"] == "funding-round" and not d["parties"].get("investor")
                                                   and (d["parties"]["investee"][0],
                                                        repr(d.get("amount"))) in with_investors)]
    # "Big Co invests in Small Lab" says less than "Big Co will invest $3 million in Small Lab": keep the one with money.
    with_money = {(d["kind"], repr(d["parties"])) for d in found.deals if d.get("amount") or d.get("notes")}
    found.deals = [d for d in found.deals if d.get("amount") or d.get("notes") or (d["kind"],
                                                                                   repr(d["parties"])) not in with_money]
    return found


@dataclass
class _Sentence:
    """A sentence as the frames read it: the organizations and figures it names, its date, and whom its
    "it" means."""

    quote: str  # as the article has it, dateline included
    sentence: str  # without the dateline
    known: Mentions
    amounts: list[Money]
    paid: list[Money]  # the amounts that change hands: neither running totals nor valuations
    when: str
    power: dict | None
    chips: dict | None
    pronoun: bool  # it opens with "It", "The company" or the like
    subject: str | None  # the organization it is about


class _Reader:
    """Reads an article sentence by sentence. Each frame (a method) reads one construction and says
    whether it took the sentence; the reader remembers, from one sentence to the next, what "it", "the
    company" and "the round" mean."""

    def __init__(self, g: KnowledgeGraph, published_on: dt.date, source_id: str) -> None:
        self.gazetteer = Gazetteer(g)
        self.found = Found()
        self.published_on = published_on
        self.source_id = source_id
        self.new_entities: dict[str, dict] = {}
        self.inferred: dict[str, str] = {}  # a party the sentence names only as "it" or "the company", and why
        self.ids: set[str] = set()
        self.counters: dict[str, int] = {}  # the next number to try after an id's base, so numbering stays linear
        self.labs = {entity.id for entity in g.entities("ai-lab")}
        self.kinds = {entity.id: set(entity.kinds) for entity in g.entities()}
        self.last_subject: str | None = None
        self.last_pair: tuple[str, str] | None = None  # the investor and investee of the last investment read
        self.last_lab: str | None = None  # the AI lab named last: what "it" and "the startup" mostly mean
        self.last_round: dict | None = None  # the funding round read last: later sentences may name its investors
        self.last_round_at = self.read_so_far = 0  # the sentence it was read in; the sentence being read
        self.story_date = published_on.isoformat()  # the day the story is about, once a sentence names one
        self.frames = (
        self._possessive_valuations,
            self._round_investors,
            self._licence,
            self._warrant,
            self._backed_adjective,
            self._backed_by,
            self._acquisition,
            self._supply,
            self._compute_spending,
            self._capacity_partnership,
            self._cloud_provider,
            self._round_in,
            self._agreement_by_kinds,
            self._joined_round,
            self._funding_round,
            self._investment,
            self._partnership,
            self._valuation,
        )

    def read(self, quote: str) -> None:
        """One sentence's candidates; it also settles what "it" and "the company" mean next."""
        self.inferred.clear()
        self.read_so_far += 1
        sentence = without_dateline(quote)
        dateline = quote[:len(quote) - len(sentence)]
        if dateline and (named := date_in(dateline, self.published_on)) and len(named) == 10:
            self.story_date = named
        known = self.gazetteer.find(sentence)
        when = date_in(sentence, self.published_on)
        if when and len(when) == 10:
            self.story_date = when
        pronoun = re.match(_PRONOUN_START, sentence) is not None
        if pronoun and self.last_lab:  # "It", "the startup": the lab the story is about, else the last subject
            self.last_subject = self.last_lab
        subject = self.last_subject if pronoun else known[0].id if known and known[0].start < 40 else None
        self.last_lab = next((m.id for m in reversed(known) if m.id in self.labs), self.last_lab)
        amounts = money_in(sentence)
        paid = [m for m in amounts if not m.total and not _is_valuation(sentence, m)]
        s = _Sentence(quote, sentence, known, amounts, paid, when or self.story_date, power_in(sentence),
                      chips_in(sentence), pronoun, subject)
        if not any(frame(s) for frame in self.frames):
            if subject:
                self.last_subject = subject

    # --- what every frame needs ---

    def organization_between(self, sentence: str, known: list[Mention], start: int, end: int,
                             subject: bool = False) -> Mention | None:
        """The first known organization in ``sentence[start:end]``, else a new one: the first capitalised
        name, or for a ``subject`` the last, which heads its phrase ("Ride-hailing platform Uber"), before
        any apposition ("Particle, an AI-powered news platform, raised")."""
        apposition = re.search(r",\s+(?:a|an|the|one of)\b", sentence[start:end]) if subject else None
        if apposition and apposition.start() > 0:
            end = start + apposition.start()
        inside = [m for m in within(known, start, end) if m.end <= end]
        if inside:
            return inside[0]
        return unknown_organization(sentence, start, end, last=subject)

    def remember(self, mention: Mention | _Pronoun | None, sentence: str) -> str | None:
        """A party's id, noting a new organization, and one read from an earlier sentence, for its doubts."""
        if mention is None:
            return None
        if isinstance(mention, _Pronoun):
            self.inferred[mention.id] = (f"{self.name_of(mention.id)} is read from an earlier sentence (the sentence "
                                         "names it only as \"it\", \"the company\" or the like)")
        if not mention.known and mention.id not in self.new_entities and mention.id not in self.gazetteer.display:
            self.new_entities[mention.id] = {"id": mention.id, "name": mention.name, "kinds": ["company"],
                                             "candidate": {"quote": sentence, "new": True}}
        return mention.id

    def name_of(self, identifier: str) -> str:
        return self.gazetteer.display.get(identifier) or self.new_entities.get(identifier, {}).get("name", identifier)

    def title_of(self, deal: dict) -> str:
        """A candidate deal's title: its kind and its parties in their roles."""
        roles = " / ".join(f"{role} {', '.join(self.name_of(i) for i in ids)}" for role, ids in deal["parties"].items())
        return f"{deal['kind'].replace('-', ' ').capitalize()}: {roles}"

    def add_deal(self, deal: dict, identifier: str, quote: str, when: str, status: str,
                 doubt: str | None = None) -> None:
        _add_deal(self.found, deal, identifier, quote, when, self.source_id, status, self.title_of(deal))
        if doubt:
            self.found.deals[-1]["candidate"]["doubts"] = [doubt]

    def add_backing(self, backer: Mention, held: Mention, s: _Sentence) -> None:
        """An investment a sentence names only as a backing ("Microsoft-backed", "backed by"): no amount, no date."""
        parties = [self.remember(backer, s.quote), self.remember(held, s.quote)]
        deal = {"kind": "investment", "parties": {"investor": [parties[0]], "investee": [parties[1]]}}
        self.add_deal(deal, self.deal_id("investment", parties, s.when), s.quote, s.when, "completed",
                      "the sentence names the backing, not when it happened: the date is the article's")

    def deal_id(self, kind: str, parties: list[str], date: str) -> str:
        base = slug("-".join([*parties, kind, date]))
        identifier, counter = base, self.counters.get(base, 2)
        while identifier in self.ids:
            identifier, counter = f"{base}-{counter}", counter + 1
        self.ids.add(identifier)
        self.counters[base] = counter
        return identifier

    def subject_before(self, s: _Sentence, position: int) -> Mention | _Pronoun | None:
        """Who does what the word at ``position`` says: "it" (the organization named before), or the
        organization opening the sentence."""
        if s.pronoun and self.last_subject:
            return _Pronoun(self.last_subject)
        return self.organization_between(s.sentence, s.known, 0, position, subject=True)

    def investment_in(self, s: _Sentence) -> tuple[Mention | _Pronoun, Mention | _Pronoun] | None:
        """The investor and investee of the first investment verb or noun whose frame the sentence fills:
        "X invests $N in Y", "X pumped $N into the start-up", "a $N investment from X" (in the subject),
        "X backs Y"."""
        for match in re.finditer(_INVEST, s.sentence, re.I):
            word = match.group(0).lower()
            clause = clause_start(s.sentence, match.start(), r";|:\s|,\s*(?:while|and|but|which|as)\b")
            before = self.organization_between(s.sentence, s.known, clause, match.start(), subject=True)
            if before is None and s.pronoun and self.last_subject and clause == 0:
                before = _Pronoun(self.last_subject)
            after = s.sentence[match.end():]
            if word.startswith(("investment", "funding", "financing")):
                source = re.match(r"[^,;]{0,60}?\bfrom\s+", after)
                giver = source and self.organization_between(s.sentence, s.known, match.end() + source.end(),
                                                             match.end() + source.end() + 80)
                if giver:  # "a 3bn yuan investment from Z": Z invests in the subject
                    subject = before or (_Pronoun(self.last_subject) if s.pronoun and self.last_subject else None)
                    into = re.match(r"\s*(?:in|into)\s+(?:the\s+)?",
                                    s.sentence[giver.end:]) if subject is None else None
                    if into:  # "a $4bn funding deal from Amazon into the start-up"
                        at = giver.end + into.end()
                        subject = self.organization_between(s.sentence, s.known, at, at + 40)
                        if subject is None and self.last_lab and re.match(r"(?:start-?up|company|lab|firm)\b",
                                                                          s.sentence[at:], re.I):
                            subject = _Pronoun(self.last_lab)
                    if subject is not None and subject.id != giver.id:
                        return giver, subject
                    continue
            if before is None:
                continue  # "The initial investment was followed...": no investor named for this word
            if word.startswith("back"):
                target = re.match(r"\s+(?:the\s+)?", after)
            else:
                target = re.search(r"\b(?:in|into)\s+(?:the\s+)?", after[:120], re.I)
            if target is None:
                continue
            at = match.end() + target.end()
            investee = self.organization_between(s.sentence, s.known, at, min(len(s.sentence), at + 60))
            if investee is not None and investee.start - at > 3:
                investee = None  # the organization must open the object, not sit later in the sentence
            if investee is None and self.last_lab and re.match(r"(?:start-?up|company|lab|firm|AI lab)\b",
                                                               s.sentence[at:], re.I):
                investee = _Pronoun(self.last_lab)
            if investee is not None and investee.id != before.id:
                return before, investee
        return None

    # --- the frames, in the order they are tried ---

    def _possessive_valuations(self, s: _Sentence) -> bool:
        """Reads "Groq's $6.9 billion valuation", in whatever sentence: a valuation of the one whose it is."""
        for amount in s.amounts:
            owner = next((m for m in within(s.known, amount.start - 80, amount.start)
                          if s.sentence[m.start:m.end].endswith(("'s", "’s"))
                          and re.fullmatch(r"\s*(?:[\w-]+\s+)?", s.sentence[m.end:amount.start])), None)
            if owner and re.match(r"\s*(?:(?:post|pre)-money\s+)?valuation\b", s.sentence[amount.end:], re.I):
                _add_valuations(self.found, s.sentence, s.quote, [amount], owner.id, self.story_date,
                                self.published_on, self.source_id, self.deal_id)
        return False

    def _round_investors(self, s: _Sentence) -> bool:
        """Reads "Prior investors A, B and C participated in the round"; "The round was led by X": the last
        round's investors."""
        joined = re.search(_JOINED, s.sentence, re.I)
        joined_after = None if joined else re.search(_JOINED_AFTER, s.sentence, re.I)
        if self.last_round is not None and self.read_so_far - self.last_round_at <= ROUND_NAMES_INVESTORS_WITHIN \
                and (joined or joined_after) and not s.amounts:
            clause = clause_start(s.sentence, joined.start(), r"[;:•]\s|,\s*(?:while|and|but)\b") if joined \
                else joined_after.end()
            named = named_in_list(s.sentence[:joined.start()] if joined else s.sentence, s.known, clause)
            investee = self.last_round["parties"]["investee"][0]
            added = [self.remember(m, s.quote) for m in named if m.id != investee]
            if added:
                investors = self.last_round["parties"].setdefault("investor", [])
                investors += [i for i in added if i not in investors]
                self.last_round["parties"] = {"investor": investors, "investee": [investee]}
                self.last_round["title"] = self.title_of(self.last_round)
                self.last_round["candidate"].setdefault("also", []).append(s.quote)
                new = [self.new_entities[i]["name"] for i in added if i in self.new_entities]
                if new:
                    self.last_round["candidate"]["confidence"] = "low"
                    self.last_round["candidate"].setdefault("doubts", []).extend(
                        f"{name} is not in the data: a name read from its capitals" for name in new)
                return True
        return False

    def _licence(self, s: _Sentence) -> bool:
        """Licences: "X's $N licensing agreement with Y"; "X paid Y $N to license its technology"."""
        match = re.search(_LICENSE, s.sentence, re.I)
        if match and (s.amounts or re.search(_AGREEMENT, s.sentence, re.I)):
            licensee = self.subject_before(s, match.start())
            licensor = self.organization_between(s.sentence, s.known, match.end(),
                                                 min(len(s.sentence), match.end() + 80))
            if licensor is None and licensee is not None:  # "paid Inflection $650 million to license its technology"
                licensor = next((m for m in s.known if m.start < match.start() and m.id != licensee.id), None)
            if licensee and licensor and licensee.id != licensor.id:
                parties = [self.remember(licensee, s.quote), self.remember(licensor, s.quote)]
                deal = {"kind": "licensing", "parties": {"licensee": [parties[0]], "licensor": [parties[1]]}}
                if s.paid:
                    deal["amount"] = s.paid[0].as_data()
                stated = re.search(r"\b(?:to|will|would|agreed to)\s+licen[cs]e\b|\blicen[cs]e[sd]?\s+(?:[\w’'-]+\s+){0,4}?from\b|"
                                   r"\blicen[cs]e\s+to\b|\blicen[cs]ing\s+(?:[\w’'-]+\s+){0,3}?(?:from|of)\b", s.sentence, re.I)
                self.add_deal(deal, self.deal_id("licensing", parties, s.when), s.quote, s.when, _status(s.sentence),
                              None if stated else "the sentence does not say which side licenses to which: the first named is taken as licensee")
                self.last_subject = parties[0]
                return True
        return False

    def _warrant(self, s: _Sentence) -> bool:
        """Warrants: "AMD has issued OpenAI a warrant to purchase up to 160 million AMD shares"; "X grants Y
        warrants"."""
        match = re.search(r"\b(?:issu|grant)(?:e|es|ed|ing|s)\b", s.sentence, re.I)
        if match and re.search(r"\bwarrants?\b", s.sentence[match.end():], re.I):
            issuer = self.subject_before(s, match.start())
            holder = None
            # "issued X a warrant", "issued warrants to X"
            for to in (r"\s+", r"\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}?warrants?\s+to\s+"):
                given = re.match(to, s.sentence[match.end():], re.I)
                at = match.end() + given.end() if given else len(s.sentence)
                holder = holder or next((m for m in s.known if at <= m.start <= at + 3), None)
            if issuer and holder and issuer.id != holder.id:
                parties = [self.remember(issuer, s.quote), self.remember(holder, s.quote)]
                deal = {"kind": "warrant", "parties": {"issuer": [parties[0]], "holder": [parties[1]]}}
                vests = re.search(r"\bvest|\bif\b|\bmilestones?\b|\bthresholds?\b|\btargets?\b", s.sentence, re.I)
                self.add_deal(deal, self.deal_id("warrant", parties, s.when), s.quote, s.when,
                              "contingent" if vests else _status(s.sentence))
                self.last_subject = parties[0]
                return True
        return False

    def _backed_adjective(self, s: _Sentence) -> bool:
        """Reads "Microsoft-backed OpenAI": an investment, without its amount or date."""
        for backed in _BACKED.finditer(s.sentence):
            backer = next(iter(self.gazetteer.find(backed.group("backer"))), None) or \
                unknown_organization(backed.group("backer"), 0, len(backed.group("backer")))
            held = self.organization_between(s.sentence, s.known, backed.end(), backed.end() + 60)
            if backer and held and held.start == backed.end() and backer.id != held.id:
                self.add_backing(backer, held, s)
        return False

    def _backed_by(self, s: _Sentence) -> bool:
        """Reads "OpenAI, which is backed by Microsoft", "Mistral, backed by Nvidia and ASML": investments,
        without amount or date."""
        for backed in re.finditer(r"(?:,\s*(?:which|that|who)\s+(?:is|are|was|were|has been)\s+|,\s*)backed\s+by\s+",
                                  s.sentence):
            nearest = [m for m in within(s.known, backed.start() - 200, backed.start()) if m.end <= backed.start()][-1:]
            held = nearest[0] if nearest and not re.search(r"[,;]", s.sentence[nearest[0].end:backed.start()]) else None
            backers = named_in_list(s.sentence, s.known, backed.end())
            for backer in backers if held and not s.amounts else []:
                if backer.id != held.id:
                    self.add_backing(backer, held, s)
        return False

    def _acquisition(self, s: _Sentence) -> bool:
        """Acquisitions: "X acquires Y (for $N)"."""
        match = re.search(_ACQUIRE, s.sentence, re.I)
        if match and not re.search(_SPEND + r".*\b(?:cloud|chips|compute|capacity|infrastructure)\b", s.sentence, re.I):
            acquirer = self.organization_between(s.sentence, s.known, 0, match.start(), subject=True)
            acquiree = self.organization_between(s.sentence, s.known, match.end(), len(s.sentence))
            stake = re.match(r"\s+(?:a|an)\s+(?:[\d.]+\s?(?:%|per\s?cent|percent)\s+|[\w-]+\s+){0,2}?stake\s+in\s+",
                             s.sentence[match.end():], re.I)
            if stake and acquirer:  # "acquire a 49% stake in Y": shares bought, an investment unless they control
                held = self.organization_between(s.sentence, s.known, match.end() + stake.end(),
                                                 match.end() + stake.end() + 60)
                if held and held.id != acquirer.id:
                    parties = [self.remember(acquirer, s.quote), self.remember(held, s.quote)]
                    control = re.search(r"\b(?:majority|controlling)\b", stake.group(0), re.I)
                    kind, roles = ("acquisition", ("acquirer", "acquiree")) if control else ("investment",
                                                                                             ("investor", "investee"))
                    deal = {"kind": kind, "parties": {roles[0]: [parties[0]], roles[1]: [parties[1]]}}
                    if s.paid:
                        deal["amount"] = s.paid[0].as_data()
                    self.add_deal(deal, self.deal_id(kind, parties, s.when), s.quote, s.when, _status(s.sentence))
                    self.last_subject = parties[0]
                    return True
            passive = re.match(r"\s+by\s+", s.sentence[match.end():])
            if passive:  # "DeepMind, which was acquired by Google": the acquirer follows "by"
                acquiree = acquirer
                acquirer = self.organization_between(s.sentence, s.known, match.end() + passive.end(), len(s.sentence))
            relative = re.search(r"(?P<object>[^,]*),\s*(?:which|that)\s+(?P<subject>[^,]*?)\s*$",
                                 s.sentence[:match.start()])
            if relative and not passive:  # "DeepMind, which Google acquired": the acquirer comes after "which"
                acquirer = self.organization_between(s.sentence, s.known, relative.start("subject"),
                                                     relative.end("subject")) or acquirer
                acquiree = self.organization_between(s.sentence, s.known, relative.start("object"),
                                                     relative.end("object")) or acquiree
            goods = acquiree is not None and re.match(
                r"(?:['’]s)?(?:\s+(?!(?:from|for|of|the|by|to|in|at)\b)[\w-]+){0,2}?\s+"
                r"(?:chips?|GPUs?|processors|accelerators|servers|systems|semiconductors|superchips)\b",
                s.sentence[acquiree.end:], re.I)
            if acquirer and acquiree and acquirer.id != acquiree.id and (goods or re.search(
                    r"\d[\d,.]*\s*(?:million|thousand|k)?\s+(?:of\s+)?(?:[\w’']+\s+){0,3}(?:chips|GPUs|processors|accelerators)\b",
                    s.sentence[match.end():], re.I)):
                # "acquire 18,000 of Nvidia's chips": a purchase of goods, not of the company
                parties = [self.remember(acquirer, s.quote), self.remember(acquiree, s.quote)]
                deal = {"kind": "supply", "parties": {"customer": [parties[0]], "provider": [parties[1]]}}
                if s.amounts:
                    deal["amount"] = s.amounts[0].as_data()
                if s.chips:
                    deal["chips"] = s.chips
                self.add_deal(deal, self.deal_id("supply", parties, s.when), s.quote, s.when,
                              _status(s.sentence, "announced"))
                self.last_subject = parties[0]
                return True
            if acquirer and acquiree and acquirer.id != acquiree.id:
                parties = [self.remember(acquirer, s.quote), self.remember(acquiree, s.quote)]
                # hiring the team with the company ("in hiring Suleyman, Microsoft also acquired...") is an acqui-hire
                kind = "acqui-hire" if re.search(r"\bhir(?:e|es|ed|ing)\b|\bacqui-?hire|\b(?:talent|team|staff|employees|"
                                                 r"researchers|engineers)\b", s.sentence, re.I) else "acquisition"
                deal = {"kind": kind, "parties": {"acquirer": [parties[0]], "acquiree": [parties[1]]}}
                sold = re.match(r"[^,;]{0,20}?\s+from\s+", s.sentence[acquiree.end:]) if isinstance(acquiree,
                                                                                                    Mention) else None
                seller = sold and self.organization_between(s.sentence, s.known, acquiree.end + sold.end(),
                                                            acquiree.end + sold.end() + 70)
                if seller and seller.id not in parties:  # "buy Arm from the British chip designer's parent SoftBank"
                    deal["parties"]["seller"] = [self.remember(seller, s.quote)]
                if s.amounts:
                    deal["amount"] = s.amounts[0].as_data()
                self.add_deal(deal, self.deal_id(kind, parties, s.when), s.quote, s.when,
                              _status(s.sentence, "announced"))
                self.last_subject = parties[0]
                return True
        return False

    def _supply(self, s: _Sentence) -> bool:
        """Supply: "Nvidia will supply Humain with 18,000 GB300 chips", "AMD supplies GPUs to OpenAI"."""
        match = re.search(r"\bsuppl(?:y|ies|ied|ying)\b", s.sentence, re.I)
        if match:
            provider = _Pronoun(self.last_subject) if s.pronoun and self.last_subject else \
                self.organization_between(s.sentence, s.known,
                                          clause_start(s.sentence, match.start(), r"[;:]\s|,\s*(?:while|and|but)\b"),
                                     match.start(), subject=True)
            to = re.match(r"\s+(?:[\w-]+\s+){0,4}?to\s+|\s+", s.sentence[match.end():])
            customer = next((m for m in within(s.known, match.end() + to.end(), match.end() + to.end() + 4)), None)
            if provider and customer and provider.id != customer.id:
                parties = [self.remember(customer, s.quote), self.remember(provider, s.quote)]
                cloud = self.kinds.get(provider.id, set()) & {"cloud-provider", "cloud-platform"} and \
                    not self.kinds.get(provider.id, set()) & {"chip-designer", "foundry"}
                kind = "compute-commitment" if cloud else "supply"
                deal = {"kind": kind, "parties": {"customer": [parties[0]], "provider": [parties[1]]}}
                if s.paid:
                    deal["amount"] = s.paid[0].as_data()
                if s.chips:
                    deal["chips"] = s.chips
                if s.power:
                    deal["power_gw"] = s.power
                self.add_deal(deal, self.deal_id(kind, parties, s.when), s.quote, s.when, _status(s.sentence))
                self.last_subject = parties[1]
                return True
        return False

    def _compute_spending(self, s: _Sentence) -> bool:
        """Compute commitments: "X will spend $N over K years on Y's cloud and chips"."""
        spend = re.search(_SPEND, s.sentence, re.I)
        if spend and re.search(r"\bin (?:stock|cash|shares)\b|\bper share\b", s.sentence, re.I):
            spend = None  # paying for a company, not buying compute
        if spend and re.search(r"\b(?:cloud|chips?|compute|infrastructure|capacity|data cent(?:er|re)s?|GPUs|TPUs)\b",
                               s.sentence, re.I) and (s.amounts or s.power):
            clause = clause_start(s.sentence, spend.start(), r"[;:]\s|,\s*(?:with|while|and|but)\b")
            before = [m for m in s.known if clause <= m.start and m.end <= spend.start()]
            buyers = [m for m in before if not self.kinds.get(m.id, set()) & _PROVIDING] or before
            if s.pronoun and not before:
                customer = self.remember(_Pronoun(self.last_subject), s.quote) if self.last_subject else None
            elif buyers:
                # the nearest: "Amazon said Anthropic will spend"; "AMD and OpenAI announced a plan for OpenAI to
                # purchase AMD GPUs": the buyer is one who does not sell them, where one does not
                customer = self.remember(buyers[-1], s.quote)
            else:
                customer = self.remember(self.organization_between(s.sentence, s.known, clause, spend.start(),
                                                                   subject=True), s.quote)
            providers = [m for m in s.known if m.id != customer and m.start > spend.start()] or \
                [m for m in s.known if m.id != customer and self.kinds.get(m.id, set()) & _PROVIDING]
            if customer and providers:
                chip_sale = all(self.kinds.get(m.id, set()) & {"chip-designer", "foundry"}
                                and not self.kinds.get(m.id, set()) & {"cloud-provider",
                                                                       "cloud-platform"} for m in providers)
                deal = {"kind": "supply" if chip_sale else "compute-commitment",
                        "parties": {"customer": [customer], "provider": sorted({m.id for m in providers})}}
                if s.amounts:
                    deal["amount"] = s.amounts[0].as_data()
                years = re.search(r"\bover\s+(?:the\s+next\s+)?(\d+|ten|five|seven|three|four|six|eight|nine|two)\s+years\b", s.sentence, re.I)
                if years:
                    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                             "ten": 10}
                    deal["duration_years"] = int(words.get(years.group(1).lower(), years.group(1)))
                if s.power:
                    deal["power_gw"] = s.power
                if s.chips:
                    deal["chips"] = s.chips
                self.add_deal(deal, self.deal_id("compute", [customer, *deal["parties"]["provider"]], s.when),
                              s.quote, s.when, _status(s.sentence))
                self.last_subject = customer
                return True
        return False

    def _capacity_partnership(self, s: _Sentence) -> bool:
        """Partnerships for capacity: "X partnered with A and B to access N GW"."""
        match = re.search(_PARTNER, s.sentence, re.I)
        if match and (s.power or s.chips) and (s.subject or s.known):
            # "It partnered with A and B": "it" is the story's subject
            customer = self.remember(_Pronoun(s.subject), s.quote) if s.pronoun and s.subject else s.subject or s.known[0].id
            providers = sorted({m.id for m in s.known if m.id != customer and m.start > match.start()})
            if providers:
                deal = {"kind": "compute-commitment", "parties": {"customer": [customer], "provider": providers}}
                if s.power:
                    deal["power_gw"] = s.power
                if s.chips:
                    deal["chips"] = s.chips
                if s.amounts:
                    deal["amount"] = s.amounts[0].as_data()
                self.add_deal(deal, self.deal_id("compute", [customer, *providers], s.when), s.quote, s.when,
                              _status(s.sentence))
                self.last_subject = customer
                return True
        return False

    def _cloud_provider(self, s: _Sentence) -> bool:
        """Reads "Anthropic agreed to use AWS as its primary cloud provider", "make Google Cloud its preferred
        cloud provider"."""
        match = re.search(r"\b(?:use[sd]?|using|make[sd]?|making|name[sd]?|naming|choose|chose|select(?:s|ed)?)\s+(?P<provider>.{2,60}?)\s+"
                          r"(?:as\s+)?(?:its|their)\s+(?:[\w“”\"'-]+\s+){0,2}?(?:cloud|compute|training)\s+(?:provider|partner|platform)",
                          s.sentence, re.I)
        if match:
            provider = self.organization_between(s.sentence, s.known, match.start("provider"), match.end("provider"))
            customer = self.subject_before(s, match.start())
            if provider and customer and provider.id != customer.id:
                parties = [self.remember(customer, s.quote), self.remember(provider, s.quote)]
                deal = {"kind": "compute-commitment", "parties": {"customer": [parties[0]], "provider": [parties[1]]}}
                if s.paid:
                    deal["amount"] = s.paid[0].as_data()
                self.add_deal(deal, self.deal_id("compute", parties, s.when), s.quote, s.when, _status(s.sentence))
                self.last_subject = parties[0]
                return True
        return False

    def _round_in(self, s: _Sentence) -> bool:
        """Reads "leading a €600 million funding round in Helsing": the round of the one named after "in"."""
        match = re.search(r"(?:funding|financing|investment|Series\s+[A-K]\d?|seed)?\s*round\s+(?:in|for|into)\s+",
                          s.sentence, re.I)
        round_money = [m for m in s.amounts if match and 0 <= match.start() - m.end <= 30 and not _is_valuation(s.sentence, m)]
        if round_money:
            investee = self.organization_between(s.sentence, s.known, match.end(), match.end() + 60)
            if investee is not None and investee.start == match.end():
                investee_id = self.remember(investee, s.quote)
                deal = {"kind": "funding-round", "parties": {"investee": [investee_id]},
                        "amount": round_money[-1].as_data()}
                self.add_deal(deal, self.deal_id("round", [investee_id], s.when), s.quote, s.when,
                              _status(s.sentence, "completed"))
                self.last_round, self.last_round_at = self.found.deals[-1], self.read_so_far
                self.last_subject = self.last_lab = investee_id
                return True
        return False

    def _agreement_by_kinds(self, s: _Sentence) -> bool:
        """Agreements with a cloud or chip maker: "a $300 billion deal between OpenAI and Oracle", "AMD and
        OpenAI announced a 6 gigawatt agreement", "deals with NVIDIA and AMD to build AI factories". Who
        provides is who sells compute or chips, by the data's kinds; the other party, the only one left, is
        the customer."""
        match = re.search(_AGREEMENT, s.sentence, re.I)
        if match and re.search(_COMPUTE_WORDS, s.sentence, re.I) and not re.search(_ACQUIRE + "|" + _INVEST,
                                                                                   s.sentence, re.I):
            named = list({m.id: m for m in s.known}.values())
            if s.pronoun and self.last_subject and self.last_subject not in {m.id for m in named}:
                named.insert(0, _Pronoun(self.last_subject))
            providers = [m for m in named if self.kinds.get(m.id, set()) & _PROVIDING]
            customers = [m for m in named if m not in providers and "government" not in self.kinds.get(m.id, set())]
            if len(customers) == 1 and providers:
                customer = self.remember(customers[0], s.quote)
                for provider in providers:
                    chip_maker = not self.kinds.get(provider.id, set()) & {"cloud-provider", "cloud-platform"}
                    kind = "supply" if chip_maker else "compute-commitment"
                    deal = {"kind": kind,
                            "parties": {"customer": [customer], "provider": [self.remember(provider, s.quote)]}}
                    if s.paid and len(providers) == 1:
                        deal["amount"] = s.paid[0].as_data()
                    if s.power and len(providers) == 1:
                        deal["power_gw"] = s.power
                    self.add_deal(deal, self.deal_id(kind, [customer, provider.id], s.when), s.quote, s.when,
                                  _status(s.sentence))
                self.last_subject = customer
                return True
        return False

    def _joined_round(self, s: _Sentence) -> bool:
        """Reads "Sequoia joins $25bn Anthropic funding", "Nvidia leads a $500 million Wayve round": an investor
        in a round."""
        for amount in s.amounts:
            verb = re.search(r"\b(?:joins?|joined|joining|participat(?:es|ed|ing)\s+in|leads?|led|leading|co-leads?|co-led)\s+"
                             r"(?:an?\s+|the\s+)?$", s.sentence[max(0, amount.start - 40):amount.start], re.I)
            tail = re.match(r"\s+(?:[\w.’'-]+\s+){0,3}?(?:funding|financing|round|raise|fundraise)\b",
                            s.sentence[amount.end:], re.I)
            if not (verb and tail):
                continue
            investee = next(iter(within(s.known, amount.end, amount.end + tail.end())), None)
            at = max(0, amount.start - 40) + verb.start()
            investor = self.organization_between(s.sentence, s.known,
                                                 clause_start(s.sentence, at, r"[;:]\s|,\s*(?:while|and|but)\b"), at,
                                            subject=True)
            if investee and investor and investee.id != investor.id:
                parties = [self.remember(investor, s.quote), self.remember(investee, s.quote)]
                deal = {"kind": "funding-round", "parties": {"investor": [parties[0]], "investee": [parties[1]]},
                        "amount": amount.as_data()}
                self.add_deal(deal, self.deal_id("round", [parties[1]], s.when), s.quote, s.when,
                              _status(s.sentence, "completed"))
                self.last_round, self.last_round_at = self.found.deals[-1], self.read_so_far
                _add_valuations(self.found, s.sentence, s.quote, [m for m in s.amounts if m is not amount], parties[1],
                                self.story_date, self.published_on, self.source_id, self.deal_id)
                self.last_subject = self.last_lab = parties[1]
                return True
        return False

    def _funding_round(self, s: _Sentence) -> bool:
        """Funding rounds: "X raises $N ... led by A and B"."""
        match = re.search(_RAISE, s.sentence, re.I) or re.search(_ROUND_ANNOUNCED, s.sentence, re.I)
        if match and s.amounts and not re.search(_INVEST, s.sentence[:match.start()], re.I):
            opening = clause_start(s.sentence, match.start(), r":\s")  # "From X at Y: ..."
            investee = _Pronoun(self.last_subject) if s.pronoun and self.last_subject else \
                self.organization_between(s.sentence, s.known, opening, match.start(), subject=True)
            owner = next((m for m in s.known if m.end <= match.start() and s.sentence[m.start:m.end].endswith(("'s",
                                                                                                               "’s"))
                          and re.match(r"\s+(?:[\w-]+\s+){0,3}?round\b", s.sentence[m.end:])), None)
            investee = owner or investee  # "OpenAI's funding round, which aims to raise $N"
            led = re.search(r"\b(?:led|co-led|backed)\s+by\b|\b(?:mené|menée|menés|piloté|pilotée)e?s?\s+par\b|"
                            r"\bangeführt von\b|\bunter (?:der )?Führung von\b|\bguidat[oa] da\b|\bliderad[oa] (?:por|pela|pelo)\b|\b(?:investors|backers)\s+(?:including|such as|like)\b|"
                            r"\bwith participation (?:from|of)\b|\bfrom (?:investors )?(?:including )?(?=[A-Z])", s.sentence[match.start():])
            investors = []
            if led:
                investors = named_in_list(s.sentence, s.known, match.start() + led.end())
            raised = [m for m in s.paid  # not "a $N investment from X": an investor's own
                      if not re.match(r"\s+(?:[\w-]+\s+)?investment\s+from\b", s.sentence[m.end:], re.I)]
            if investee and raised and not (s.pronoun and not self.last_subject):
                investee_id = self.remember(investee, s.quote)
                investor_ids = sorted({self.remember(m, s.quote) for m in investors} - {investee_id})
                parties = {"investor": investor_ids,
                           "investee": [investee_id]} if investor_ids else {"investee": [investee_id]}
                deal = {"kind": "funding-round", "parties": parties, "amount": raised[0].as_data()}
                self.add_deal(deal, self.deal_id("round", [investee_id], s.when), s.quote, s.when,
                              _status(s.sentence, "completed"))
                self.last_round, self.last_round_at = self.found.deals[-1], self.read_so_far
                _add_valuations(self.found, s.sentence, s.quote, [m for m in s.amounts if m is not raised[0]],
                                investee_id,
                                self.story_date, self.published_on, self.source_id, self.deal_id)
                self.last_subject = self.last_lab = investee_id  # the one raising is what the story is about
                return True
        return False

    def _investment(self, s: _Sentence) -> bool:
        """Investments: "X invests $N in Y"; "X will add $N to its investment in Y"; "up to $N more if ..."."""
        if s.amounts and self.last_pair and not s.known and re.search(_FUTURE_FUNDING, s.sentence, re.I) \
                and re.search(_STATUS_CONTINGENT, s.sentence, re.I):
            # "The deal includes $20 billion in future funding if milestones are met": the pair before
            investor_id, investee_id = self.last_pair
            for amount in s.amounts:
                if not _is_valuation(s.sentence, amount):
                    deal = {"kind": "investment", "parties": {"investor": [investor_id], "investee": [investee_id]},
                            "amount": amount.as_data(), "conditions": "milestones named in the article"}
                    self.add_deal(deal, self.deal_id("investment", [investor_id, investee_id], s.when), s.quote,
                                  s.when, "contingent")
            return True
        invested = self.investment_in(s)
        if invested:
            investor, investee = invested
            investor_id, investee_id = self.remember(investor, s.quote), self.remember(investee, s.quote)
            money_amounts = [m for m in s.amounts if not m.total]
            if not money_amounts:  # "Nvidia has invested in Mistral": an investment whose amount the sentence does not give
                deal = {"kind": "investment", "parties": {"investor": [investor_id], "investee": [investee_id]}}
                self.add_deal(deal, self.deal_id("investment", [investor_id, investee_id], s.when), s.quote, s.when,
                              _status(s.sentence))
            contingent = re.search(_STATUS_CONTINGENT, s.sentence, re.I)
            for index, amount in enumerate(money_amounts):
                tail = s.sentence[amount.end:amount.end + 60].lower()
                if re.search(r"\b(?:the|its|their|this|that)\s+$", s.sentence[:amount.start].lower()):
                    continue  # "part of the $40 billion round" names something else, not new money
                if _is_valuation(s.sentence, amount):
                    continue  # "values the startup at about $40 billion": a valuation, never an investment
                is_contingent = bool(contingent) and (index > 0 or "more" in tail[:12] or amount.qualifier == "up-to" and len(money_amounts) > 1)
                deal = {"kind": "investment", "parties": {"investor": [investor_id], "investee": [investee_id]},
                        "amount": amount.as_data()}
                if is_contingent:
                    deal["conditions"] = "milestones named in the article"
                status = "contingent" if is_contingent else _status(re.sub(_STATUS_CONTINGENT + r".*", "", s.sentence,
                                                                           flags=re.I))
                self.add_deal(deal, self.deal_id("investment", [investor_id, investee_id], s.when), s.quote, s.when,
                              status)
            _add_valuations(self.found, s.sentence, s.quote, s.amounts, investee_id, self.story_date,
                            self.published_on, self.source_id, self.deal_id)
            self.last_subject, self.last_pair = investor_id, (investor_id, investee_id)
            return True
        return False

    def _partnership(self, s: _Sentence) -> bool:
        """Partnerships: "X partnered with Y", "X and Y announced a strategic partnership", "a partnership
        between X and Y"."""
        match = re.search(_PARTNERSHIP, s.sentence, re.I)
        if match and not s.amounts:
            clause = clause_start(s.sentence, match.start(), r"[;:]\s|,\s*(?:while|but|which)\b")
            before = [m for m in s.known if clause <= m.start and m.end <= match.start()]
            if s.pronoun and self.last_subject and not before:
                before = [_Pronoun(self.last_subject)]
            after = named_in_list(s.sentence, s.known, match.end())
            partners = list({m.id: m for m in [*before[:2], *after[:3]]}.values())
            if len(partners) >= 2:
                ids_ = [self.remember(m, s.quote) for m in partners]
                deal = {"kind": "partnership", "parties": {"partner": ids_}}
                self.add_deal(deal, self.deal_id("partnership", ids_, s.when), s.quote, s.when, _status(s.sentence))
                self.last_subject = ids_[0]
                return True
        return False

    def _valuation(self, s: _Sentence) -> bool:
        """Valuations on their own: "... values Y at $N"; "offers valued it above $N"."""
        if re.search(_VALUE, s.sentence, re.I) and s.amounts:
            target = s.subject if s.subject and not s.pronoun else \
                self.remember(_Pronoun(self.last_subject), s.quote) if self.last_subject else None
            valued = re.search(r"\bvalu(?:es|ed|ing)\s+(?P<who>.+?)\s+at\b", s.sentence, re.I)
            if valued:
                named = [m for m in s.known if valued.start("who") <= m.start < valued.end("who")]
                if named:
                    target = named[0].id
                elif re.fullmatch(r"it|(?:the|this)\s+(?:[\w-]+\s+){0,3}?(?:company|start-?up|lab|firm|group|developer|maker)",
                                  valued.group("who").strip(), re.I) and (self.last_lab or self.last_subject):
                    target = self.remember(_Pronoun(self.last_lab or self.last_subject), s.quote)
            if target:
                _add_valuations(self.found, s.sentence, s.quote, s.amounts, target, self.story_date,
                                self.published_on, self.source_id, self.deal_id, force=True)
                self.last_subject = target
                return True
        return False



@dataclass(frozen=True)
class _Pronoun:
    """"It", "the company": the organization the story is about, named in an earlier sentence."""

    id: str
    known: bool = True


def _is_valuation(sentence: str, amount: Money) -> bool:
    """Whether an amount is what something is worth ("values it at $40 billion", "a $40 billion
    valuation", "at a valuation of"), not money that changes hands."""
    before = sentence[max(0, amount.start - 60):amount.start].lower()
    after = sentence[amount.end:amount.end + 40].lower()
    return bool(re.search(r"\bvalu(?:e|es|ed|ing|ation)\b[^$€£¥.;]{0,40}\b(?:at|of)\s+(?:(?:a|an)\s+)?"
                          r"(?:whopping|staggering|record|reported|hefty|lofty)?\s*$|\bat\s+(?:a|an)\s*$|\bworth\s*$|"
                          r"\bvalori(?:sation|zzazione|zação)\b[^$€£\d]{0,30}\b(?:à|de|di|a)\s*$|\bvaloris[ée]e?s?\s+à\s*$|"
                          r"\bvaut(?:\s+\w+)?\s*$", before)
                or re.match(r"\s*(?:(?:post|pre)-money\b|valuation)", after))


def _rates_and_ranges(record: dict, sentence: str) -> None:
    """A rate ("$10 million per month") is not a deal's amount: it moves to ``notes``, with a doubt. A range
    keeps its lower end, at least, and says so in a doubt."""
    figure = record.get("amount")
    money = next((m for m in money_in(sentence) if figure and m.as_data() == figure), None)
    if money is None:
        return
    doubts = record["candidate"].setdefault("doubts", [])
    if money.per and "kind" in record:
        del record["amount"]
        record["notes"] = f"{sentence[money.start:money.end].strip()} per {money.per}, as the article says."
        doubts.append(f"the article gives a rate per {money.per}, not a total: the amount is left out, the rate is in notes")
    if money.upper is not None:
        doubts.append(f"the article gives a range, up to {money.upper:,} {money.currency}: the lower end is kept, as 'at least'")
    if not doubts:
        del record["candidate"]["doubts"]


def settle(record: dict, span: list[int] | None, inferred: dict[str, str], new_entities: dict[str, dict]) -> None:
    """Gives a candidate its evidence (where its sentence lies in the article's text) and its confidence:
    low when a party is read from an earlier sentence or is an organization the data does not know, or
    when the extractor had a doubt of its own, each said in ``doubts``."""
    candidate = record["candidate"]
    doubts = list(candidate.get("doubts", []))
    parties = [i for ids in record["parties"].values() for i in ids] if "parties" in record else [record["entity"]]
    for party in parties:
        if party in inferred:
            doubts.append(inferred[party])
        if party in new_entities:
            doubts.append(f"{new_entities[party]['name']} is not in the data: a name read from its capitals")
    if span is not None:
        candidate["span"] = span
    candidate["confidence"] = "low" if doubts else "high"
    if doubts:
        candidate["doubts"] = doubts


def _without_repeats(records: list[dict], key) -> list[dict]:
    """One candidate per fact: a headline restating the story's first sentence yields the same fact
    twice; the one quoting the longer sentence stays, in its place."""
    best: dict = {}
    for record in records:
        current = best.get(key(record))
        if current is None or len(record["candidate"]["quote"]) > len(current["candidate"]["quote"]):
            best[key(record)] = record
    kept = {id(record) for record in best.values()}
    return [record for record in records if id(record) in kept]


def _add_deal(found: Found, deal: dict, identifier: str, sentence: str, when: str, source_id: str, status: str,
              title: str) -> None:
    record = {"id": identifier, "kind": deal["kind"], "title": title,
              "parties": deal["parties"], "announced_on": when, "status": status}
    record.update({k: v for k, v in deal.items() if k not in ("kind", "parties")})
    record["sources"] = [source_id]
    record["candidate"] = {"quote": sentence}
    found.deals.append(record)


def _add_valuations(found: Found, sentence: str, quote: str, amounts: list[Money], entity: str, when: str,
                    published_on: dt.date, source_id: str, deal_id, force: bool = False) -> None:
    """Valuations among the amounts of a sentence; each reads its basis and date from its own clause
    (from the amount to the next one), so "$350B, excluding the new money, below the $380B it reached in
    February" gives a pre-money $350B now and a $380B of February."""
    lowered = sentence.lower()
    all_amounts = money_in(sentence)
    for amount in amounts:
        if amount.qualifier in ("more-than", "at-least") and any(
                other.qualifier == "exact" and other.currency == amount.currency and other.value > amount.value
                for other in amounts):
            continue  # "values Mistral at 2 billion euros ... a unicorn, with a valuation of over one billion"
        before = lowered[max(0, amount.start - 40):amount.start]
        after = lowered[amount.end:amount.end + 40]
        following = [other.start for other in all_amounts if other.start > amount.start]
        clause = lowered[amount.start:following[0] if following else len(lowered)]
        is_valuation = (re.search(r"\b(?:valu(?:e|es|ed|ing)\b[^$€£]*\bat|valuation of|at an?)\s+(?:(?:a|an)\s+)?"
                                  r"(?:whopping|staggering|record|reported|hefty|lofty)?\s*$|\bvalori(?:sation|zzazione|zação)\b"
                                  r"[^$€£\d]{0,30}\b(?:à|de|di|a)\s*$|\bvaloris[ée]e?s?\s+à\s*$|\bvaut(?:\s+\w+)?\s*$", before)
                        or re.match(r"\s*(?:(?:post|pre)-money\b|valuation)", after)
                        or (force and re.search(r"valu", before)
                            and not re.match(r"\s*(?:[\w-]+\s+)?(?:funding|financing|round|raise|investment)", after)))
        if not is_valuation:
            continue
        basis = None
        if re.search(r"post-money|including the new (?:money|capital|investment)", clause):
            basis = "post-money"
        if re.search(r"pre-money|excluding the new (?:money|capital|investment)|before the new (?:money|capital)", clause):
            basis = "pre-money"
        status = "reported" if re.search(_STATUS_REPORTED + r"|\boffers?\b", sentence, re.I) else "announced"
        if re.search(r"\boffers?\b|\boffered\b|\bwilling to (?:back|invest)\b", sentence, re.I):
            basis = "offer"
        opening = lowered[:all_amounts[0].start] if all_amounts else ""
        date = date_in(clause, published_on) or date_in(opening, published_on) or when
        identifier = deal_id("valuation", [entity], date)
        found.valuations.append({"id": identifier, "entity": entity, "amount": amount.as_data(),
                                 **({"basis": basis} if basis else {}), "date": date, "status": status,
                                 "sources": [source_id], "candidate": {"quote": quote}})
