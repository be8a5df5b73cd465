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

import functools
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import DCTERMS

from kg.errors import DataError, Problem
from kg.exporters import triples as mapping
from kg.graph import KnowledgeGraph
from kg.model import Amount, Dataset, Deal, Entity, Quantity, Source, Valuation, parse_partial_date
from kg.progress import Progress
from kg.resources import ONTOLOGY_DIR
from kg.vocabulary import AIKG as AIKG_IRI
from kg.vocabulary import Literal, load_vocabulary

AIKG = Namespace(AIKG_IRI)
ID = Namespace(mapping.ID)
SCHEMA = Namespace(mapping.SCHEMA)
WIKIDATA = Namespace(mapping.WIKIDATA)
PREFIXES = {prefix: Namespace(namespace) for prefix, namespace in mapping.PREFIXES.items()}
_PRECISIONS = {URIRef(datatype): precision for precision, datatype in mapping._DATATYPES.items()}


def instance_iri(identifier: str) -> URIRef:
    """The IRI of an instance, as an rdflib term; see :func:`kg.exporters.triples.instance_iri`.

    >>> instance_iri('a b<"c>')
    rdflib.term.URIRef('https://w3id.org/aikg/id/a%20b%3C%22c%3E')
    """
    return URIRef(mapping.instance_iri(identifier))


def instance_id(iri) -> str:
    """The id an instance IRI was minted from: the inverse of :func:`instance_iri`."""
    text = str(iri)
    if not text.startswith(mapping.ID):
        raise ValueError(f"{text} is not an instance IRI of this graph")
    return unquote(text[len(mapping.ID):])


# -------------------------------------------------------------------------------------------------
# Writing: N-Triples and Turtle are streamed straight from the triples; rdflib builds the graph for
# JSON-LD and for SPARQL.


def _rdflib_term(term):
    if isinstance(term, Literal):
        return RDFLiteral(term.value, lang=term.language,
                          datatype=None if term.datatype is None else URIRef(term.datatype))
    return URIRef(term)


def build_rdf_graph(g: KnowledgeGraph) -> Graph:
    """The rdflib graph of every entity, deal, valuation and source, with the shortcut edges."""
    rdf = Graph()
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace, override=True)
    add = rdf.add
    for subject, predicate, obj in mapping.triples(g):
        add((URIRef(subject), URIRef(predicate), _rdflib_term(obj)))
    return rdf


# Characters an IRI reference may not hold raw in N-Triples or Turtle; our IRIs never do, but an
# IRI that did is written with them percent-encoded rather than broken.
_IRI_UNSAFE = {ord(c): f"%{ord(c):02X}" for c in ' <>"{}|^`\\'} | {i: f"%{i:02X}" for i in range(0x21)}
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_iri(iri: str) -> str:
    return f"<{iri.translate(_IRI_UNSAFE)}>"


def _nt_term(term) -> str:
    if isinstance(term, Literal):
        text = f'"{term.value.translate(_STRING_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    return _nt_iri(term)


def write_ntriples(g: KnowledgeGraph, stream) -> int:
    """Stream the graph as N-Triples, one triple a line, in the mapping's fixed order; returns the count."""
    count = 0
    iris: dict[str, str] = {}
    write = stream.write
    for subject, group in mapping.subjects(g):
        head = iris.get(subject) or iris.setdefault(subject, _nt_iri(subject))
        for _, predicate, obj in group:
            p = iris.get(predicate) or iris.setdefault(predicate, _nt_iri(predicate))
            o = _nt_term(obj) if isinstance(obj, Literal) else (iris.get(obj) or _nt_iri(obj))
            write(f"{head} {p} {o} .\n")
        count += len(group)
    return count


_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _turtle_namer():
    """A function giving an IRI's shortest Turtle form: ``a``, a prefixed name, or ``<IRI>``."""
    namespaces = sorted(((ns, prefix) for prefix, ns in mapping.PREFIXES.items()), key=lambda item: -len(item[0]))

    @functools.lru_cache(maxsize=65536)
    def name(iri: str) -> str:
        for namespace, prefix in namespaces:
            if iri.startswith(namespace) and _PN_LOCAL.fullmatch(iri[len(namespace):]):
                return f"{prefix}:{iri[len(namespace):]}"
        return _nt_iri(iri)

    return name


