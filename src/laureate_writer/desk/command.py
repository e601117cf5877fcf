"""``laureate-writer desk``: serve the editorial desk (uvicorn) and print its URL.

On loopback by default. Another address (a newsroom's network) needs an access token:
given with ``--token`` (or LW_DESK_TOKEN), else drawn at random and printed in the URL.
"""

from __future__ import annotations

import os
import socket

from laureate_writer.loading import os_reason
from laureate_writer.messages import say
from laureate_writer.plugin.command import LOOPBACK

DEFAULT_PORT = 8766


def _listening(host: str, port: int) -> socket.socket:
    """A socket already listening, so the URL printed next answers at once (and port 0
    gets a free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run_desk(
    workspace: str,
    *,
    port: int = DEFAULT_PORT,
    host: str = "127.0.0.1",
    model: str | None = None,
    style: str | None = None,
    token: str | None = None,
) -> int:
    """Serve until interrupted; returns the exit code (2: bad options)."""

    def fail(message: str) -> int:
        say(message)
        return 2

    try:
        import uvicorn

        from laureate_writer.desk.app import create_app
    except ImportError:
        return fail("le bureau demande son extra : pip install 'laureate-writer[desk]'")
    from laureate_writer.desk.security import TOKEN_QUERY, new_secret
    from laureate_writer.operations import Context
    from laureate_writer.workspace import WorkspaceError

    if not 0 <= port < 65536:
        return fail(f"--port {port} : pas un port TCP")
    token = token or os.environ.get("LW_DESK_TOKEN") or None
    if host not in LOOPBACK and token is None:
        token = new_secret()
    try:
        ctx = Context(workspace, model=model, style=style)
    except WorkspaceError as exc:
        return fail(str(exc))
    try:
        sock = _listening(host, port)
    except OSError as exc:
        return fail(f"impossible de servir sur {host}:{port} : {os_reason(exc)}")
    port = sock.getsockname()[1]
    app = create_app(ctx, host=host, access_token=token)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?{TOKEN_QUERY}={token}" if token else "")
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", lifespan="off", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    try:  # Ctrl-C as soon as the URL is out (the socket already listens) is a stop too
        say(f"bureau de rédaction sur {url} (espace de travail {ctx.workspace.root})")
        print(url, flush=True)
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        return 0
    finally:
        sock.close()
    return 0
