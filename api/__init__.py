"""The web app: a SPARQL 1.1 Protocol endpoint, JSON for programs, and (later) graph pages."""

from api.app import create_app, serve

__all__ = ["create_app", "serve"]