def write_turtle(g: KnowledgeGraph, stream) -> int:
    """Stream the graph as Turtle: prefixes bound, one block a subject, objects of a predicate joined.

    Returns the number of triples written.
    """
    name = _turtle_namer()
    write = stream.write
    for prefix, namespace in mapping.PREFIXES.items():
        write(f"@prefix {prefix}: <{namespace}> .\n")
    count = 0
    for subject, group in mapping.subjects(g):
        write("\n" + name(subject))
        previous = None
        for index, (_, predicate, obj) in enumerate(group):
            if isinstance(obj, Literal):
                text = f'"{obj.value.translate(_STRING_ESCAPES)}"'
                text += f"@{obj.language}" if obj.language else f"^^{name(obj.datatype)}" if obj.datatype else ""
            else:
                text = name(obj)
            if predicate == previous:
                write(f" ,\n        {text}")
            else:
                verb = "a" if predicate == mapping.RDF_TYPE_IRI else name(predicate)
                write(f"{' ;' if index else ''}\n    {verb} {text}")
            previous = predicate
        write(" .\n")
        count += len(group)
    return count


def _as_text(writer, g: KnowledgeGraph) -> str:
    buffer = io.StringIO()
    writer(g, buffer)
    return buffer.getvalue()


def generate_turtle(g: KnowledgeGraph) -> str:
    """The graph as Turtle; see :func:`write_turtle`."""
    return _as_text(write_turtle, g)


def generate_ntriples(g: KnowledgeGraph) -> str:
    """The graph as N-Triples; see :func:`write_ntriples`."""
    return _as_text(write_ntriples, g)


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
    context: dict = {prefix: namespace for prefix, namespace in sorted(mapping.PREFIXES.items())}
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
# Reading: any of our exports back into a graph. Oxigraph's parser reads the file; the records are
# rebuilt from the triples, subject by subject.

_RDF_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD", ".json": "JSON_LD"}
_PLAIN_DATATYPES = {str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _parse(path: Path, rdf_format: str, progress: Progress):
    """The file's triples as plain terms: IRIs as ``str``, literals as :class:`kg.vocabulary.Literal`."""
    import pyoxigraph

    progress.stage(f"reading {path.name}")
    quads = pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, rdf_format))
    for count, quad in enumerate(quads, 1):
        if not count % 10_000:
            progress.advance(10_000)
        obj = quad.object
        if isinstance(obj, pyoxigraph.Literal):
            datatype = obj.datatype.value
            obj = Literal(obj.value, obj.language, None if datatype in _PLAIN_DATATYPES else datatype)
        else:
            obj = obj.value if isinstance(obj, pyoxigraph.NamedNode) else f"_:{obj.value}"
        subject = quad.subject
        yield (subject.value if isinstance(subject, pyoxigraph.NamedNode) else f"_:{subject.value}",
               quad.predicate.value, obj)


