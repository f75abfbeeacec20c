"""Which serialisation a SPARQL client gets: the `format` parameter if it names one, else the Accept header.

SELECT and ASK results come as SPARQL JSON (the default), XML, CSV or TSV;
CONSTRUCT and DESCRIBE graphs as Turtle (the default), N-Triples, JSON-LD,
RDF/XML or N3. Both choices are made before the query runs, since the kind of
result is only known once it has. A `format` naming none of them gets 400.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import BadQuery

F = TypeVar("F", ox.QueryResultsFormat, ox.RdfFormat)

R = ox.QueryResultsFormat
G = ox.RdfFormat

RESULT_TYPES: dict[str, R] = {
    "application/sparql-results+json": R.JSON,
    "application/json": R.JSON,
    "application/sparql-results+xml": R.XML,
    "application/xml": R.XML,
    "text/csv": R.CSV,
    "text/tab-separated-values": R.TSV,
    "text/xml": R.XML,
}
"""Media types of SELECT/ASK results, the default first."""

GRAPH_TYPES: dict[str, G] = {
    "text/turtle": G.TURTLE,
    "application/x-turtle": G.TURTLE,
    "application/n-triples": G.N_TRIPLES,
    "application/ld+json": G.JSON_LD,
    "application/json": G.JSON_LD,
    "application/rdf+xml": G.RDF_XML,
    "application/xml": G.RDF_XML,
    "text/n3": G.N3,
}
"""Media types of CONSTRUCT/DESCRIBE graphs, the default first."""

RESULT_NAMES: dict[str, R] = {"json": R.JSON, "xml": R.XML, "csv": R.CSV, "tsv": R.TSV}
GRAPH_NAMES: dict[str, G] = {
    "turtle": G.TURTLE,
    "ttl": G.TURTLE,
    "nt": G.N_TRIPLES,
    "ntriples": G.N_TRIPLES,
    "n-triples": G.N_TRIPLES,
    "jsonld": G.JSON_LD,
    "json-ld": G.JSON_LD,
    "json": G.JSON_LD,
    "xml": G.RDF_XML,
    "rdf+xml": G.RDF_XML,
    "n3": G.N3,
}
"""Short names a `format` parameter may use (those SPARQLWrapper sends included)."""


@dataclass(frozen=True)
class Formats:
    """The serialisation chosen for each kind of result."""

    results: ox.QueryResultsFormat
    graph: ox.RdfFormat


def media_ranges(accept: str) -> list[str]:
    """Media ranges of an Accept header, highest q-value first (header order among equals); q=0 dropped."""
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((p.partition("=")[2] for p in params if p.replace(" ", "").startswith("q=")), "1")
        try:
            weight = float(q)
        except ValueError:
            weight = 0.0
        if media and weight > 0:
            ranked.append((-weight, position, media.lower()))
    return [media for *_, media in sorted(ranked)]


def negotiate(ranges: list[str], offered: dict[str, F]) -> F:
    """The first offered format a range matches (``type/*`` and ``*/*`` too); the default if none does."""
    default = next(iter(offered.values()))
    for media in ranges:
        if media in offered:
            return offered[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            match = next((f for m, f in offered.items() if m.startswith(media[:-1])), None)
            if match is not None:
                return match
    return default


def by_name(values: Iterable[str], names: dict[str, F], types: dict[str, F]) -> F | None:
    """The first of `values` naming a format by short name or media type, or None."""
    for value in values:
        key = value.strip().lower()
        found = names.get(key) or types.get(key)
        if found is not None:
            return found
    return None


def choose(accept: str | None, format_values: list[str]) -> Formats:
    """Formats for a request: `format` parameter values first, then the Accept header.

    Raises:
        BadQuery: A `format` value names no format.
    """
    known = {*RESULT_NAMES, *GRAPH_NAMES, *RESULT_TYPES, *GRAPH_TYPES}
    if unknown := [v for v in format_values if v.strip().lower() not in known]:
        names = ", ".join(sorted({*RESULT_NAMES, *GRAPH_NAMES}))
        raise BadQuery(f"unknown format {unknown[0]!r}: use one of {names}, or a media type")
    ranges = media_ranges(accept or "*/*")
    return Formats(
        results=by_name(format_values, RESULT_NAMES, RESULT_TYPES) or negotiate(ranges, RESULT_TYPES),
        graph=by_name(format_values, GRAPH_NAMES, GRAPH_TYPES) or negotiate(ranges, GRAPH_TYPES),
    )
