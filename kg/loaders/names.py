"""Organizations named in a sentence: those the graph knows, by their names and aliases, and capitalised
names proposed as new ones, but not places, nationalities, people, German nouns or opening adverbs.

>>> named = unknown_organization("Paris-based startup Lumina raised $5 million.", 0, 40)
>>> (named.id, named.name, named.known)
('lumina', 'Lumina', False)
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.model import LEGAL_FORM, slug

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph




@dataclass(frozen=True)
class Mention:
    """An organization named in a sentence: its id (new ones too), where, and whether the graph knows it."""

    id: str
    name: str
    start: int
    end: int
    known: bool


_SUFFIXES = rf"(?:,?\s+{LEGAL_FORM})?"
_COMMON = {"Last", "Earlier", "Later", "Today", "Yesterday", "Now", "Meanwhile", "However", "Also", "Separately",
           "Such", "Several", "Many", "Some", "Other", "Others", "All", "Big", "Big Tech", "Investors", "Backers",
           "Existing", "New", "Its", "Their", "They", "He", "She", "We", "Wall Street Journal", "Financial Times",
           "The Information", "CNBC", "Axios", "TechCrunch",
           "The", "A", "An", "It", "This", "That", "These", "Those", "In", "On", "At", "For", "And", "But",
           "Under", "With", "As", "By", "From", "After", "Before", "While", "According", "Monday", "Tuesday",
           "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Series", "Seed", "Chief", "CEO", "AI",
           "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December", "GW", "US", "U.S", "Reuters", "Bloomberg", "The company", "Both",
           "Der", "Die", "Das", "Le", "La", "Les", "El", "Los", "Las", "Il", "Un", "Une", "Ein", "Eine",
           # nationalities and regions, as in "Swedish aerospace company Saab"
           "American", "British", "Chinese", "French", "German", "Japanese", "Korean", "South", "Indian", "Swedish",
           "Dutch", "Swiss", "Israeli", "Canadian", "Saudi", "Emirati", "European", "Italian", "Spanish", "Finnish",
           "Norwegian", "Danish", "Irish", "Singaporean", "Taiwanese", "Australian", "Brazilian", "Russian",
           "Californian", "Asian", "Qatari", "Gulf", "Middle", "Silicon", "Western", "Global", "Tech", "State",
           # adverbs that open a sentence, as in "Still, the investment in Zhipu..."
           "Still", "Yet", "Thus", "Instead", "Indeed", "Notably", "Overall", "Currently", "Recently", "Additionally",
           "Moreover", "Furthermore", "Nonetheless", "Nevertheless", "Similarly", "Likewise", "Finally", "Ultimately",
           "Importantly", "Specifically", "Elsewhere", "Together", "Initially", "Reportedly", "Next", "First", "Second",
           "Third", "Previously", "Historically", "Then"}


class Gazetteer:
    """Finds the graph's organizations in text by their names and aliases, longest name first."""

    def __init__(self, g: KnowledgeGraph) -> None:
        names: dict[str, str] = {}
        self.surfaces: set[str] = set()
        for entity in g.entities():
            if entity.is_product:
                continue
            for name in (entity.name, *entity.aliases):
                if (len(name) >= 3 or name.isupper() and len(name) >= 2) and not name.isdigit():
                    names.setdefault(name.casefold(), entity.id)
                    self.surfaces.add(name)
        self.names = names
        self.display = {entity.id: entity.name for entity in g.entities()}
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w&-])(" + "|".join(re.escape(name) for name in ordered) + r")" + _SUFFIXES + r"(?:['’]s)?(?![\w&-])",
            re.I)

    def find(self, sentence: str) -> Mentions:
        found = []
        for match in self.pattern.finditer(sentence):
            text = match.group(1)
            # A name counts written as the graph writes it (xAI) or capitalised, so "apple pie" is not Apple.
            if text not in self.surfaces and not text[0].isupper() and not text[0].isdigit():
                continue
            identifier = self.names[text.casefold()]
            found.append(Mention(identifier, self.display[identifier], match.start(), match.end(), True))
        return Mentions(found)


_GERMAN_WORDS = re.compile(r"\b(?:der|die|das|und|mit|von|für|ist|sich|auf|eine|einen|nicht|wird|hat)\b", re.I)


@functools.lru_cache(maxsize=64)
def _in_german(sentence: str) -> bool:
    """Whether a sentence is German, whose capitals do not mark names: three of its commonest words.

    >>> _in_german("Der Konzern investiert in die Forschung und Entwicklung."), _in_german("Die Hard is a film.")
    (True, False)
    """
    return len(_GERMAN_WORDS.findall(sentence)) >= 3
class Mentions(list):
    """A sentence's mentions in order of position, with their starts for binary search."""

    def __init__(self, found: list[Mention]) -> None:
        super().__init__(found)
        self.starts = [m.start for m in found]


CLAUSE_WITHIN = 300
"""How far back a clause's start is looked for: a clause is a sentence's part, not a page."""


def clause_start(sentence: str, position: int, boundaries: str) -> int:
    """Where the clause holding ``position`` starts: just after the last boundary before it, else at the
    sentence's start, or :data:`CLAUSE_WITHIN` characters back in a longer one.

    >>> clause_start("Amazon said; Anthropic will spend", 25, r";\\s")
    13
    """
    offset = max(0, position - CLAUSE_WITHIN)
    return max((offset + m.end() for m in re.finditer(boundaries, sentence[offset:position])), default=offset)


def within(known: list[Mention], start: int, end: int) -> list[Mention]:
    """The mentions that begin in ``[start, end)``: a binary search, not a scan, as investor lists can be long."""
    starts = known.starts if isinstance(known, Mentions) else [m.start for m in known]
    return known[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


_PROPER = r"(?:[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|AI|of|de|la|&))*)"


def unknown_organization(sentence: str, start: int, end: int, last: bool = False) -> Mention | None:
    """A capitalised name in ``sentence[start:end]`` (the first, or the ``last``), proposed as a new organization."""
    matches = list(re.finditer(_PROPER + _SUFFIXES, sentence[start:end]))
    for match in reversed(matches) if last else matches:
        name = re.sub(r"['’]s$", "", match.group(0)).strip(" ,.")
        name = re.sub(r"\s+(of|de|la|&)$", "", name)
        if re.match(r"[LDld]['’]", name):
            continue  # French elision, "L’ensemble": a common word
        if re.search(r"-(?:based|headquartered|born|listed)$", name, re.I):
            continue  # "Lyon-based": a place, not an organization
        if _in_german(sentence) and not re.search(_ORGANIZATION_WORDS + "|" + LEGAL_FORM + r"|\bGruppe\b", name) \
                and not name.isupper():
            continue  # German capitalises every noun ("Anteile"): there, only a name that says organization
        if len(name) < 3 and not name.isupper():
            continue  # "Ek's investment firm": a surname, not a company
        if name and name.split()[0] not in _COMMON and not name.isupper() or len(name) > 4:
            if name in _COMMON or name.split()[0] in _COMMON:
                continue
            name = re.sub(r",?\s+" + LEGAL_FORM + "$", "", name) or name  # the data names "Groq", not "Groq Inc."
            return Mention(slug(name), name, start + match.start(), start + match.end(), False)
    return None


def named_in_list(sentence: str, known: list[Mention], start: int) -> list[Mention]:
    """The organizations of a list such as "led by A, B and C, with participation from D": each item is
    a known organization or, failing that, a capitalised name proposed as a new one."""
    named = []
    end = re.compile(r"[.;]|,\s*(?:valuing|bringing|which|as|at|in|to)\b|\s+(?:valuing|at a|to build|to expand)\b").search(sentence, start)
    clause = sentence[start:end.start() if end else len(sentence)]
    position = start
    for item in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+with(?:\s+participation)?\s+from\s+", clause):
        offset = sentence.find(item, position)
        if not item.strip() or offset < 0:
            continue
        position = offset + len(item)
        inside = within(known, offset, position)
        if inside:
            given = re.search(r"([A-Z][a-z]+)\s+$", sentence[offset:inside[0].start])
            if given and _like_a_person(f"{given.group(1)} {sentence[inside[0].start:inside[0].end]}"):
                continue  # "Ev Williams" is a person, not the Williams Companies
            named.append(inside[0])
        elif (proposed := unknown_organization(sentence, offset, position, last=True)) is not None and not _like_a_person(proposed.name):
            named.append(proposed)  # the last name of the item: "venture capital firm General Catalyst"
    return named


_ORGANIZATION_WORDS = (r"\b(?:Ventures?|Capital|Partners|Investments?|Funds?|Group|Holdings|AI|Labs?|Technologies|Bank|"
                       r"Management|Associates|Global|Asset|Equity|Growth|Foundation|Trust|Fund|Systems|Networks|Media|"
                       r"Innovations?|Industries|Corporation|Company|Agency|Authority|Council|Ministry|University)\b")


def _like_a_person(name: str) -> bool:
    """Whether a name the data does not know reads like a person's ("Scott Belsky"), as investor lists name
    angels beside firms: two or three capitalised words, none of which says organization.

    >>> _like_a_person("Scott Belsky"), _like_a_person("Kindred Ventures"), _like_a_person("Sequoia")
    (True, False, False)
    """
    words = name.split()
    return 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?", w) for w in words) \
        and not re.search(_ORGANIZATION_WORDS + "|" + LEGAL_FORM, name)
