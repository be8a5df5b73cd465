"""The vocabulary that data files may use, read from the ontology, ``ontology/aikg.ttl``.

The ontology is the single source of truth for entity kinds, deal kinds, roles, statuses, amount
qualifiers and valuation bases: every term a data file may name carries its data key as
``skos:notation``. This module reads those keys from the Turtle file itself, with a small reader for
the subset of Turtle the ontology is written in, so that loading data never pays for importing
rdflib. A test proves the reader yields exactly the triples rdflib reads from the same file.

Examples
--------
>>> vocabulary = load_vocabulary()
>>> "ai-lab" in vocabulary.organization_kinds
True
>>> vocabulary.roles["investor"].flow
'out'
>>> vocabulary.deal_kinds["investment"]
'https://w3id.org/aikg/ontology#Investment'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kg.errors import OntologyError
from kg.resources import ONTOLOGY_DIR

AIKG = "https://w3id.org/aikg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_RDFS_SUBPROPERTY = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
_SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
_XSD = "http://www.w3.org/2001/XMLSchema#"


class Literal(NamedTuple):
    """A Turtle literal: its lexical form, and a language tag or a datatype IRI (or neither)."""

    value: str
    language: str | None = None
    datatype: str | None = None


class BlankNode(NamedTuple):
    """A blank node, by its label within one document."""

    label: str


Term = str | Literal | BlankNode
Triple = tuple[Term, Term, Term]


# -------------------------------------------------------------------------------------------------
# A reader for the Turtle the ontology is written in: prefixes, IRIs, prefixed names, `a`, literals
# (short and long strings, language tags, datatypes, numbers, booleans), predicate and object lists,
# blank-node property lists and collections. No @base, no relative IRIs.

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<long_string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<language>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<datatype_mark>\^\^)
  | (?P<number>[+-]?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+))
  | (?P<blank>_:[A-Za-z0-9_.-]*[A-Za-z0-9_-])
  | (?P<name>(?:[A-Za-z][A-Za-z0-9_-]*)?:(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?|[A-Za-z]+)
  | (?P<punctuation>[.;,\[\]()])
    """,
    re.VERBOSE,
)

_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] in "uU":
            return chr(int(escape[1:], 16))
        return _ESCAPES[escape]

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf\"'\\])", replace, text)


