"""Load the export into a SPARQL server through the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT`` replaces the named graph whole, so the server either has the new graph or, when anything
fails, keeps the one it had. Works with Oxigraph (``http://host:7878/store``), Apache Jena Fuseki
(``http://host:3030/DATASET/data``), GraphDB (``http://host:7200/repositories/REPO/rdf-graphs/service``)
and Amazon Neptune (``https://host:8182/sparql/gsp/``).
"""

from __future__ import annotations

import http.client
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

from kg.errors import PushError

DEFAULT_GRAPH_IRI = "https://w3id.org/aikg/data"
ERROR_BODY_BYTES = 2000
"""How much of an error response is read, to quote it; the rest is never read."""


def request_url(endpoint: str, graph_iri: str) -> str:
    """The Graph Store request URL: the endpoint with ``graph=<IRI>`` added to its query.

    >>> request_url("http://localhost:7878/store", "https://example.org/g")
    'http://localhost:7878/store?graph=https%3A%2F%2Fexample.org%2Fg'
    >>> request_url("http://host/data?x=1", "urn:g")
    'http://host/data?x=1&graph=urn%3Ag'

    Raises
    ------
    PushError
        For a URL that is malformed, not http(s), or has a fragment (``#...``), which a request cannot carry.
    """
    hint = "give the Graph Store endpoint's URL, such as http://localhost:7878/store"
    if re.search(r"[\x00-\x20\x7f]", endpoint):
        raise PushError(f"{endpoint!r} is not a URL: it holds a space or a control character; {hint}")
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port  # noqa: B018 - reading the port is what checks it
    except ValueError as error:
        raise PushError(f"{endpoint!r} is not a URL ({error}); {hint}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"{endpoint!r} is not an http(s) URL; {hint}")
    if parts.fragment or endpoint.endswith("#"):
        raise PushError(f"{endpoint!r} has a fragment ('#...'), which is never sent to the server: the graph "
                        f"parameter would be lost; {hint}")
    if not graph_iri or re.search(r"[\x00-\x20<>\"{}|^`\\\x7f]", graph_iri) or ":" not in graph_iri:
        raise PushError(f"{graph_iri!r} is not an IRI for the named graph, such as https://example.org/graph")
    graph = urllib.parse.urlencode({"graph": graph_iri})
    return urllib.parse.urlunsplit(parts._replace(query=f"{parts.query}&{graph}" if parts.query else graph))


def push(ntriples: str, endpoint: str, graph_iri: str = DEFAULT_GRAPH_IRI, timeout: float = 120) -> int:
    """Replace the named graph ``graph_iri`` at a Graph Store endpoint with the given N-Triples.

    Returns
    -------
    int
        The HTTP status the server answered (200, 201 or 204).

    Raises
    ------
    PushError
        When the endpoint cannot be reached or answers with an error; its graph is then unchanged.
    """
    url = request_url(endpoint, graph_iri)
    request = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    outcome: dict = {}

    def send() -> None:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                outcome["status"] = response.status  # the body of a success is never read
        except urllib.error.HTTPError as error:
            body = error.read(ERROR_BODY_BYTES).decode("utf-8", "replace").strip()[:500]
            outcome["error"] = f"{endpoint} refused the graph: HTTP {error.code} {error.reason}" \
                               f"{': ' + body if body else ''}"
        except urllib.error.URLError as error:
            outcome["error"] = f"cannot reach {endpoint}: {error.reason}; is the server running?"
        except (TimeoutError, OSError, http.client.HTTPException, ValueError) as error:
            outcome["error"] = f"{endpoint} broke off the exchange: {type(error).__name__} {error}".rstrip()

    # The whole exchange has one deadline: a server that trickles its answer cannot hold it longer.
    worker = threading.Thread(target=send, daemon=True, name="aikg-push")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise PushError(f"{endpoint} did not answer within {timeout:g} s; the server may not have the new graph")
    if "error" in outcome:
        raise PushError(outcome["error"])
    return outcome["status"]
