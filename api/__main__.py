"""``python -m api``: serve the store named by the ``KG_*`` environment settings."""

from api.app import serve
from kg.config import load_settings

serve(load_settings())