class _TurtleReader:
    def __init__(self, text: str, origin: str) -> None:
        self.origin = origin
        self.tokens: list[tuple[str, str, int]] = []
        line = 1
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise OntologyError(f"{origin}, line {line}: cannot read {text[position:position + 20]!r}")
            if match.lastgroup != "space":
                self.tokens.append((match.lastgroup, match.group(), line))
            line += match.group().count("\n")
            position = match.end()
        self.position = 0
        self.prefixes: dict[str, str] = {}
        self.triples: list[Triple] = []
        self.blank_count = 0

    def fail(self, message: str) -> OntologyError:
        line = self.tokens[min(self.position, len(self.tokens) - 1)][2] if self.tokens else 1
        return OntologyError(f"{self.origin}, line {line}: {message}")

    def peek(self) -> tuple[str, str]:
        if self.position >= len(self.tokens):
            return ("end", "")
        kind, text, _ = self.tokens[self.position]
        return kind, text

    def take(self, expected: str | None = None) -> tuple[str, str]:
        kind, text = self.peek()
        if kind == "end" or (expected is not None and text != expected):
            raise self.fail(f"expected {expected or 'more input'}, found {text or 'the end'!r}")
        self.position += 1
        return kind, text

    def read(self) -> list[Triple]:
        while self.peek()[0] != "end":
            kind, text = self.peek()
            if kind == "language" and text == "@prefix":
                self.read_prefix(directive=True)
            elif kind == "name" and text.upper() == "PREFIX":
                self.read_prefix(directive=False)
            else:
                subject = self.read_subject()
                if self.peek()[1] != "." or not isinstance(subject, BlankNode):
                    self.read_predicate_objects(subject)
                self.take(".")
        return self.triples

    def read_prefix(self, directive: bool) -> None:
        self.take()
        kind, name = self.take()
        if kind != "name" or not name.endswith(":"):
            raise self.fail(f"expected a prefix name ending in ':', found {name!r}")
        kind, iri = self.take()
        if kind != "iri":
            raise self.fail(f"expected an IRI for prefix {name!r}, found {iri!r}")
        self.prefixes[name[:-1]] = iri[1:-1]
        if directive:
            self.take(".")

    def expand(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        if prefix not in self.prefixes:
            raise self.fail(f"undeclared prefix {prefix!r}")
        return self.prefixes[prefix] + local

    def new_blank(self) -> BlankNode:
        self.blank_count += 1
        return BlankNode(f"b{self.blank_count}")

    def read_subject(self) -> Term:
        kind, text = self.peek()
        if text == "[":
            return self.read_blank_property_list()
        if text == "(":
            return self.read_collection()
        return self.read_iri_or_blank()

    def read_iri_or_blank(self) -> Term:
        kind, text = self.take()
        if kind == "iri":
            return text[1:-1]
        if kind == "name" and ":" in text:
            return self.expand(text)
        if kind == "blank":
            return BlankNode(text[2:])
        raise self.fail(f"expected an IRI, found {text!r}")

    def read_predicate_objects(self, subject: Term) -> None:
        while True:
            kind, text = self.peek()
            if text in (".", "]"):
                return
            predicate = RDF_TYPE if (kind == "name" and text == "a") else None
            if predicate is None:
                predicate = self.read_iri_or_blank()
            else:
                self.take()
            while True:
                self.triples.append((subject, predicate, self.read_object()))
                if self.peek()[1] != ",":
                    break
                self.take(",")
            if self.peek()[1] != ";":
                return
            while self.peek()[1] == ";":
                self.take(";")

    def read_object(self) -> Term:
        kind, text = self.peek()
        if text == "[":
            return self.read_blank_property_list()
        if text == "(":
            return self.read_collection()
        if kind in ("string", "long_string"):
            self.take()
            quote = 3 if kind == "long_string" else 1
            value = _unescape(text[quote:-quote])
            after, after_text = self.peek()
            if after == "language":
                self.take()
                return Literal(value, language=after_text[1:].lower())
            if after == "datatype_mark":
                self.take()
                return Literal(value, datatype=self.read_iri_or_blank())
            return Literal(value)
        if kind == "number":
            self.take()
            if re.fullmatch(r"[+-]?\d+", text):
                return Literal(text, datatype=_XSD + "integer")
            if "e" in text.lower():
                return Literal(text, datatype=_XSD + "double")
            return Literal(text, datatype=_XSD + "decimal")
        if kind == "name" and text in ("true", "false"):
            self.take()
            return Literal(text, datatype=_XSD + "boolean")
        return self.read_iri_or_blank()

    def read_blank_property_list(self) -> BlankNode:
        self.take("[")
        node = self.new_blank()
        self.read_predicate_objects(node)
        self.take("]")
        return node

    def read_collection(self) -> Term:
        self.take("(")
        items: list[Term] = []
        while self.peek()[1] != ")":
            items.append(self.read_object())
        self.take(")")
        head: Term = _RDF + "nil"
        for item in reversed(items):
            node = self.new_blank()
            self.triples.append((node, _RDF + "first", item))
            self.triples.append((node, _RDF + "rest", head))
            head = node
        return head


def read_turtle(text: str, origin: str = "<string>") -> list[Triple]:
    """Read the triples of a Turtle document written in the subset this project uses.

    Parameters
    ----------
    text : str
        The Turtle document.
    origin : str
        Where the text comes from, named in error messages.

    Returns
    -------
    list of (subject, predicate, object)
        IRIs as ``str``, literals as :class:`Literal`, blank nodes as :class:`BlankNode`.

    Raises
    ------
    OntologyError
        When the text is not Turtle this reader understands, naming the line.

    Examples
    --------
    >>> read_turtle('@prefix ex: <http://example.org/> . ex:a a ex:B ; ex:name "A"@en .')
    ... # doctest: +NORMALIZE_WHITESPACE
    [('http://example.org/a', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'http://example.org/B'),
     ('http://example.org/a', 'http://example.org/name', Literal(value='A', language='en', datatype=None))]
    """
    return _TurtleReader(text, origin).read()


# -------------------------------------------------------------------------------------------------
# The vocabulary


@dataclass(frozen=True)
class Role:
    """A role a party plays in a deal.

    ``flow`` is ``"out"`` for a paying party (investor, customer, acquirer, licensee), ``"in"`` for a
    receiving party (investee, provider, acquiree, licensor) and ``"none"`` for a partner.
    """

    key: str
    iri: str
    flow: str


@dataclass(frozen=True)
class Shortcut:
    """A direct edge the exports state between parties of a deal: from parties in one role to another."""

    iri: str
    from_role: str
    to_role: str


@dataclass(frozen=True)
class FlowRule:
    """A row of the ontology's table of flows: deals of a kind yield a flow of ``flow_type`` from the
    parties in ``from_role`` to those in ``to_role``; ``carries_amount`` when the deal's amount is its value."""

    from_role: str
    to_role: str
    flow_type: str
    carries_amount: bool


@dataclass(frozen=True)
class Vocabulary:
    """Every data key the ontology defines, each mapped to its IRI, and the shortcut properties."""

    organization_kinds: dict[str, str]
    product_kinds: dict[str, str]
    deal_kinds: dict[str, str]
    roles: dict[str, Role]
    statuses: dict[str, str]
    qualifiers: dict[str, str]
    valuation_bases: dict[str, str]
    shortcuts: tuple[Shortcut, ...] = ()
    flow_types: dict[str, str] = field(default_factory=dict)
    flow_rules: dict[str, tuple[FlowRule, ...]] = field(default_factory=dict)
    """Deal kind → the rules of its flows: its own, or those of its nearest super-kind that has some."""
    capacity_layers: dict[str, str] = field(default_factory=dict)
    """Deal kind → the layer its gigawatts measure (``hosting`` or ``chips``), sub-kinds included."""
    kind_lineage: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Deal kind → the kind and its super-kinds, nearest first (``funding-round``: itself, ``investment``)."""

    def is_kind(self, kind: str, ancestor: str) -> bool:
        """Whether a deal kind is ``ancestor`` or one of its sub-kinds.

        >>> load_vocabulary().is_kind("vendor-financing", "investment"), load_vocabulary().is_kind("supply", "investment")
        (True, False)
        """
        return ancestor in self.kind_lineage.get(kind, (kind,))

    @property
    def entity_kinds(self) -> dict[str, str]:
        """Organization and product kinds together."""
        return {**self.organization_kinds, **self.product_kinds}

    def money_sides(self, parties: dict[str, tuple[str, ...]]) -> tuple[list[str], list[str]]:
        """The parties a deal's money flows from, and those it flows to, in role order.

        >>> load_vocabulary().money_sides({"customer": ("anthropic",), "provider": ("google", "broadcom")})
        (['anthropic'], ['google', 'broadcom'])
        """
        payers = [p for role, ids in parties.items() if self.roles[role].flow == "out" for p in ids]
        receivers = [p for role, ids in parties.items() if self.roles[role].flow == "in" for p in ids]
        return payers, receivers


def _vocabulary_from_triples(triples: list[Triple]) -> Vocabulary:
    notation: dict[str, str] = {}
    parents: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    shortcut_ends: dict[str, dict[str, str]] = {}
    rule_parts: dict[str, dict[str, object]] = {}
    layers: dict[str, str] = {}
    rule_keys = {AIKG + key for key in ("forDealKind", "ruleFromRole", "ruleToRole", "ruleFlowType", "carriesAmount")}
    for subject, predicate, obj in triples:
        if not isinstance(subject, str):
            continue
        if predicate in (AIKG + "shortcutFrom", AIKG + "shortcutTo") and isinstance(obj, str):
            shortcut_ends.setdefault(subject, {})[predicate[len(AIKG):]] = obj
        elif predicate in rule_keys:
            rule_parts.setdefault(subject, {})[predicate[len(AIKG):]] = obj
        elif predicate == AIKG + "capacityLayer" and isinstance(obj, Literal):
            layers[subject] = obj.value
        elif predicate == _SKOS_NOTATION and isinstance(obj, Literal):
            notation[subject] = obj.value
        elif predicate in (_RDFS_SUBCLASS, _RDFS_SUBPROPERTY) and isinstance(obj, str):
            parents.setdefault(subject, set()).add(obj)
        elif predicate == RDF_TYPE and isinstance(obj, str):
            types.setdefault(subject, set()).add(obj)

    def ancestors(term: str) -> set[str]:
        seen: set[str] = set()
        stack = [term]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    def under(root: str) -> dict[str, str]:
        return {key: iri for iri, key in sorted(notation.items()) if root in ancestors(iri)}

    def instances(cls: str) -> dict[str, str]:
        return {key: iri for iri, key in sorted(notation.items()) if cls in types.get(iri, ())}

    roles = {}
    for key, iri in under(AIKG + "party").items():
        lineage = ancestors(iri)
        flow = "out" if AIKG + "payingParty" in lineage else "in" if AIKG + "receivingParty" in lineage else "none"
        roles[key] = Role(key, iri, flow)
    deal_kinds = under(AIKG + "Deal")
    kind_of_iri = {iri: key for key, iri in deal_kinds.items()}

    def lineage(iri: str) -> tuple[str, ...]:
        chain, current = [kind_of_iri[iri]], iri
        while True:
            parent = next((p for p in sorted(parents.get(current, ())) if p in kind_of_iri), None)
            if parent is None:
                return tuple(chain)
            chain.append(kind_of_iri[parent])
            current = parent

    own_rules: dict[str, list[FlowRule]] = {}
    for rule_iri, parts in sorted(rule_parts.items()):
        amount = parts.get("carriesAmount")
        own_rules.setdefault(kind_of_iri[parts["forDealKind"]], []).append(FlowRule(
            notation[parts["ruleFromRole"]], notation[parts["ruleToRole"]], notation[parts["ruleFlowType"]],
            isinstance(amount, Literal) and amount.value == "true"))
    lineages = {key: lineage(iri) for key, iri in deal_kinds.items()}
    flow_rules = {key: tuple(sorted(next((own_rules[k] for k in lineages[key] if k in own_rules), ()),
                                    key=lambda rule: not rule.carries_amount))
                  for key in deal_kinds}
    return Vocabulary(
        organization_kinds=under(AIKG + "Organization"),
        product_kinds=under(AIKG + "Product"),
        deal_kinds=deal_kinds,
        roles=roles,
        statuses=instances(AIKG + "DealStatus"),
        qualifiers=instances(AIKG + "AmountQualifier"),
        valuation_bases=instances(AIKG + "ValuationBasis"),
        shortcuts=tuple(
            Shortcut(iri, notation[ends["shortcutFrom"]], notation[ends["shortcutTo"]])
            for iri, ends in sorted(shortcut_ends.items())
        ),
        flow_types=instances(AIKG + "FlowType"),
        flow_rules=flow_rules,
        capacity_layers={key: layer for key in deal_kinds
                         if (layer := next((layers[deal_kinds[k]] for k in lineages[key] if deal_kinds[k] in layers), None))},
        kind_lineage=lineages,
    )


def read_vocabulary(path: str | Path) -> Vocabulary:
    """Read the vocabulary from an ontology file in Turtle.

    Raises
    ------
    OntologyError
        When the file cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise OntologyError(f"{path}: cannot read the ontology: {error.strerror}") from None
    return _vocabulary_from_triples(read_turtle(text, str(path)))


@functools.cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary of the bundled ontology, read once per process."""
    return read_vocabulary(ONTOLOGY_DIR / "aikg.ttl")
