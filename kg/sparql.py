"""SPARQL over the graph: run a query, shipped or your own, and print its answer as a table, CSV or JSON.

The shipped queries live in ``queries/`` (one ``.rq`` file each, documented in README.md) and can be
named without their folder or extension: ``run_query(g, "anthropic-investors")``.

A query reads the graph and nothing else: a federated query (``SERVICE``) is refused unless asked for
(``allow_service=True``), rdflib never fetches the graphs a ``FROM`` names, every query stops after
``timeout`` seconds, and ``limit`` stops reading rows after that many.

Examples
--------
>>> import kg
>>> result = run_query(kg.load(), "anthropic-investors")
>>> result.columns
['investor', 'known_usd', 'undisclosed']
>>> [(row[0], float(row[1].value)) for row in result.rows][0]
('https://w3id.org/aikg/id/google', 13300000000.0)
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
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


DEFAULT_TIMEOUT = 60.0
"""Seconds a query may run before it is stopped."""

_NOT_CODE = re.compile(r'''"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*''')


def uses_service(text: str) -> bool:
    """Whether a query calls another endpoint (``SERVICE``), outside its strings, IRIs and comments.

    >>> uses_service('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    False
    """
    return re.search(r"\bSERVICE\b", _NOT_CODE.sub(" ", text), re.IGNORECASE) is not None


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT query: its column names and its rows of plain terms (None where unbound).

    IRIs are ``str``, literals :class:`kg.vocabulary.Literal`, blank nodes ``"_:label"``.
    ``truncated`` is true when a limit stopped the rows before the end.
    """

    columns: list[str]
    rows: list[tuple]
    truncated: bool = False

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


def _rows(solutions, limit: int | None, convert) -> tuple[list[tuple], bool]:
    rows = []
    for solution in solutions:
        if limit is not None and len(rows) == limit:
            return rows, True
        rows.append(convert(solution))
    return rows, False


def _run_oxigraph(graph, text: str, limit: int | None) -> QueryResult:
    import pyoxigraph

    store = _store(graph)
    prefixes = _prefixes()
    try:
        solutions = store.query(prefixes + text)
    except SyntaxError as error:
        raise QueryError(f"the query does not run: {_shift_lines(str(error), prefixes.count(chr(10)))}") from None
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

    try:
        rows, truncated = _rows(solutions, limit, lambda solution: tuple(term(solution[column]) for column in columns))
    except (OSError, RuntimeError) as error:  # a federated query's endpoint failing, among others
        raise QueryError(f"the query failed: {error}") from None
    finally:
        del solutions
    return QueryResult(columns, rows, truncated)


def _shift_lines(message: str, added: int) -> str:
    """An Oxigraph syntax error's line numbers as the user's query counts them, without the prefixes."""
    return re.sub(r"(?<=at )(\d+)(?=:\d)", lambda m: str(max(1, int(m.group(0)) - added)), message)


def _run_rdflib(graph, text: str, limit: int | None) -> QueryResult:
    import rdflib.plugins.sparql
    from rdflib import BNode, Graph
    from rdflib import Literal as RDFLiteral

    from kg.exporters.rdf import PREFIXES, build_rdf_graph

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM names a graph here; it never fetches one
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

    rows, truncated = _rows(result, limit, lambda row: tuple(term(value) for value in row))
    return QueryResult([str(v) for v in result.vars], rows, truncated)


def _within(seconds: float, call):
    """``call()``, or a :class:`QueryError` once ``seconds`` have passed (the query is left to finish in
    a daemon thread, which never keeps the process alive)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed back to the caller's thread, without this thread's frames,
            error.__context__ = error.__cause__ = None  # which hold Oxigraph objects that must die here
            outcome["error"] = error.with_traceback(None)

    worker = threading.Thread(target=run, daemon=True, name="aikg-sparql")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryError(f"the query did not finish within {seconds:g} s; simplify it, or allow more time "
                         "with --timeout")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def run_query(graph, query_or_file: str, engine: str = "oxigraph", *, allow_service: bool = False,
              timeout: float | None = DEFAULT_TIMEOUT, limit: int | None = None) -> QueryResult:
    """Run a SELECT query over a :class:`~kg.graph.KnowledgeGraph`.

    ``engine="oxigraph"`` (the default) loads the graph into an embedded Oxigraph store (once per
    graph; later queries reuse it), which answers aggregates over millions of triples in a fraction of
    a second; ``engine="rdflib"`` queries rdflib's
    graph instead, for a second opinion. The graph's prefixes (``aikg:``, ``id:``, ...) are declared.

    A federated query (``SERVICE``) runs only with ``allow_service=True``; ``timeout`` (seconds, None for
    none) stops a query that runs too long; ``limit`` keeps the first rows (``truncated`` says so).

    Raises
    ------
    QueryError
        When the query does not parse, is not a SELECT query, calls another endpoint without
        ``allow_service``, or runs out of time.
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    text = read_query(query_or_file)
    if not allow_service and uses_service(text):
        raise QueryError("the query calls another endpoint (SERVICE); federated queries are off: "
                         "allow them with --allow-service (allow_service=True)")
    run = _run_oxigraph if engine == "oxigraph" else _run_rdflib
    if engine == "oxigraph":
        _store(graph)  # loading the graph is not the query's time
    return run(graph, text, limit) if timeout is None else _within(timeout, lambda: run(graph, text, limit))


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
