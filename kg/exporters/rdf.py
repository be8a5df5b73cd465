"""RDF: Turtle, N-Triples and JSON-LD exports; :mod:`kg.loaders.rdf` reads any of them back into a graph.

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
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral

from kg.exporters import triples as mapping
from kg import rdfterms
from kg.resources import ONTOLOGY_DIR
from kg.vocabulary import AIKG as AIKG_IRI
from kg.vocabulary import Literal

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

AIKG = Namespace(AIKG_IRI)
ID = Namespace(rdfterms.ID)
PREFIXES = {prefix: Namespace(namespace) for prefix, namespace in rdfterms.PREFIXES.items()}


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
    namespaces = sorted(((ns, prefix) for prefix, ns in rdfterms.PREFIXES.items()), key=lambda item: -len(item[0]))

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
    for prefix, namespace in rdfterms.PREFIXES.items():
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
                verb = "a" if predicate == rdfterms.RDF_TYPE_IRI else name(predicate)
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
    context: dict = {prefix: namespace for prefix, namespace in sorted(rdfterms.PREFIXES.items())}
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
