"""Namespaces, IRIs of the graph's nodes and named graphs, and typed literals.

Every node gets a deterministic IRI made from a stable id (no blank nodes), so
that the build can apply the difference between two versions of the graph.
Ids are percent-encoded where they hold characters unsafe in an IRI segment;
`id_of` gives back the id that the API uses in its URLs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote

import pyoxigraph as ox

KG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
GRAPH = "https://w3id.org/newskg/graph/"
CANONICAL_GRAPH = GRAPH + "canonical"
RECORDS_GRAPH = GRAPH + "records"
INDEX_GRAPH = GRAPH + "index"
INTERNAL_GRAPHS = (RECORDS_GRAPH, INDEX_GRAPH)
"""Graphs the build keeps for itself: the extraction cache and the incremental merge's index."""
ARTICLE_GRAPH = GRAPH + "article/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
WIKIDATA = "http://www.wikidata.org/entity/"

PREFIXES: dict[str, str] = {
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "schema": SCHEMA,
    "sem": SEM,
    "prov": PROV,
    "foaf": FOAF,
    "wd": WIKIDATA,
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
"""The PREFIX lines every query of the project starts with."""

DATE_TYPES: dict[int, str] = {10: XSD + "date", 7: XSD + "gYearMonth", 4: XSD + "gYear"}
_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_SAFE = re.compile(r"[A-Za-z0-9._~-]+")


class Terms:
    """Terms of one namespace as pyoxigraph nodes: ``Terms(KG).participant``."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(self._base + name)
        setattr(self, name, node)
        return node


K = Terms(KG)
"""Ontology terms (``K.Event``, ``K.participant``...)."""


def quote_segment(value: str) -> str:
    """`value` percent-encoded as one IRI path segment."""
    return value if _SAFE.fullmatch(value) else quote(value, safe="-._~")


@lru_cache(maxsize=1 << 16)
def entity_iri(entity_id: str) -> str:
    """IRI of a corpus entity."""
    return f"{ID}entity/{quote_segment(entity_id)}"


def fact_iri(kind: str, fact_id: str) -> str:
    """IRI of a fact: `kind` is ``event``, ``statement`` or ``role``."""
    return f"{ID}{kind}/{quote_segment(fact_id)}"


@lru_cache(maxsize=1 << 16)
def article_iri(article_id: str) -> str:
    """IRI of an article."""
    return f"{ID}article/{quote_segment(article_id)}"


def evidence_iri(article_id: str, start: int, end: int) -> str:
    """IRI of an evidence sentence: its article and character offsets."""
    return f"{ID}evidence/{quote_segment(article_id)}/{start}-{end}"


def article_graph(article_id: str) -> str:
    """IRI of the named graph holding what one article says."""
    return ARTICLE_GRAPH + quote_segment(article_id)


def id_of(iri: str) -> str:
    """The id in the last segment of a node's IRI (what API URLs use)."""
    return unquote(iri.rsplit("/", 1)[-1])


def local_name(iri: str) -> str:
    """The name of an ontology term: ``...ontology#Visit`` -> ``Visit``."""
    return iri.rsplit("#", 1)[-1]


def wikidata_iri(qid: str) -> str:
    """The Wikidata entity IRI of a QID."""
    return WIKIDATA + qid


def is_iso_date(value: str) -> bool:
    """Whether `value` is an ISO date of day, month or year precision."""
    return bool(_ISO.fullmatch(value))


@lru_cache(maxsize=1 << 14)
def date_literal(value: str) -> ox.Literal | None:
    """An ISO date typed by its precision (xsd:date, xsd:gYearMonth, xsd:gYear); None if not ISO."""
    if not is_iso_date(value):
        return None
    return ox.Literal(value, datatype=ox.NamedNode(DATE_TYPES[len(value)]))
