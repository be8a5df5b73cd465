"""The IRIs of the RDF exports: namespaces, prefixes, date datatypes by precision, and how an instance's
IRI is minted from its id and read back. Shared by the RDF writers (:mod:`kg.exporters`) and the RDF
reader (:mod:`kg.loaders.rdf`).

>>> instance_id(instance_iri("amazon-web-services"))
'amazon-web-services'
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from kg.vocabulary import AIKG, RDF_TYPE

ID = "https://w3id.org/aikg/id/"
ONTOLOGY_IRI = "https://w3id.org/aikg/ontology"
DATASET_IRI = "https://w3id.org/aikg/data"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
WIKIDATA = "http://www.wikidata.org/entity/"
PREFIXES = {
    "aikg": AIKG, "id": ID, "dcterms": DCTERMS, "owl": OWL, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": RDFS, "schema": SCHEMA, "skos": SKOS, "xsd": XSD, "wd": WIKIDATA,
}
RDF_TYPE_IRI = RDF_TYPE
DATATYPES = {"day": XSD + "date", "month": XSD + "gYearMonth", "year": XSD + "gYear"}


def instance_iri(identifier: str) -> str:
    """The IRI of an instance, percent-encoding anything but unreserved characters.

    >>> instance_iri("amazon-web-services")
    'https://w3id.org/aikg/id/amazon-web-services'
    >>> instance_iri('a b<"c>')
    'https://w3id.org/aikg/id/a%20b%3C%22c%3E'
    """
    return ID + quote(identifier, safe="-._~")


def instance_id(iri: str) -> str:
    """The id an instance IRI was minted from: the inverse of :func:`instance_iri`.

    Raises
    ------
    ValueError
        For an IRI outside the instance namespace.
    """
    text = str(iri)
    if not text.startswith(ID):
        raise ValueError(f"{text} is not an instance IRI of this graph")
    return unquote(text[len(ID):])
