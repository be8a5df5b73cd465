"""RDF: Turtle, N-Triples and JSON-LD exports, and the reader that turns any of them back into a graph.

Instances are minted in ``https://w3id.org/aikg/id/`` from their ids, percent-encoding anything that is
not an unreserved IRI character; ontology terms live in ``https://w3id.org/aikg/ontology#``. Amounts are
``xsd:decimal`` with their currency and qualifier; dates are ``xsd:date``, ``xsd:gYearMonth`` or
``xsd:gYear`` by their precision; labels carry the language tag ``en``; sources are described with
Dublin Core terms and ``schema:url``. Besides the deal nodes, each export states shortcut edges between
the parties of every deal that is not terminated (``aikg:investsIn``, ``aikg:buysFrom``, ...).

The export's own header names the ontology with ``owl:imports``; ``aikg build`` writes the ontology
beside it as ``ontology.ttl`` and the JSON-LD context as ``context.jsonld``. Output is deterministic:
building twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, unquote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import DataError, Problem
from kg.graph import KnowledgeGraph
from kg.model import Amount, Dataset, Deal, Entity, Quantity, Source, Valuation, format_partial_date, parse_partial_date
from kg.resources import ONTOLOGY_DIR
from kg.vocabulary import AIKG as AIKG_IRI
from kg.vocabulary import load_vocabulary

AIKG = Namespace(AIKG_IRI)
ID = Namespace("https://w3id.org/aikg/id/")
SCHEMA = Namespace("https://schema.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ONTOLOGY_IRI = URIRef("https://w3id.org/aikg/ontology")
DATASET_IRI = URIRef("https://w3id.org/aikg/data")
PREFIXES = {
    "aikg": AIKG, "id": ID, "dcterms": DCTERMS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "schema": SCHEMA,
    "skos": SKOS, "xsd": XSD, "wd": WIKIDATA,
}
_DATATYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
_PRECISIONS = {datatype: precision for precision, datatype in _DATATYPES.items()}


def instance_iri(identifier: str) -> URIRef:
    """The IRI of an instance, percent-encoding anything but unreserved characters.

    >>> instance_iri("amazon-web-services")
    rdflib.term.URIRef('https://w3id.org/aikg/id/amazon-web-services')
    >>> instance_iri('a b<"c>')
    rdflib.term.URIRef('https://w3id.org/aikg/id/a%20b%3C%22c%3E')
    """
    return ID[quote(identifier, safe="-._~")]


def instance_id(iri) -> str:
    """The id an instance IRI was minted from: the inverse of :func:`instance_iri`."""
    text = str(iri)
    if not text.startswith(str(ID)):
        raise ValueError(f"{text} is not an instance IRI of this graph")
    return unquote(text[len(str(ID)):])


def decimal_literal(value) -> Literal:
    """An ``xsd:decimal`` literal in canonical form: digits, a point, at least one digit after it.

    >>> print(decimal_literal(Decimal("1250000000")), decimal_literal(Decimal("3.50")))
    1250000000.0 3.5
    """
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0")
    text = text + "0" if text.endswith(".") else text if "." in text else text + ".0"
    return Literal(text, datatype=XSD.decimal)


def _date(value: dt.date, precision: str) -> Literal:
    return Literal(format_partial_date(value, precision), datatype=_DATATYPES[precision])


def _text(value: str) -> Literal:
    return Literal(value, lang="en")


# -------------------------------------------------------------------------------------------------
# Writing


def build_rdf_graph(g: KnowledgeGraph) -> Graph:
    """The rdflib graph of every entity, deal, valuation and source, with the shortcut edges."""
    vocabulary = load_vocabulary()
    kinds = {**vocabulary.entity_kinds, **vocabulary.deal_kinds}
    qualifiers, statuses = vocabulary.qualifiers, vocabulary.statuses
    rdf = Graph()
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace, override=True)
    add = rdf.add

    add((DATASET_IRI, RDF.type, OWL.Ontology))
    add((DATASET_IRI, RDFS.label, _text("AI Industry Knowledge Graph data")))
    add((DATASET_IRI, OWL.imports, ONTOLOGY_IRI))

    def amount(node: URIRef, value: Amount) -> None:
        add((node, AIKG.amount, decimal_literal(value.value)))
        add((node, AIKG.currency, Literal(value.currency)))
        add((node, AIKG.amountQualifier, URIRef(qualifiers[value.qualifier])))
        if value.usd is not None:
            add((node, AIKG.amountUSD, decimal_literal(value.usd)))

    def quantity(node: URIRef, value: Quantity | None, prop: URIRef, qualifier: URIRef, datatype: URIRef) -> None:
        if value is not None:
            literal = Literal(str(int(value.value)), datatype=XSD.integer) if datatype == XSD.integer \
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
        if deal.status != "terminated":
            for shortcut in vocabulary.shortcuts:
                for start in deal.parties.get(shortcut.from_role, ()):
                    for end in deal.parties.get(shortcut.to_role, ()):
                        if start != end:
                            add((instance_iri(start), URIRef(shortcut.iri), instance_iri(end)))

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


@functools.cache
def jsonld_context() -> dict:
    """The JSON-LD context: the prefixes, and a term for every property of the ontology.

    Object properties take ``@type: @id``; datatype properties with a range take it as their type.

    >>> jsonld_context()["investor"]
    {'@id': 'aikg:investor', '@type': '@id'}
    >>> jsonld_context()["amount"]
    {'@id': 'aikg:amount', '@type': 'xsd:decimal'}
    """
    ontology = Graph().parse(ONTOLOGY_DIR / "aikg.ttl", format="turtle")
    context: dict = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    for kind, compact_type in ((OWL.ObjectProperty, "@id"), (OWL.DatatypeProperty, None)):
        for prop in sorted(ontology.subjects(RDF.type, kind)):
            if not str(prop).startswith(str(AIKG)):
                continue
            term = {"@id": "aikg:" + str(prop)[len(str(AIKG)):]}
            value_type = compact_type or ontology.value(prop, RDFS.range)
            if value_type is not None and value_type != XSD.string:
                term["@type"] = value_type if value_type == "@id" else "xsd:" + str(value_type)[len(str(XSD)):]
            context[str(prop)[len(str(AIKG)):]] = term
    return context


def generate_context(g: KnowledgeGraph | None = None) -> str:
    """The JSON-LD context as a document of its own, as published beside the JSON-LD export."""
    return json.dumps({"@context": jsonld_context()}, indent=2, sort_keys=True) + "\n"


def generate_jsonld(g: KnowledgeGraph) -> str:
    """The graph as JSON-LD, compacted with :func:`jsonld_context` (inlined, so the file stands alone)."""
    context = jsonld_context()
    document = json.loads(build_rdf_graph(g).serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    document["@graph"] = sorted(nodes, key=lambda node: node.get("@id", ""))
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate_ontology(g: KnowledgeGraph | None = None) -> str:
    """The ontology, as the export's ``owl:imports`` names it: ``ontology/aikg.ttl`` unchanged."""
    return (ONTOLOGY_DIR / "aikg.ttl").read_text(encoding="utf-8")


