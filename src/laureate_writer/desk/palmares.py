"""The palmarès view: build a page from an edition as a job (progress from the production
run's tally over server-sent events), preview it, export Markdown and HTML."""

from __future__ import annotations

import asyncio
from typing import Any

from laureate_writer.desk.service import Desk, DeskError, refusing


def build_page(desk: Desk, edition: str, emit: Any) -> dict[str, str]:
    """Draft the edition's page with the desk's writer, emitting progress events; returns
    the page in both formats."""
    from laureate_writer import api
    from laureate_writer.operations.writing import load_workspace_edition
    from laureate_writer.production.progress import status_line
    from laureate_writer.production.report import Tally

    ctx = desk.ctx
    loaded = refusing(ctx, load_workspace_edition, edition)
    tally = Tally([(d.id, d.laureate.name) for _, d in loaded.dossiers], model=ctx.writer.model)

    def progress() -> None:
        emit("progress", done=tally.done, total=tally.total, text=_french(status_line(tally)))

    tally.on_change = progress
    progress()
    outcome = asyncio.run(
        api.apalmares(
            loaded,
            writer=ctx.writer_for(loaded),
            style=ctx.style,
            revise_rounds=ctx.revise_rounds,
            tally=tally,
        )
    )
    failures = sum(len(o.failures) for o in outcome.outcomes)
    summary = (
        f"Page construite : {len(outcome.page.articles)} lauréat(s), "
        f"{outcome.unresolved} remarque(s) restante(s)"
        + (f", {failures} section(s) en échec" if failures else "")
        + "."
    )
    return {
        "md": api.render_page(outcome.page, "md"),
        "html": api.render_page(outcome.page, "html"),
        "summary": summary,
        "name": loaded.path.stem,
    }


def _french(line: str) -> str:
    """The production run's status line, in the desk's words."""
    return (
        line.replace("palmares:", "Palmarès :")
        .replace(" sections", " sections rédigées")
        .replace(" failed", " en échec")
        .replace(" elapsed", " écoulées")
        .replace("ETA", "reste environ")
    )


def palmares_routes(desk: Desk, jobs: Any, api: Any) -> list[Any]:
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from laureate_writer.desk.jobs import in_thread

    async def build(data: dict[str, Any]) -> dict[str, Any]:
        edition = data.get("edition")
        if not isinstance(edition, str) or not edition:
            raise DeskError("choisissez une édition")

        async def work(job: Any) -> None:
            job.result = await in_thread(job, lambda emit: build_page(desk, edition, emit))
            base = f"/api/palmares/{job.id}"
            job.emit(
                "done",
                text=job.result["summary"],
                preview=f"{base}/apercu",
                markdown=f"{base}/export.md",
                html=f"{base}/export.html",
            )

        return {"job": jobs.start(work).id}

    def result(request: Request) -> dict[str, str] | None:
        job = jobs.get(request.path_params["job"])
        return job.result if job is not None else None

    async def preview(request: Request) -> Response:
        page = result(request)
        if page is None:
            return JSONResponse({"error": "page inconnue"}, status_code=404)
        # Shown in a sandboxed frame: no script may run in it.
        return HTMLResponse(
            page["html"],
            headers={
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                "sandbox; frame-ancestors 'self'"
            },
        )

    async def export(request: Request) -> Response:
        page = result(request)
        fmt = request.path_params["fmt"]
        if page is None or fmt not in ("md", "html"):
            return JSONResponse({"error": "page inconnue"}, status_code=404)
        media = "text/markdown" if fmt == "md" else "text/html"
        return Response(
            page[fmt],
            media_type=f"{media}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{page["name"]}.{fmt}"'},
        )

    return [
        Route("/api/palmares/construire", api(build, threaded=False), methods=["POST"]),
        Route("/api/palmares/{job}/apercu", preview),
        Route("/api/palmares/{job}/export.{fmt}", export),
    ]
