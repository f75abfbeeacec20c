"""ReDoc at ``/redoc`` from the app itself (Swagger UI at ``/docs`` is fastapi-offline's, see `api.app`).

fastapi-offline ships ReDoc's script, but that script still shows Redocly's logo
from its CDN; the copy served here shows the app's icon instead, so the page
fetches nothing from another host.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse

from api.pages import FAVICON

REDOC_JS = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
SCRIPT_URL = "/assets/redoc/redoc.standalone.js"

router = APIRouter(include_in_schema=False)


@cache
def redoc_script() -> bytes:
    """ReDoc's script with the logo it fetches from a CDN replaced by the app's icon."""
    return REDOC_JS.read_bytes().replace(REDOC_LOGO.encode(), FAVICON.encode())


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """The OpenAPI docs drawn by ReDoc."""
    return get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=SCRIPT_URL,
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )


@router.get(SCRIPT_URL)
def script() -> Response:
    """ReDoc's script (see `redoc_script`)."""
    return Response(redoc_script(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})
