"""The desk's ASGI application (Starlette): four pages, a JSON API, server-sent events.

Pages are server-rendered shells (jinja2) that carry the page token and their initial
data; ``desk.js`` (vanilla, no external asset) does the rest through ``/api``. Long work
— a palmarès page, a model rewriting a section — runs as a *job* whose progress the page
follows over server-sent events (``GET /api/jobs/{id}``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from laureate_writer import operations as ops
from laureate_writer.desk.jobs import Jobs
from laureate_writer.desk.security import MAX_BODY_BYTES, DeskGuard, new_secret
from laureate_writer.desk.service import Desk, DeskError

HERE = Path(__file__).parent


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
    )


def create_app(
    ctx: ops.Context, *, host: str = "127.0.0.1", access_token: str | None = None
) -> Any:
    """The desk for ``ctx``'s workspace, behind its request checks."""
    desk = Desk(ctx)
    csrf = new_secret()
    jobs = Jobs()

    def page(template: str, title: str, **data: Any) -> HTMLResponse:
        html = (
            _env()
            .get_template(template)
            .render(
                title=title,
                csrf=csrf,
                data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
            )
        )
        return HTMLResponse(
            html,
            headers={
                "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                "frame-src 'self' blob:; style-src 'self'; script-src 'self'; "
                "frame-ancestors 'none'; form-action 'self'",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def call(work: Callable[[], Any]) -> Response:
        try:
            return JSONResponse(await run_in_threadpool(work))
        except DeskError as exc:
            return JSONResponse({"error": str(exc), **exc.extra}, status_code=exc.status)

    async def body(request: Request) -> dict[str, Any]:
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_BODY_BYTES:
                raise DeskError("requête trop volumineuse", 413)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # a body of 100 000 "[" nests too deeply
            raise DeskError("corps JSON illisible") from None
        if not isinstance(data, dict):
            raise DeskError("corps JSON attendu : un objet")
        return data

    def api(
        handler: Callable[[dict[str, Any]], Any], *, threaded: bool = True
    ) -> Callable[[Request], Awaitable[Response]]:
        """A JSON POST endpoint; ``handler`` runs in a worker thread unless it is a
        coroutine function (``threaded=False``) that starts a job."""

        async def endpoint(request: Request) -> Response:
            try:
                data = await body(request)
                if not threaded:
                    return JSONResponse(await handler(data))
            except DeskError as exc:
                return JSONResponse({"error": str(exc), **exc.extra}, status_code=exc.status)
            return await call(lambda: handler(data))

        return endpoint

    # --- pages -------------------------------------------------------------------------

    async def home(request: Request) -> Response:
        return page("workspace.html.j2", "Bureau de rédaction")

    async def dossier_page(request: Request) -> Response:
        given = request.query_params.get("chemin")
        try:
            state = await run_in_threadpool(desk.dossier, given)
        except DeskError as exc:
            return HTMLResponse(f"<p>{exc}</p>", status_code=exc.status)
        from laureate_writer.desk.forms import form_schema

        return page("dossier.html.j2", "Dossier", dossier=state, schema=form_schema())

    async def article_page(request: Request) -> Response:
        try:
            state = await run_in_threadpool(desk.article, request.query_params.get("chemin", ""))
        except DeskError as exc:
            return HTMLResponse(f"<p>{exc}</p>", status_code=exc.status)
        return page("article.html.j2", f"Article — {state['laureate']}", article=state)

    async def palmares_page(request: Request) -> Response:
        listing = await run_in_threadpool(desk._op, ops.list_workspace)
        return page(
            "palmares.html.j2",
            "Palmarès",
            editions=listing.editions,
            chosen=request.query_params.get("chemin"),
        )

    # --- JSON API ----------------------------------------------------------------------

    async def workspace(request: Request) -> Response:
        return await call(desk.overview)

    async def jobs_follow(request: Request) -> Response:
        job = jobs.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"error": "tâche inconnue"}, status_code=404)
        return StreamingResponse(
            jobs.follow(job), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    def s(data: dict[str, Any], key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise DeskError(f"'{key}' doit être un texte")
        return value

    routes = [
        Route("/", home),
        Route("/dossier", dossier_page),
        Route("/article", article_page),
        Route("/palmares", palmares_page),
        Route("/api/espace", workspace),
        Route(
            "/api/dossier/verifier",
            api(lambda d: desk.check_dossier(s(d, "path"), s(d, "text"))),
            methods=["POST"],
        ),
        Route(
            "/api/dossier/champ",
            api(
                lambda d: {
                    "text": desk.set_field(s(d, "text"), list(d.get("loc") or []), d.get("value"))
                }
            ),
            methods=["POST"],
        ),
        Route(
            "/api/dossier/enregistrer",
            api(lambda d: desk.save_dossier(s(d, "path"), s(d, "text"), s(d, "version"))),
            methods=["POST"],
        ),
        Route("/api/rediger", api(lambda d: desk.draft(s(d, "dossier"))), methods=["POST"]),
        Route(
            "/api/article/corriger",
            api(
                lambda d: desk.fix(
                    s(d, "article"),
                    s(d, "section"),
                    int(d.get("start") or 0),
                    int(d.get("end") or 0),
                    s(d, "rule"),
                    s(d, "version"),
                )
            ),
            methods=["POST"],
        ),
        Route(
            "/api/article/modifier",
            api(
                lambda d: desk.edit(
                    s(d, "article"),
                    s(d, "section"),
                    s(d, "text"),
                    d.get("intertitle"),
                    s(d, "version"),
                )
            ),
            methods=["POST"],
        ),
        Route(
            "/api/article/annuler",
            api(lambda d: desk.undo(s(d, "article"), s(d, "section"), s(d, "version"))),
            methods=["POST"],
        ),
        Route(
            "/api/article/accepter", api(lambda d: desk.accept(s(d, "proposal"))), methods=["POST"]
        ),
        Route(
            "/api/article/refuser", api(lambda d: desk.refuse(s(d, "proposal"))), methods=["POST"]
        ),
        Route("/api/jobs/{job}", jobs_follow),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    from laureate_writer.desk.conversation import conversation_routes
    from laureate_writer.desk.palmares import palmares_routes

    routes += conversation_routes(desk, jobs, api)
    routes += palmares_routes(desk, jobs, api)
    app = Starlette(routes=routes)
    app.state.desk = desk
    app.state.csrf = csrf
    return DeskGuard(app, host=host, csrf=csrf, access_token=access_token)
