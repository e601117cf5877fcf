"""The desk's request checks, in front of every route.

* **Host and Origin** (DNS rebinding, other sites' pages): on loopback, the MCP plugin's
  (:func:`~laureate_writer.plugin.command.loopback_refusal`): a foreign Host gets 421, a
  foreign Origin 403. Beyond loopback the Host cannot be known in
  advance (a machine name, an address), so the access token stands in for it and an
  Origin must be the page's own.
* **Access token** (beyond loopback only): the URL the desk prints carries ``?jeton=…``;
  the first visit turns it into an HttpOnly, SameSite=Strict cookie.
* **Cross-site requests**: every state-changing request is a POST with a JSON body and the
  page's token in the ``X-LW-Jeton`` header — a form on another site can send neither.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from laureate_writer.plugin.command import LOOPBACK, loopback_refusal

TOKEN_COOKIE = "lw_desk_jeton"
TOKEN_QUERY = "jeton"
CSRF_HEADER = "x-lw-jeton"
MAX_BODY_BYTES = 2_000_000  # a dossier or a section is a few kilobytes


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class DeskGuard:
    """ASGI middleware: Host/Origin checks, the access token, and the page token on POST."""

    def __init__(
        self, app: ASGIApp, *, host: str, csrf: str, access_token: str | None = None
    ) -> None:
        self.app = app
        self.loopback = host in LOOPBACK
        self.csrf = csrf
        self.access_token = access_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refused = await self.refusal(request)
        if refused is not None:
            await refused(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def refusal(self, request: Request) -> Response | None:
        if self.loopback:
            refused = loopback_refusal(request.headers.get("host"), request.headers.get("origin"))
            if refused is not None:
                return PlainTextResponse(refused[1], status_code=refused[0])
        else:
            origin = request.headers.get("origin")
            host = request.headers.get("host", "")
            if origin and origin not in (f"http://{host}", f"https://{host}"):
                return PlainTextResponse("Origine refusée", status_code=403)
        if self.access_token is not None:
            given = request.query_params.get(TOKEN_QUERY)
            if same(given, self.access_token) and request.method == "GET":
                # Keep the token out of the address bar and the history from now on.
                clean = URL(str(request.url)).remove_query_params(TOKEN_QUERY)
                response = RedirectResponse(str(clean.replace(scheme="", netloc="")) or "/", 303)
                response.set_cookie(
                    TOKEN_COOKIE, self.access_token, httponly=True, samesite="strict"
                )
                return response
            if not same(request.cookies.get(TOKEN_COOKIE), self.access_token):
                return PlainTextResponse(
                    "Accès refusé : ouvrez l’adresse complète affichée au lancement du bureau "
                    "(avec ?jeton=…).",
                    status_code=401,
                )
        if request.method not in ("GET", "HEAD"):
            if request.method != "POST":
                return PlainTextResponse("Méthode refusée", status_code=405)
            content_type = request.headers.get("content-type", "")
            if not content_type.lower().startswith("application/json"):
                return PlainTextResponse("Requête refusée : corps JSON attendu", status_code=415)
            if not same(request.headers.get(CSRF_HEADER), self.csrf):
                return PlainTextResponse(
                    "Requête refusée : jeton de la page absent ou périmé ; rechargez la page.",
                    status_code=403,
                )
            length = request.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
                return PlainTextResponse("Requête trop volumineuse", status_code=413)
        return None
