"""Headers every response gets: a Content-Security-Policy, no sniffing, no framing, and redirects without a host.

The pages load their scripts from the app itself (``/static``, ``/assets``)
and keep their data in ``<script type="application/json">``, so scripts may
come from the app only; styles may also be inline (``style`` attributes of
the legend, and vis-network styles its canvas). The API docs (``/docs``,
``/redoc``) start their viewer with an inline script, so there inline
scripts are allowed too, and ReDoc's web worker, which it starts from a
``blob:`` URL of its own script. Redirects (Starlette adds or drops a trailing
slash) name a path, never the host the request's ``Host`` header claims.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:")
DOCS = ("/docs", "/redoc")
FIXED = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}


def relative(location: str, host: str | None) -> str:
    """`location` without scheme and host when it points at `host` (the request's own), else as it is."""
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc != host:
        return location
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class SecurityHeaders:
    """ASGI middleware adding the headers of the module docs to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"].startswith(DOCS) else POLICY
        host = Headers(scope=scope).get("host")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                for name, value in FIXED.items():
                    headers.setdefault(name, value)
                if "location" in headers:
                    headers["location"] = relative(headers["location"], host)
            await send(message)

        await self.app(scope, receive, send_with_headers)
