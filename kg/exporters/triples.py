"""The graph as RDF triples, one subject at a time: the single mapping every RDF export is written from.

Terms are plain Python: IRIs are ``str``, literals are :class:`kg.vocabulary.Literal` (the lexical form
with a datatype or a language tag). Subjects come in a fixed order (the header, sources, entities by
id, deals by date and id, each followed by the shortcut edges it states first, then valuations by id),
each subject's triples together and each triple once, so writers can stream them and the output is
deterministic.

>>> import kg
>>> subject, triples = next(subjects(kg.load()))
>>> subject
'https://w3id.org/aikg/data'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator

from kg.flows import counting_deals, deal_flows
from kg.model import Amount, Quantity, format_partial_date
from kg.rdfterms import (DATASET_IRI, DATATYPES, DCTERMS, ONTOLOGY_IRI, OWL, RDFS, SCHEMA, SKOS, WIKIDATA, XSD,
                         instance_iri)
from kg.vocabulary import AIKG, RDF_TYPE, Literal, load_vocabulary

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

Triple = tuple[str, str, "str | Literal"]


def decimal_lexical(value) -> str:
    """The canonical ``xsd:decimal`` form: digits, a point, at least one digit after it.

    >>> decimal_lexical(Decimal("1250000000")), decimal_lexical(Decimal("3.50")), decimal_lexical(Decimal("1E+3"))
    ('1250000000.0', '3.5', '1000.0')
    """
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0")
        return text + "0" if text.endswith(".") else text
    return text + ".0"


def _decimal(value) -> Literal:
    return Literal(decimal_lexical(value), None, XSD + "decimal")


def _date(value: dt.date, precision: str) -> Literal:
    return Literal(format_partial_date(value, precision), None, DATATYPES[precision])


def _text(value: str) -> Literal:
    return Literal(value, "en", None)


def _plain(value: str) -> Literal:
    return Literal(value, None, None)


def subjects(g: KnowledgeGraph) -> Iterator[tuple[str, list[Triple]]]:
    """Every subject of the graph with its triples, in a fixed order. O(triples)."""
    vocabulary = load_vocabulary()
    kinds = {**vocabulary.entity_kinds, **vocabulary.deal_kinds}
    qualifiers, statuses, roles = vocabulary.qualifiers, vocabulary.statuses, vocabulary.roles
    source_p, label, type_p = AIKG + "source", RDFS + "label", RDF_TYPE
    stated_shortcuts: set[tuple[str, str, str]] = set()
    flow_types = vocabulary.flow_types
    counting = {deal.id for deal in counting_deals(g.deals(), include_contingent=True)}

    def amount(node: str, value: Amount, out: list) -> None:
        out.append((node, AIKG + "amount", _decimal(value.value)))
        out.append((node, AIKG + "currency", _plain(value.currency)))
        out.append((node, AIKG + "amountQualifier", qualifiers[value.qualifier]))
        if value.usd is not None:
            out.append((node, AIKG + "amountUSD", _decimal(value.usd)))

    def quantity(node: str, value: Quantity | None, prop: str, integer: bool, out: list) -> None:
        if value is not None:
            literal = Literal(str(int(value.value)), None, XSD + "integer") if integer else _decimal(value.value)
            out.append((node, AIKG + prop, literal))
            out.append((node, AIKG + prop + "Qualifier" if prop != "powerGW" else AIKG + "powerQualifier",
                        qualifiers[value.qualifier]))

    yield DATASET_IRI, [
        (DATASET_IRI, type_p, OWL + "Ontology"),
        (DATASET_IRI, label, _text("AI Industry Knowledge Graph data")),
        (DATASET_IRI, OWL + "imports", ONTOLOGY_IRI),
    ]
    for source in sorted(g.sources.values(), key=lambda s: s.id):
        node = instance_iri(source.id)
        out = [(node, type_p, AIKG + "Source"), (node, DCTERMS + "publisher", _plain(source.publisher)),
               (node, DCTERMS + "title", _plain(source.title))]
        if source.published_on is not None:
            out.append((node, DCTERMS + "date", _date(source.published_on, source.published_precision)))
        if source.url:
            out.append((node, SCHEMA + "url", source.url))
        yield node, out
    for entity in g.entities():
        node = instance_iri(entity.id)
        out = [(node, type_p, AIKG + ("Product" if entity.is_product else "Organization"))]
        out += [(node, type_p, kinds[kind]) for kind in entity.kinds]
        out.append((node, label, _text(entity.name)))
        out += [(node, SKOS + "altLabel", _text(alias)) for alias in entity.aliases]
        if entity.description:
            out.append((node, SCHEMA + "description", _text(entity.description)))
        if entity.parent:
            out.append((node, AIKG + "parentOrganization", instance_iri(entity.parent)))
        if entity.parent_since is not None:
            out.append((node, AIKG + "parentSince", _date(entity.parent_since, entity.parent_since_precision)))
        if entity.parent_until is not None:
            out.append((node, AIKG + "parentUntil", _date(entity.parent_until, entity.parent_until_precision)))
        if entity.maker:
            out.append((node, AIKG + "maker", instance_iri(entity.maker)))
        if entity.wikidata:
            out.append((node, OWL + "sameAs", WIKIDATA + entity.wikidata))
        out += [(node, source_p, instance_iri(source)) for source in entity.sources]
        yield node, list(dict.fromkeys(out))
    for deal in g.deals():
        node = instance_iri(deal.id)
        out = [(node, type_p, AIKG + "Deal"), (node, type_p, kinds[deal.kind]), (node, label, _text(deal.title))]
        for role, parties in deal.parties.items():
            role_iri = roles[role].iri
            out += [(node, role_iri, instance_iri(party)) for party in parties]
        out.append((node, AIKG + "announcedOn", _date(deal.announced_on, deal.announced_precision)))
        out.append((node, AIKG + "status", statuses[deal.status]))
        if deal.amount is not None:
            amount(node, deal.amount, out)
        quantity(node, deal.power, "powerGW", False, out)
        quantity(node, deal.chips, "chipCount", True, out)
        quantity(node, deal.customers, "customerCount", True, out)
        if deal.duration_years is not None:
            out.append((node, AIKG + "durationYears", _decimal(deal.duration_years)))
        out += [(node, AIKG + "involvesProduct", instance_iri(product)) for product in deal.products]
        if deal.part_of:
            out.append((node, AIKG + "partOf", instance_iri(deal.part_of)))
        if deal.supersedes:
            out.append((node, AIKG + "supersedes", instance_iri(deal.supersedes)))
        if deal.alternative_of:
            out.append((node, AIKG + "alternativeOf", instance_iri(deal.alternative_of)))
        if deal.conditions:
            out.append((node, AIKG + "conditions", _text(deal.conditions)))
        if deal.notes:
            out.append((node, AIKG + "notes", _text(deal.notes)))
        out += [(node, source_p, instance_iri(source)) for source in deal.sources]
        yield node, list(dict.fromkeys(out))
        if deal.id in counting:
            yield from _flow_subjects(deal, node, flow_types)
        if deal.status != "terminated":
            for shortcut in vocabulary.shortcuts:
                for start in deal.parties.get(shortcut.from_role, ()):
                    start_iri = instance_iri(start)
                    new = []
                    for end in deal.parties.get(shortcut.to_role, ()):
                        triple = (start_iri, shortcut.iri, instance_iri(end))
                        if end != start and triple not in stated_shortcuts:
                            stated_shortcuts.add(triple)
                            new.append(triple)
                    if new:
                        yield start_iri, new
    for valuation in sorted(g.dataset.valuations, key=lambda v: v.id):
        node = instance_iri(valuation.id)
        out = [(node, type_p, AIKG + "Valuation"), (node, AIKG + "valuationOf", instance_iri(valuation.entity))]
        amount(node, valuation.amount, out)
        out.append((node, AIKG + "valuedOn", _date(valuation.date, valuation.date_precision)))
        out.append((node, AIKG + "status", statuses[valuation.status]))
        if valuation.basis:
            out.append((node, AIKG + "valuationBasis", vocabulary.valuation_bases[valuation.basis]))
        if valuation.deal:
            out.append((node, AIKG + "valuationInDeal", instance_iri(valuation.deal)))
        if valuation.notes:
            out.append((node, AIKG + "notes", _text(valuation.notes)))
        out += [(node, source_p, instance_iri(source)) for source in valuation.sources]
        yield node, list(dict.fromkeys(out))


def _flow_subjects(deal, node: str, flow_types: dict[str, str]) -> Iterator[tuple[str, list[Triple]]]:
    """A deal's flows as nodes ``<deal>/flow/N``, each from and to one party or one party group
    (``<flow>/from``, ``<flow>/to``) so that a sum grouped by ``aikg:flowFrom`` never credits a group's
    amount to each member."""
    for number, flow in enumerate(deal_flows(deal), start=1):
        flow_node = f"{node}/flow/{number}"
        out = [(flow_node, RDF_TYPE, AIKG + "Flow"), (flow_node, AIKG + "flowOf", node),
               (flow_node, AIKG + "flowType", flow_types[flow.type]),
               (flow_node, AIKG + "principal", Literal("true" if flow.principal else "false", None, XSD + "boolean"))]
        groups = []
        for end, parties in (("from", flow.payers), ("to", flow.payees)):
            if len(parties) == 1:
                target = instance_iri(parties[0])
            else:
                target = f"{flow_node}/{end}"
                groups.append((target, [(target, RDF_TYPE, AIKG + "PartyGroup")]
                               + [(target, AIKG + "member", instance_iri(party)) for party in parties]))
            out.append((flow_node, AIKG + ("flowFrom" if end == "from" else "flowTo"), target))
        if flow.amount_usd is not None:
            out.append((flow_node, AIKG + "amountUSD", _decimal(deal.amount.usd)))
        yield flow_node, out
        yield from groups


def triples(g: KnowledgeGraph) -> Iterator[Triple]:
    """Every triple of the graph, subject by subject, each once."""
    for _, group in subjects(g):
        yield from group
