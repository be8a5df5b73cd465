"""The ontology is the single source of truth: the code reads it, and reads it right."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from kg.resources import ONTOLOGY_DIR
from kg.errors import OntologyError
from kg.vocabulary import AIKG, BlankNode, Literal, load_vocabulary, read_turtle


def _as_rdflib(triples) -> rdflib.Graph:
    graph = rdflib.Graph()
    blanks: dict[str, rdflib.BNode] = {}

    def term(value):
        if isinstance(value, BlankNode):
            return blanks.setdefault(value.label, rdflib.BNode())
        if isinstance(value, Literal):
            return rdflib.Literal(value.value, lang=value.language,
                                  datatype=None if value.datatype is None else rdflib.URIRef(value.datatype))
        return rdflib.URIRef(value)

    for triple in triples:
        graph.add(tuple(term(part) for part in triple))
    return graph


@pytest.mark.parametrize("name", ["aikg.ttl", "shapes.ttl"])
def test_reader_yields_exactly_the_triples_rdflib_reads(name):
    path = ONTOLOGY_DIR / name
    ours = _as_rdflib(read_turtle(path.read_text(encoding="utf-8"), str(path)))
    theirs = rdflib.Graph().parse(path, format="turtle")
    assert len(ours) == len(theirs)
    assert isomorphic(ours, theirs)


def test_reader_unescapes_strings_and_reads_numbers():
    triples = read_turtle(r'''
        @prefix ex: <http://example.org/> .
        ex:a ex:text "quote \" backslash \\ newline \n unicode \u00e9" ;
             ex:long """two
        lines""" ; ex:n 42, 1.5, true .
    ''')
    objects = [o for _, _, o in triples]
    assert objects[0].value == 'quote " backslash \\ newline \n unicode \u00e9'
    assert objects[1].value == "two\n        lines"
    assert [o.datatype.rsplit("#", 1)[1] for o in objects[2:]] == ["integer", "decimal", "boolean"]


def test_reader_names_the_line_of_an_error():
    with pytest.raises(OntologyError, match=r"<string>, line 3: undeclared prefix 'ex'"):
        read_turtle("@prefix a: <http://a/> .\n\nex:x a:y a:z .")


def test_every_data_key_comes_from_the_ontology():
    vocabulary = load_vocabulary()
    assert set(vocabulary.organization_kinds) == {
        "company", "ai-lab", "investor", "cloud-provider", "chip-designer", "foundry", "government", "fund"}
    assert set(vocabulary.product_kinds) == {"cloud-platform", "chip", "ai-model"}
    assert set(vocabulary.roles) == {
        "investor", "investee", "provider", "customer", "partner", "acquirer", "acquiree", "licensor", "licensee",
        "funder", "recipient", "buyer", "seller", "issuer", "holder"}
    assert {role.key for role in vocabulary.roles.values() if role.flow == "out"} == {
        "investor", "customer", "acquirer", "licensee", "funder", "buyer"}
    assert set(vocabulary.statuses) == {"announced", "completed", "reported", "contingent", "terminated"}
    assert set(vocabulary.qualifiers) == {"exact", "approximately", "up-to", "at-least", "more-than"}
    assert set(vocabulary.valuation_bases) == {"pre-money", "post-money", "offer"}


def test_every_term_has_a_label_and_a_comment():
    graph = rdflib.Graph().parse(ONTOLOGY_DIR / "aikg.ttl")
    terms = {s for s in graph.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(AIKG)}
    assert len(terms) > 60
    unlabelled = [t for t in terms if (t, rdflib.RDFS.label, None) not in graph]
    uncommented = [t for t in terms if (t, rdflib.RDFS.comment, None) not in graph]
    assert unlabelled == [] and uncommented == []


def test_shapes_allow_exactly_the_values_the_ontology_defines():
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    vocabulary = load_vocabulary()
    allowed = [set(map(str, rdflib.collection.Collection(shapes, node))) for node in shapes.objects(None, SH["in"])]
    expected = {
        frozenset(vocabulary.statuses.values()),
        frozenset(vocabulary.qualifiers.values()),
        frozenset(vocabulary.valuation_bases.values()),
        frozenset(vocabulary.deal_kinds.values()),
        frozenset(vocabulary.flow_types.values()),
    }
    assert {frozenset(values) for values in allowed} == expected
    alternatives = [set(map(str, rdflib.collection.Collection(shapes, node)))
                    for node in shapes.objects(None, SH.alternativePath)]
    assert alternatives == [{role.iri for role in vocabulary.roles.values()}]


def test_the_flow_table_is_read_from_the_ontology_and_the_code_agrees_with_it():
    from kg.analysis.ties import TIE_WEIGHTS
    from kg.flows import FLOW_TYPES

    vocabulary = load_vocabulary()
    assert set(FLOW_TYPES) == set(vocabulary.flow_types)
    assert set(TIE_WEIGHTS) == set(vocabulary.deal_kinds)
    investment = vocabulary.flow_rules["investment"]
    assert [(r.from_role, r.to_role, r.flow_type, r.carries_amount) for r in investment] == [
        ("investor", "investee", "money", True), ("investee", "investor", "equity", False)]
    assert vocabulary.flow_rules["funding-round"] == investment  # a sub-kind without rules of its own inherits
    assert [(r.from_role, r.flow_type) for r in vocabulary.flow_rules["warrant"]] == [("issuer", "equity")]
    assert vocabulary.flow_rules["partnership"] == ()
    every_role = {role for rules in vocabulary.flow_rules.values() for r in rules for role in (r.from_role, r.to_role)}
    assert every_role == set(vocabulary.roles) - {"partner"}  # partners exchange nothing the table can name
    assert vocabulary.capacity_layers == {"compute-commitment": "hosting", "capacity-backstop": "hosting",
                                          "supply": "chips"}


def test_the_command_line_offers_exactly_the_ontology_s_flow_types():
    import click

    from kg.cli import main

    vocabulary = load_vocabulary()
    for name in ("loops", "hubs", "circularity", "significance", "value-flows"):
        [option] = [p for p in main.commands[name].params if p.name in ("types", "kind")]
        assert isinstance(option.type, click.Choice) and set(option.type.choices) == set(vocabulary.flow_types)
