"""Errors users can act on, each with the HTTP status the API answers with."""

from __future__ import annotations


class KGError(Exception):
    """Base class; `status` is the HTTP status code the API maps it to."""

    status = 500


class BadInput(KGError):
    """An article or file that cannot be read as an article."""

    status = 422


class BadQuery(KGError):
    """A SPARQL query or update that does not parse, or a bad request parameter."""

    status = 400


class Forbidden(KGError):
    """An operation the server does not allow (updates without the right token)."""

    status = 403


class NotFound(KGError):
    """An unknown id or resource."""

    status = 404


class TooLarge(KGError):
    """A request or result larger than the configured limit."""

    status = 413


class QueryTimeout(KGError):
    """A query that ran longer than the configured timeout."""

    status = 503


class StoreUnavailable(KGError):
    """The store cannot be opened (locked by another process, or unreachable)."""

    status = 503


class QueryAborted(KGError):
    """A query stopped because it needed more memory than allowed, or crashed the query engine."""

    status = 503


class ServerBusy(KGError):
    """Every query worker is busy and the queue of waiting queries is full; `retry_after` seconds is a fair wait."""

    status = 503
    retry_after = 1
