"""JSON for programs: actors, events, statements, disputes and timelines, read with `kg.queries`.

Ids in URLs are those of the JSON (`id` fields); unknown ids get 404 and bad
parameters 400, both as ``{"error": ..., "detail": ...}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import StoreDep
from kg import queries

router = APIRouter(
    responses={
        400: {"description": "A bad parameter, such as a date that is not ISO (`detail` says which)."},
        404: {"description": "An unknown id."},
    }
)

Json = dict[str, Any]
Limit = Annotated[int, Query(ge=0, le=1000, description="Most items returned.")]
Offset = Annotated[int, Query(ge=0, description="Items skipped.")]
Since = Annotated[str | None, Query(description="Earliest ISO date (YYYY, YYYY-MM or YYYY-MM-DD).")]
Until = Annotated[str | None, Query(description="Latest ISO date.")]
EntityId = Annotated[str, Path(description="An entity id (the `id` of /entities items).")]


@router.get("/health", tags=["service"])
def health(store: StoreDep) -> Json:
    """Whether the store answers, and how many quads it holds."""
    return {"status": "ok", "triples": store.count()}


@router.get("/entities", tags=["graph"])
def entities(
    store: StoreDep,
    type: Annotated[str | None, Query(description="Person, Organization, State, City...")] = None,
    q: Annotated[str | None, Query(description="Words of the name or an alias (any case).")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[Json]:
    """Actors sorted by name."""
    return queries.list_entities(store, type=type, q=q, limit=limit, offset=offset)


@router.get("/entities/{entity_id:path}", tags=["graph"])
def entity(store: StoreDep, entity_id: EntityId) -> Json:
    """One actor with its aliases, articles, events, statements and roles."""
    return queries.get_entity(store, entity_id)


@router.get("/events", tags=["graph"])
def events(
    store: StoreDep,
    type: Annotated[str | None, Query(description="Visit, Meeting, VideoCall...")] = None,
    since: Since = None,
    until: Until = None,
    entity: Annotated[
        str | None, Query(description="Id of a participant (or the gazetteer id of a known actor).")
    ] = None,
    status: Annotated[str | None, Query(description="happened, planned, speculative...")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[Json]:
    """Events sorted by date, with participants and evidence."""
    return queries.list_events(
        store, type=type, since=since, until=until, entity=entity, status=status, limit=limit, offset=offset
    )


@router.get("/events/{event_id:path}", tags=["graph"])
def event(store: StoreDep, event_id: Annotated[str, Path(description="An event id.")]) -> Json:
    """One event with its participants, sources, evidence and disputes."""
    return queries.get_event(store, event_id)


@router.get("/statements", tags=["graph"])
def statements(
    store: StoreDep,
    speaker: Annotated[str | None, Query(description="Id of the speaker.")] = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(description="Words of the quote (any case).")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[Json]:
    """Statements sorted by date, with evidence."""
    return queries.list_statements(store, speaker=speaker, since=since, until=until, q=q, limit=limit, offset=offset)


@router.get("/disputes", tags=["graph"])
def disputes(store: StoreDep) -> list[Json]:
    """Every fact attribute the sources disagree on, each value with the articles reporting it."""
    return queries.disputed_facts(store)


@router.get("/timeline", tags=["graph"])
def timeline(store: StoreDep, entity: Annotated[str, Query(description="An entity id.")]) -> list[Json]:
    """The dated events and statements of an actor, sorted by date."""
    return queries.timeline(store, entity)
