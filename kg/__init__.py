"""A knowledge graph of the actors and events that news articles report.

The public Python API, shared by the `kg` command, the web app and the notebook.
"""

from kg.build import BuildReport, build
from kg.config import Settings, load_settings
from kg.errors import BadInput, BadQuery, Forbidden, KGError, NotFound, QueryTimeout, StoreUnavailable, TooLarge
from kg.model import Article, ArticleFacts, Corpus, Entity, Event, Evidence, Fact, Role, Statement
from kg.store import OxigraphStore, RemoteStore, Store, open_store

__all__ = [
    "Article",
    "ArticleFacts",
    "BadInput",
    "BadQuery",
    "BuildReport",
    "Corpus",
    "Entity",
    "Event",
    "Evidence",
    "Fact",
    "Forbidden",
    "KGError",
    "NotFound",
    "OxigraphStore",
    "QueryTimeout",
    "RemoteStore",
    "Role",
    "Settings",
    "Statement",
    "Store",
    "StoreUnavailable",
    "TooLarge",
    "build",
    "load_settings",
    "open_store",
]
