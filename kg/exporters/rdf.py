"""RDF exports: Turtle, N-Triples and JSON-LD, all from one rdflib graph.

Instances are minted in ``https://w3id.org/aikg/id/`` from their ids, ontology terms live in
``https://w3id.org/aikg/ontology#``. Amounts are ``xsd:decimal`` with their currency and qualifier;
dates are ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` by their precision; sources are described
with Dublin Core terms and ``schema:url``. The output is deterministic: building twice gives the same
bytes.
"""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from kg.graph import KnowledgeGraph
from kg.model import Amount, Quantity, format_partial_date
from kg.vocabulary import AIKG as AIKG_IRI
from kg.vocabulary import load_vocabulary

AIKG = Namespace(AIKG_IRI)
ID = Namespace("https://w3id.org/aikg/id/")
SCHEMA = Namespace("https://schema.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
_DATATYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


def instance_iri(identifier: str) -> URIRef:
    """The IRI of an instance, percent-encoding anything but unreserved characters.

    >>> instance_iri("amazon-web-services")
    rdflib.term.URIRef('https://w3id.org/aikg/id/amazon-web-services')
    >>> instance_iri('a b<"c>')
    rdflib.term.URIRef('https://w3id.org/aikg/id/a%20b%3C%22c%3E')
    """
    return ID[quote(identifier, safe="-._~")]


def decimal_literal(value) -> Literal:
    """An ``xsd:decimal`` literal in canonical form: digits, a point, at least one digit after it.

    >>> decimal_literal(Decimal("1250000000")), decimal_literal(Decimal("3.50"))
    (rdflib.term.Literal('1250000000.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')), rdflib.term.Literal('3.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')))
    """
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0")
    text = text + "0" if text.endswith(".") else text if "." in text else text + ".0"
    return Literal(text, datatype=XSD.decimal)


def _date(value, precision: str) -> Literal:
    return Literal(format_partial_date(value, precision), datatype=_DATATYPES[precision])


def _text(value: str) -> Literal:
    return Literal(value, lang="en")


def build_rdf_graph(g: KnowledgeGraph) -> Graph:
    """The rdflib graph of every entity, deal, valuation and source."""
    vocabulary = load_vocabulary()
    kinds = {**vocabulary.entity_kinds, **vocabulary.deal_kinds}
    qualifiers, statuses = vocabulary.qualifiers, vocabulary.statuses
    rdf = Graph()
    for prefix, namespace in (("aikg", AIKG), ("id", ID), ("dcterms", DCTERMS), ("owl", OWL), ("rdfs", RDFS),
                              ("schema", SCHEMA), ("skos", SKOS), ("xsd", XSD), ("wd", WIKIDATA)):
        rdf.bind(prefix, namespace, override=True)
    add = rdf.add

    def amount(node: URIRef, value: Amount) -> None:
        add((node, AIKG.amount, decimal_literal(value.value)))
        add((node, AIKG.currency, Literal(value.currency)))
        add((node, AIKG.amountQualifier, URIRef(qualifiers[value.qualifier])))
        if value.usd is not None:
            add((node, AIKG.amountUSD, decimal_literal(value.usd)))

    def quantity(node: URIRef, value: Quantity | None, prop: URIRef, qualifier: URIRef, datatype: URIRef) -> None:
        if value is not None:
            literal = Literal(int(value.value), datatype=XSD.integer) if datatype == XSD.integer \
                else decimal_literal(value.value)
            add((node, prop, literal))
            add((node, qualifier, URIRef(qualifiers[value.qualifier])))

    def cite(node: URIRef, source_ids) -> None:
        for source in source_ids:
            add((node, AIKG.source, instance_iri(source)))

    for source in g.sources.values():
        node = instance_iri(source.id)
        add((node, RDF.type, AIKG.Source))
        add((node, DCTERMS.publisher, Literal(source.publisher)))
        add((node, DCTERMS.title, Literal(source.title)))
        if source.published_on is not None:
            add((node, DCTERMS.date, _date(source.published_on, source.published_precision)))
        if source.url:
            add((node, SCHEMA.url, URIRef(source.url)))

    for entity in g.entities():
        node = instance_iri(entity.id)
        add((node, RDF.type, AIKG.Product if entity.is_product else AIKG.Organization))
        for kind in entity.kinds:
            add((node, RDF.type, URIRef(kinds[kind])))
        add((node, RDFS.label, _text(entity.name)))
        for alias in entity.aliases:
            add((node, SKOS.altLabel, _text(alias)))
        if entity.description:
            add((node, SCHEMA.description, _text(entity.description)))
        if entity.parent:
            add((node, AIKG.parentOrganization, instance_iri(entity.parent)))
        if entity.maker:
            add((node, AIKG.maker, instance_iri(entity.maker)))
        if entity.wikidata:
            add((node, OWL.sameAs, WIKIDATA[entity.wikidata]))
        cite(node, entity.sources)

    for deal in g.deals():
        node = instance_iri(deal.id)
        add((node, RDF.type, AIKG.Deal))
        add((node, RDF.type, URIRef(kinds[deal.kind])))
        add((node, RDFS.label, _text(deal.title)))
        for role, parties in deal.parties.items():
            for party in parties:
                add((node, URIRef(vocabulary.roles[role].iri), instance_iri(party)))
        add((node, AIKG.announcedOn, _date(deal.announced_on, deal.announced_precision)))
        add((node, AIKG.status, URIRef(statuses[deal.status])))
        if deal.amount is not None:
            amount(node, deal.amount)
        quantity(node, deal.power, AIKG.powerGW, AIKG.powerQualifier, XSD.decimal)
        quantity(node, deal.chips, AIKG.chipCount, AIKG.chipCountQualifier, XSD.integer)
        quantity(node, deal.customers, AIKG.customerCount, AIKG.customerCountQualifier, XSD.integer)
        if deal.duration_years is not None:
            add((node, AIKG.durationYears, decimal_literal(deal.duration_years)))
        for product in deal.products:
            add((node, AIKG.involvesProduct, instance_iri(product)))
        if deal.part_of:
            add((node, AIKG.partOf, instance_iri(deal.part_of)))
        if deal.conditions:
            add((node, AIKG.conditions, _text(deal.conditions)))
        if deal.notes:
            add((node, AIKG.notes, _text(deal.notes)))
        cite(node, deal.sources)

    for valuation in g.dataset.valuations:
        node = instance_iri(valuation.id)
        add((node, RDF.type, AIKG.Valuation))
        add((node, AIKG.valuationOf, instance_iri(valuation.entity)))
        amount(node, valuation.amount)
        add((node, AIKG.valuedOn, _date(valuation.date, valuation.date_precision)))
        add((node, AIKG.status, URIRef(statuses[valuation.status])))
        if valuation.basis:
            add((node, AIKG.valuationBasis, URIRef(vocabulary.valuation_bases[valuation.basis])))
        if valuation.deal:
            add((node, AIKG.valuationInDeal, instance_iri(valuation.deal)))
        if valuation.notes:
            add((node, AIKG.notes, _text(valuation.notes)))
        cite(node, valuation.sources)
    return rdf


def generate_turtle(g: KnowledgeGraph) -> str:
    """The graph as Turtle, with prefixes bound and subjects in a stable order."""
    return build_rdf_graph(g).serialize(format="turtle")


def generate_ntriples(g: KnowledgeGraph) -> str:
    """The graph as N-Triples, one triple a line, lines sorted."""
    # Split on newlines only: str.splitlines would also split inside literals at U+2028 and friends.
    lines = build_rdf_graph(g).serialize(format="nt").split("\n")
    return "".join(line + "\n" for line in sorted(set(lines)) if line.strip())


def generate_jsonld(g: KnowledgeGraph) -> str:
    """The graph as JSON-LD (expanded form sorted by node id, with the prefixes as context)."""
    rdf = build_rdf_graph(g)
    context = {prefix: str(namespace) for prefix, namespace in rdf.namespaces()
               if prefix in ("aikg", "id", "dcterms", "owl", "rdfs", "schema", "skos", "xsd", "wd")}
    document = json.loads(rdf.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    document["@graph"] = sorted(nodes, key=lambda node: node.get("@id", ""))
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
