"""SPARQL over the graph: run a query, shipped or your own, and print its answer as a table, CSV or JSON.

The shipped queries live in ``queries/`` (one ``.rq`` file each, documented in README.md) and can be
named without their folder or extension: ``run_query(g, "anthropic-investors")``.

Examples
--------
>>> import kg
>>> result = run_query(kg.load(), "anthropic-investors")
>>> result.columns
['investor', 'known_usd', 'undisclosed']
>>> [(row[0], float(row[1].value)) for row in result.rows][0]
('https://w3id.org/aikg/id/amazon', 13000000000.0)
"""

from __future__ import annotations

import csv
import io
import json
import weakref
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kg.errors import QueryError
from kg.resources import QUERIES_DIR
from kg.vocabulary import Literal

_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "decimal", "integer", "double", "float", "int", "long", "nonNegativeInteger")}


def shipped_queries() -> dict[str, Path]:
    """The shipped queries by name, from ``queries/``."""
    return {path.stem: path for path in sorted(QUERIES_DIR.glob("*.rq"))}


def read_query(query_or_file: str) -> str:
    """The text of a query given as a shipped query's name, a file, or the query itself.

    Raises
    ------
    QueryError
        For a ``.rq`` file that does not exist.
    """
    shipped = shipped_queries()
    name = query_or_file[:-3] if query_or_file.endswith(".rq") else query_or_file
    if name in shipped:
        return shipped[name].read_text(encoding="utf-8")
    path = Path(query_or_file)
    if path.suffix in (".rq", ".sparql") or (len(query_or_file) < 300 and "\n" not in query_or_file and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"cannot read the query {query_or_file!r}: {error.strerror}; shipped queries: "
                             f"{', '.join(shipped)}") from None
    return query_or_file


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT query: its column names and its rows of plain terms (None where unbound).

    IRIs are ``str``, literals :class:`kg.vocabulary.Literal`, blank nodes ``"_:label"``.
    """

    columns: list[str]
    rows: list[tuple]

    def to_dicts(self) -> list[dict]:
        """Rows as dicts of plain values: IRIs and strings as text, numbers as Decimal."""
        return [{column: _plain(value) for column, value in zip(self.columns, row)} for row in self.rows]


def _plain(term):
    if isinstance(term, Literal):
        return Decimal(term.value) if term.datatype in _NUMERIC else term.value
    return term


ENGINES = ("oxigraph", "rdflib")


def _prefixes() -> str:
    from kg.rdfterms import PREFIXES

    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


_STORES: dict[int, object] = {}


def _store(graph):
    """An in-memory Oxigraph store holding the graph, loaded once per graph object."""
    import pyoxigraph

    from kg.exporters.rdf import generate_ntriples

    key = id(graph)
    if key not in _STORES:
        store = pyoxigraph.Store()
        store.bulk_load(generate_ntriples(graph).encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES,
                        to_graph=pyoxigraph.DefaultGraph())
        _STORES[key] = store
        weakref.finalize(graph, _STORES.pop, key, None)
    return _STORES[key]


def _run_oxigraph(graph, text: str) -> QueryResult:
    import pyoxigraph

    store = _store(graph)
    try:
        solutions = store.query(_prefixes() + text)
    except SyntaxError as error:
        raise QueryError(f"the query does not run: {error}") from None
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT queries print as tables; this is a CONSTRUCT, DESCRIBE or ASK query")
    columns = [variable.value for variable in solutions.variables]

    def term(value):
        if value is None:
            return None
        if isinstance(value, pyoxigraph.Literal):
            datatype = value.datatype.value
            plain = datatype in ("http://www.w3.org/2001/XMLSchema#string",
                                 "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
            return Literal(value.value, value.language, None if plain else datatype)
        return value.value if isinstance(value, pyoxigraph.NamedNode) else f"_:{value.value}"

    return QueryResult(columns, [tuple(term(solution[column]) for column in columns) for solution in solutions])


def _run_rdflib(graph, text: str) -> QueryResult:
    from rdflib import BNode, Graph
    from rdflib import Literal as RDFLiteral

    from kg.exporters.rdf import PREFIXES, build_rdf_graph

    rdf = graph if isinstance(graph, Graph) else build_rdf_graph(graph)
    try:
        result = rdf.query(text, initNs=PREFIXES)
    except Exception as error:  # rdflib's parser raises pyparsing's exceptions, among others
        raise QueryError(f"the query does not run: {error}") from None
    if result.type != "SELECT":
        raise QueryError(f"only SELECT queries print as tables; this is a {result.type} query")

    def term(value):
        if value is None:
            return None
        if isinstance(value, RDFLiteral):
            return Literal(str(value), value.language, None if value.datatype is None else str(value.datatype))
        return f"_:{value}" if isinstance(value, BNode) else str(value)

    return QueryResult([str(v) for v in result.vars], [tuple(term(value) for value in row) for row in result])


def run_query(graph, query_or_file: str, engine: str = "oxigraph") -> QueryResult:
    """Run a SELECT query over a :class:`~kg.graph.KnowledgeGraph`.

    ``engine="oxigraph"`` (the default) loads the graph into an embedded Oxigraph store (once per
    graph; later queries reuse it), which answers aggregates over millions of triples in a fraction of
    a second; ``engine="rdflib"`` queries rdflib's
    graph instead, for a second opinion. The graph's prefixes (``aikg:``, ``id:``, ...) are declared.

    Raises
    ------
    QueryError
        When the query does not parse or is not a SELECT query.
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    text = read_query(query_or_file)
    return (_run_oxigraph if engine == "oxigraph" else _run_rdflib)(graph, text)


def _compact(term) -> str:
    from kg.rdfterms import PREFIXES

    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.value
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace) and prefix != "rdf":
            return f"{prefix}:{term[len(namespace):]}"
    return term


def format_table(result: QueryResult) -> str:
    """An aligned text table, IRIs shortened with the graph's prefixes (``id:amazon``)."""
    from kg.render import format_table as table

    rows = [{column: _plain(value) if isinstance(_plain(value), Decimal) else _compact(value) or None
             for column, value in zip(result.columns, row)} for row in result.rows]
    return table(rows, result.columns)


def format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: a header of column names, then full IRIs and lexical forms."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows([["" if value is None else value.value if isinstance(value, Literal) else value
                       for value in row] for row in result.rows])
    return buffer.getvalue()


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""

    def binding(term) -> dict:
        if isinstance(term, Literal):
            value = {"type": "literal", "value": term.value}
            if term.language:
                value["xml:lang"] = term.language
            elif term.datatype:
                value["datatype"] = term.datatype
            return value
        if term.startswith("_:"):
            return {"type": "bnode", "value": term[2:]}
        return {"type": "uri", "value": term}

    bindings = [{column: binding(value) for column, value in zip(result.columns, row) if value is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {"table": format_table, "csv": format_csv, "json": format_json}
