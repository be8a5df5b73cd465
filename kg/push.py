"""Load the export into a SPARQL server through the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT`` replaces the named graph whole, so the server either has the new graph or, when anything
fails, keeps the one it had. Works with Oxigraph (``http://host:7878/store``), Apache Jena Fuseki
(``http://host:3030/DATASET/data``), GraphDB (``http://host:7200/repositories/REPO/rdf-graphs/service``)
and Amazon Neptune (``https://host:8182/sparql/gsp/``).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from kg.errors import PushError

DEFAULT_GRAPH_IRI = "https://w3id.org/aikg/data"


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
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint!r} is not an http(s) URL of a Graph Store endpoint, "
                        "such as http://localhost:7878/store")
    separator = "&" if parts.query else "?"
    url = f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph_iri})}"
    request = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip()[:500]
        raise PushError(f"{endpoint} refused the graph: HTTP {error.code} {error.reason}"
                        f"{': ' + body if body else ''}") from None
    except urllib.error.URLError as error:
        raise PushError(f"cannot reach {endpoint}: {error.reason}; is the server running?") from None
    except TimeoutError:
        raise PushError(f"{endpoint} did not answer within {timeout:g} s") from None