# -------------------------------------------------------------------------------------------------
# Reading


_RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}


def parse_rdf_graph(rdf: Graph) -> KnowledgeGraph:
    """Rebuild a :class:`KnowledgeGraph` from the triples of one of our exports.

    Shortcut edges and the export's header are derived, so they are not read. Within a role, parties
    come back sorted by id, and so do kinds, aliases, products and sources: RDF keeps no order.

    Raises
    ------
    DataError
        When a node lacks what every export states (a deal without kind, a date of unknown type, ...).
    """
    vocabulary = load_vocabulary()
    key_of = {iri: key for key, iri in {**vocabulary.entity_kinds, **vocabulary.deal_kinds, **vocabulary.statuses,
                                        **vocabulary.qualifiers, **vocabulary.valuation_bases}.items()}
    role_of = {role.iri: role.key for role in vocabulary.roles.values()}
    problems: list[Problem] = []

    def fail(node, message: str) -> None:
        problems.append(Problem("RDF", None, str(node), message))

    def one(node, prop):
        return rdf.value(node, prop)

    def ids(node, prop) -> tuple[str, ...]:
        return tuple(sorted(instance_id(o) for o in rdf.objects(node, prop)))

    def texts(node, prop) -> tuple[str, ...]:
        return tuple(sorted(str(o) for o in rdf.objects(node, prop)))

    def optional_text(node, prop) -> str | None:
        value = one(node, prop)
        return None if value is None else str(value)

    def date(node, prop) -> tuple[dt.date | None, str]:
        value = one(node, prop)
        if value is None:
            return None, "day"
        precision = _PRECISIONS.get(value.datatype)
        if precision is None:
            fail(node, f"{prop} has datatype {value.datatype}, not xsd:date, xsd:gYearMonth or xsd:gYear")
            return None, "day"
        return parse_partial_date(str(value))[0], precision

    def qualifier(node, prop) -> str:
        value = one(node, prop)
        return "exact" if value is None else key_of[str(value)]

    def amount(node) -> Amount | None:
        value = one(node, AIKG.amount)
        if value is None:
            return None
        usd = one(node, AIKG.amountUSD)
        return Amount(Decimal(str(value)), str(one(node, AIKG.currency)), qualifier(node, AIKG.amountQualifier),
                      None if usd is None else Decimal(str(usd)))

    def quantity(node, prop, qualifier_prop) -> Quantity | None:
        value = one(node, prop)
        return None if value is None else Quantity(Decimal(str(value)), qualifier(node, qualifier_prop))

    sources = {}
    for node in sorted(rdf.subjects(RDF.type, AIKG.Source)):
        published_on, precision = date(node, DCTERMS.date)
        sources[instance_id(node)] = Source(instance_id(node), str(one(node, DCTERMS.publisher)),
                                            str(one(node, DCTERMS.title)), published_on, precision,
                                            optional_text(node, SCHEMA.url))
    entities = []
    for node in sorted(set(rdf.subjects(RDF.type, AIKG.Organization)) | set(rdf.subjects(RDF.type, AIKG.Product))):
        is_product = (node, RDF.type, AIKG.Product) in rdf
        wikidata = one(node, OWL.sameAs)
        parent, maker = one(node, AIKG.parentOrganization), one(node, AIKG.maker)
        entities.append(Entity(
            id=instance_id(node), name=str(one(node, RDFS.label)),
            kinds=tuple(sorted(key_of[str(t)] for t in rdf.objects(node, RDF.type) if str(t) in key_of)),
            aliases=texts(node, SKOS.altLabel), parent=None if parent is None else instance_id(parent),
            maker=None if maker is None else instance_id(maker), description=optional_text(node, SCHEMA.description),
            wikidata=None if wikidata is None else str(wikidata)[len(str(WIKIDATA)):],
            sources=ids(node, AIKG.source), is_product=is_product,
        ))
    deals = []
    for node in sorted(rdf.subjects(RDF.type, AIKG.Deal)):
        kinds = [key_of[str(t)] for t in rdf.objects(node, RDF.type) if str(t) in key_of]
        if len(kinds) != 1:
            fail(node, f"a deal needs exactly one kind, found {len(kinds)}")
            continue
        parties: dict[str, list[str]] = {}
        for prop, party in rdf.predicate_objects(node):
            if str(prop) in role_of:
                parties.setdefault(role_of[str(prop)], []).append(instance_id(party))
        announced_on, precision = date(node, AIKG.announcedOn)
        status = one(node, AIKG.status)
        part_of = one(node, AIKG.partOf)
        duration = one(node, AIKG.durationYears)
        if announced_on is None or status is None:
            fail(node, "a deal needs an announcement date and a status")
            continue
        deals.append(Deal(
            id=instance_id(node), kind=kinds[0], title=str(one(node, RDFS.label)),
            parties={role: tuple(sorted(members)) for role, members in sorted(parties.items())},
            announced_on=announced_on, announced_precision=precision, status=key_of[str(status)],
            sources=ids(node, AIKG.source), amount=amount(node),
            power=quantity(node, AIKG.powerGW, AIKG.powerQualifier),
            chips=quantity(node, AIKG.chipCount, AIKG.chipCountQualifier),
            customers=quantity(node, AIKG.customerCount, AIKG.customerCountQualifier),
            duration_years=None if duration is None else Decimal(str(duration)),
            products=ids(node, AIKG.involvesProduct), part_of=None if part_of is None else instance_id(part_of),
            conditions=optional_text(node, AIKG.conditions), notes=optional_text(node, AIKG.notes),
        ))
    valuations = []
    for node in sorted(rdf.subjects(RDF.type, AIKG.Valuation)):
        valued_on, precision = date(node, AIKG.valuedOn)
        basis, deal = one(node, AIKG.valuationBasis), one(node, AIKG.valuationInDeal)
        valuations.append(Valuation(
            id=instance_id(node), entity=instance_id(one(node, AIKG.valuationOf)), amount=amount(node),
            basis=None if basis is None else key_of[str(basis)], date=valued_on, date_precision=precision,
            status=key_of[str(one(node, AIKG.status))], sources=ids(node, AIKG.source),
            deal=None if deal is None else instance_id(deal), notes=optional_text(node, AIKG.notes),
        ))
    if problems:
        raise DataError(problems)
    return KnowledgeGraph(Dataset(tuple(entities), tuple(deals), tuple(valuations), sources))


def read_rdf(path: str | Path, rdf_format: str | None = None) -> KnowledgeGraph:
    """Read one of our exports (Turtle, N-Triples or JSON-LD) back into a :class:`KnowledgeGraph`.

    The format comes from the file's extension unless ``rdf_format`` (an rdflib format name) is given.

    Raises
    ------
    DataError
        When the file cannot be read or parsed, or lacks what our exports state.

    """
    path = Path(path)
    rdf_format = rdf_format or _RDF_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise DataError([Problem(str(path), None, None, "cannot tell the RDF format from the extension",
                                 f"use one of: {', '.join(_RDF_FORMATS)}")])
    try:
        rdf = Graph().parse(path, format=rdf_format)
    except FileNotFoundError:
        raise DataError([Problem(str(path), None, None, "no such file")]) from None
    except Exception as error:  # rdflib raises many types for malformed input
        raise DataError([Problem(str(path), getattr(error, "lines", None), None, f"cannot parse as {rdf_format}: {error}")]) from None
    return parse_rdf_graph(rdf)
