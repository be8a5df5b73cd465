"""Read any of our RDF exports (Turtle, N-Triples, JSON-LD) back into a graph equal to the one it was
written from: the reader of :mod:`kg.exporters.rdf`. Oxigraph's parser reads the file; the records are
rebuilt from the triples, subject by subject, through the IRIs of :mod:`kg.rdfterms`.

>>> import kg, pathlib, tempfile
>>> from kg.exporters import export
>>> g = kg.load()
>>> target = pathlib.Path(tempfile.mkdtemp()) / "aikg.nt"
>>> _ = export(g, target)
>>> read_rdf(target) == g
True
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg import rdfterms
from kg.errors import DataError, Problem
from kg.graph import KnowledgeGraph
from kg.model import Amount, Dataset, Deal, Entity, Quantity, Source, Valuation, parse_partial_date
from kg.progress import Progress
from kg.vocabulary import Literal, load_vocabulary

_PRECISIONS = {datatype: precision for precision, datatype in rdfterms.DATATYPES.items()}

_RDF_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD", ".json": "JSON_LD"}
_PLAIN_DATATYPES = {rdfterms.XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


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

    Shortcut edges, flows and the export's header are derived, so they are not read. Within a role, parties
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
    a, aikg = rdfterms.RDF_TYPE_IRI, rdfterms.AIKG
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
        return tuple(sorted(rdfterms.instance_id(value) for value in node.get(prop, ())))

    def date(iri: str, node: dict, prop: str):
        value = one(node, prop)
        if value is None:
            return None, "day"
        precision = _PRECISIONS.get(value.datatype or "")
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
        return None if value is None else rdfterms.instance_id(value)

    progress = progress or Progress("loading", stream=None)
    progress.stage("building records")
    sources, entities, deals, valuations = {}, [], [], []
    for iri in sorted(facts):
        node = facts[iri]
        types = set(node.get(a, ()))
        if aikg + "Source" in types:
            published_on, precision = date(iri, node, rdfterms.DCTERMS + "date")
            sources[rdfterms.instance_id(iri)] = Source(rdfterms.instance_id(iri), text(node, rdfterms.DCTERMS + "publisher"),
                                               text(node, rdfterms.DCTERMS + "title"), published_on, precision,
                                               text(node, rdfterms.SCHEMA + "url"))
        elif types & {aikg + "Organization", aikg + "Product"}:
            wikidata = one(node, rdfterms.OWL + "sameAs")
            parent_since, since_precision = date(iri, node, aikg + "parentSince")
            parent_until, until_precision = date(iri, node, aikg + "parentUntil")
            entities.append(Entity(
                id=rdfterms.instance_id(iri), name=text(node, rdfterms.RDFS + "label"),
                kinds=tuple(sorted(key_of[t] for t in types if t in key_of)),
                aliases=tuple(sorted(value.value for value in node.get(rdfterms.SKOS + "altLabel", ()))),
                parent=optional_id(node, aikg + "parentOrganization"), maker=optional_id(node, aikg + "maker"),
                description=text(node, rdfterms.SCHEMA + "description"),
                wikidata=None if wikidata is None else wikidata[len(rdfterms.WIKIDATA):],
                sources=ids(node, aikg + "source"), is_product=aikg + "Product" in types,
                parent_since=parent_since, parent_since_precision=since_precision,
                parent_until=parent_until, parent_until_precision=until_precision,
            ))
        elif aikg + "Deal" in types:
            kinds = [key_of[t] for t in types if t in key_of]
            announced_on, precision = date(iri, node, aikg + "announcedOn")
            status = one(node, aikg + "status")
            if len(kinds) != 1 or announced_on is None or status is None:
                fail(iri, "a deal needs exactly one kind, an announcement date and a status")
                continue
            parties = {role_of[prop]: tuple(sorted(rdfterms.instance_id(v) for v in values))
                       for prop, values in node.items() if prop in role_of}
            duration = one(node, aikg + "durationYears")
            deals.append(Deal(
                id=rdfterms.instance_id(iri), kind=kinds[0], title=text(node, rdfterms.RDFS + "label"),
                parties=dict(sorted(parties.items())), announced_on=announced_on, announced_precision=precision,
                status=key_of[status], sources=ids(node, aikg + "source"), amount=amount(node),
                power=quantity(node, "powerGW", "powerQualifier"),
                chips=quantity(node, "chipCount", "chipCountQualifier"),
                customers=quantity(node, "customerCount", "customerCountQualifier"),
                duration_years=None if duration is None else Decimal(duration.value),
                products=ids(node, aikg + "involvesProduct"), part_of=optional_id(node, aikg + "partOf"),
                conditions=text(node, aikg + "conditions"), notes=text(node, aikg + "notes"),
                supersedes=optional_id(node, aikg + "supersedes"), alternative_of=optional_id(node, aikg + "alternativeOf"),
            ))
        elif aikg + "Valuation" in types:
            valued_on, precision = date(iri, node, aikg + "valuedOn")
            basis = one(node, aikg + "valuationBasis")
            valuations.append(Valuation(
                id=rdfterms.instance_id(iri), entity=rdfterms.instance_id(one(node, aikg + "valuationOf")), amount=amount(node),
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
