"""Property-based tests of every operation in the app's OpenAPI schema: no 5xx, statuses and bodies as documented."""

from __future__ import annotations

import corpus_fixture
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from api.app import create_app
from kg.config import Settings

pytestmark = pytest.mark.slow

APP = create_app(corpus_fixture.store(), Settings(query_timeout=5.0, result_cap=200))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def sparql_text(ctx: object, value: object) -> bytes:
    """A SPARQL body is the query or update text, as UTF-8."""
    return str(value).encode()


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