def graph_from_triples(triples, progress: Progress | None = None) -> KnowledgeGraph:
    """Rebuild a :class:`KnowledgeGraph` from the triples of one of our exports (plain terms).

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
    a, aikg = mapping.RDF_TYPE_IRI, mapping.AIKG
    facts: dict[str, dict[str, list]] = {}
    for subject, predicate, obj in triples:
        facts.setdefault(subject, {}).setdefault(predicate, []).append(obj)
    problems: list[Problem] = []

    def fail(node: str, message: str) -> None:
        problems.append(Problem("RDF", None, node, message))

    def one(node: dict, prop: str):
        values = node.get(prop)
        return values[0] if values else None

    def text(node: dict, prop: str) -> str | None:
        value = one(node, prop)
        return None if value is None else value.value if isinstance(value, Literal) else value

    def ids(node: dict, prop: str) -> tuple[str, ...]:
        return tuple(sorted(instance_id(value) for value in node.get(prop, ())))

    def date(iri: str, node: dict, prop: str):
        value = one(node, prop)
        if value is None:
            return None, "day"
        precision = _PRECISIONS.get(URIRef(value.datatype or ""))
        if precision is None:
            fail(iri, f"{prop} has datatype {value.datatype}, not xsd:date, xsd:gYearMonth or xsd:gYear")
            return None, "day"
        return parse_partial_date(value.value)[0], precision

    def qualifier(node: dict, prop: str) -> str:
        value = one(node, prop)
        return "exact" if value is None else key_of[value]

    def amount(node: dict) -> Amount | None:
        value = one(node, aikg + "amount")
        if value is None:
            return None
        usd = one(node, aikg + "amountUSD")
        return Amount(Decimal(value.value), text(node, aikg + "currency"), qualifier(node, aikg + "amountQualifier"),
                      None if usd is None else Decimal(usd.value))

    def quantity(node: dict, prop: str, qualifier_prop: str) -> Quantity | None:
        value = one(node, aikg + prop)
        return None if value is None else Quantity(Decimal(value.value), qualifier(node, aikg + qualifier_prop))

    def optional_id(node: dict, prop: str) -> str | None:
        value = one(node, prop)
        return None if value is None else instance_id(value)

    progress = progress or Progress("loading", stream=None)
    progress.stage("building records")
    sources, entities, deals, valuations = {}, [], [], []
    for iri in sorted(facts):
        node = facts[iri]
        types = set(node.get(a, ()))
        if aikg + "Source" in types:
            published_on, precision = date(iri, node, str(DCTERMS.date))
            sources[instance_id(iri)] = Source(instance_id(iri), text(node, str(DCTERMS.publisher)),
                                               text(node, str(DCTERMS.title)), published_on, precision,
                                               text(node, mapping.SCHEMA + "url"))
        elif types & {aikg + "Organization", aikg + "Product"}:
            wikidata = one(node, mapping.OWL + "sameAs")
            entities.append(Entity(
                id=instance_id(iri), name=text(node, mapping.RDFS + "label"),
                kinds=tuple(sorted(key_of[t] for t in types if t in key_of)),
                aliases=tuple(sorted(value.value for value in node.get(mapping.SKOS + "altLabel", ()))),
                parent=optional_id(node, aikg + "parentOrganization"), maker=optional_id(node, aikg + "maker"),
                description=text(node, mapping.SCHEMA + "description"),
                wikidata=None if wikidata is None else wikidata[len(mapping.WIKIDATA):],
                sources=ids(node, aikg + "source"), is_product=aikg + "Product" in types,
            ))
        elif aikg + "Deal" in types:
            kinds = [key_of[t] for t in types if t in key_of]
            announced_on, precision = date(iri, node, aikg + "announcedOn")
            status = one(node, aikg + "status")
            if len(kinds) != 1 or announced_on is None or status is None:
                fail(iri, "a deal needs exactly one kind, an announcement date and a status")
                continue
            parties = {role_of[prop]: tuple(sorted(instance_id(v) for v in values))
                       for prop, values in node.items() if prop in role_of}
            duration = one(node, aikg + "durationYears")
            deals.append(Deal(
                id=instance_id(iri), kind=kinds[0], title=text(node, mapping.RDFS + "label"),
                parties=dict(sorted(parties.items())), announced_on=announced_on, announced_precision=precision,
                status=key_of[status], sources=ids(node, aikg + "source"), amount=amount(node),
                power=quantity(node, "powerGW", "powerQualifier"),
                chips=quantity(node, "chipCount", "chipCountQualifier"),
                customers=quantity(node, "customerCount", "customerCountQualifier"),
                duration_years=None if duration is None else Decimal(duration.value),
                products=ids(node, aikg + "involvesProduct"), part_of=optional_id(node, aikg + "partOf"),
                conditions=text(node, aikg + "conditions"), notes=text(node, aikg + "notes"),
            ))
        elif aikg + "Valuation" in types:
            valued_on, precision = date(iri, node, aikg + "valuedOn")
            basis = one(node, aikg + "valuationBasis")
            valuations.append(Valuation(
                id=instance_id(iri), entity=instance_id(one(node, aikg + "valuationOf")), amount=amount(node),
                basis=None if basis is None else key_of[basis], date=valued_on, date_precision=precision,
                status=key_of[one(node, aikg + "status")], sources=ids(node, aikg + "source"),
                deal=optional_id(node, aikg + "valuationInDeal"), notes=text(node, aikg + "notes"),
            ))
    if problems:
        raise DataError(problems)
    deals.sort(key=lambda d: (d.announced_on, d.id))
    progress.stage("building the graph")
    return KnowledgeGraph(Dataset(tuple(entities), tuple(deals), tuple(valuations), sources))


def read_rdf(path: str | Path, rdf_format: str | None = None, progress: Progress | None = None) -> KnowledgeGraph:
    """Read one of our exports (Turtle, N-Triples or JSON-LD) back into a :class:`KnowledgeGraph`.

    The format comes from the file's extension unless ``rdf_format`` (``"ttl"``, ``"nt"`` or ``"jsonld"``)
    is given. Oxigraph's parser reads the file, so a million triples take seconds; ``progress`` is told
    of each step.

    Raises
    ------
    DataError
        When the file cannot be read or parsed, or lacks what our exports state.
    """
    path = Path(path)
    extension = f".{rdf_format}" if rdf_format else path.suffix.lower()
    if extension not in _RDF_FORMATS:
        raise DataError([Problem(str(path), None, None, "cannot tell the RDF format from the extension",
                                 f"use one of: {', '.join(_RDF_FORMATS)}")])
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "no such file")])
    try:
        progress = progress or Progress("loading", stream=None)
        return graph_from_triples(_parse(path, _RDF_FORMATS[extension], progress), progress)
    except SyntaxError as error:  # from the parser, as it streams
        raise DataError([Problem(str(path), getattr(error, "lineno", None), None,
                                 f"cannot parse as {_RDF_FORMATS[extension].lower().replace('_', '-')}: {error}")]) from None
