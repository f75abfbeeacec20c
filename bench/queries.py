"""Ten analyst questions as SPARQL over the canonical graph, for the SPARQL benchmark.

`QUERIES` maps a short name to a query template; ``$actor`` is the IRI of an
actor (the benchmark takes the most active one), ``$since``/``$until`` a
date range.
"""

from __future__ import annotations

from string import Template

from kg.store import Store
from kg.vocab import SPARQL_PREFIXES

QUERIES: dict[str, str] = {
    "who met whom most": """
SELECT ?a ?b (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a kg:Event ; kg:status "happened" ; kg:participant ?a, ?b .
  VALUES ?t { kg:Meeting kg:Visit kg:PhoneCall kg:VideoCall } ?e a ?t .
  FILTER(STR(?a) < STR(?b))
} GROUP BY ?a ?b ORDER BY DESC(?n) LIMIT 20""",
    "actor timeline": """
SELECT ?e ?type ?date ?status ?place WHERE {
  ?e kg:participant <$actor> ; a ?type ; kg:status ?status .
  FILTER(?type != kg:Event)
  OPTIONAL { ?e kg:startDate ?date } OPTIONAL { ?e kg:place ?place }
} ORDER BY ?date""",
    "statements about actor in range": """
SELECT ?s ?speaker ?quote ?date WHERE {
  ?s a kg:Statement ; kg:about <$actor> ; kg:speaker ?speaker ; kg:quote ?quote ; kg:date ?date .
  FILTER(?date >= "$since"^^xsd:date && ?date <= "$until"^^xsd:date)
} ORDER BY ?date""",
    "disputed facts": """
SELECT ?f ?attribute (COUNT(?alt) AS ?values) ?confidence WHERE {
  ?f kg:disputed true ; kg:confidence ?confidence ; kg:dispute ?d .
  ?d kg:attribute ?attribute ; kg:alternative ?alt .
} GROUP BY ?f ?attribute ?confidence ORDER BY DESC(?confidence) LIMIT 100""",
    "two-hop contacts": """
SELECT DISTINCT ?far WHERE {
  ?e1 kg:participant <$actor>, ?near . ?e2 kg:participant ?near, ?far .
  FILTER(?near != <$actor> && ?far != <$actor> && ?far != ?near)
} LIMIT 500""",
    "counts by event type": """
SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a kg:Event, ?type . FILTER(?type != kg:Event) }
GROUP BY ?type ORDER BY DESC(?n)""",
    "most quoted speakers": """
SELECT ?speaker ?name (COUNT(?s) AS ?n) WHERE { ?s kg:speaker ?speaker . ?speaker rdfs:label ?name }
GROUP BY ?speaker ?name ORDER BY DESC(?n) LIMIT 20""",
    "roles held of states": """
SELECT ?person ?name ?title ?state WHERE {
  ?r a kg:Role ; kg:person ?person ; kg:title ?title ; kg:of ?state . ?state a kg:State .
  ?person rdfs:label ?name
} LIMIT 200""",
    "events in a month with places": """
SELECT ?e ?type ?date ?placeName WHERE {
  ?e a kg:Event, ?type ; kg:startDate ?date ; kg:place ?place . ?place rdfs:label ?placeName .
  FILTER(?type != kg:Event && ?date >= "$since"^^xsd:date && ?date < "$month_end"^^xsd:date)
} ORDER BY ?date""",
    "evidence for actor's events": """
SELECT ?e ?sentence ?file WHERE {
  ?e kg:participant <$actor> ; kg:evidence ?ev . ?ev kg:sentence ?sentence ; kg:article ?a . ?a kg:fileName ?file .
} LIMIT 200""",
}

MOST_ACTIVE = "SELECT ?p (COUNT(?e) AS ?n) WHERE { ?e kg:participant ?p } GROUP BY ?p ORDER BY DESC(?n) LIMIT 1"
WINDOW = {"since": "2020-01-01", "until": "2020-12-31", "month_end": "2020-02-01"}


def most_active_actor(store: Store) -> str:
    """IRI of the actor taking part in the most events."""
    return next(iter(store.query(SPARQL_PREFIXES + MOST_ACTIVE)))["p"].value


def analyst_queries(actor: str) -> dict[str, str]:
    """The ten queries, with their prefixes, about `actor`."""
    return {name: SPARQL_PREFIXES + Template(q).substitute(actor=actor, **WINDOW) for name, q in QUERIES.items()}
