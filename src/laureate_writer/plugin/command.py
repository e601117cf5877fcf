"""``laureate-writer mcp``: run the MCP server over stdio (default) or streamable HTTP.

Over stdio, stdout is the protocol wire: nothing else is ever printed there; messages go
to stderr. Over HTTP the server listens on a loopback address only (it has no
authentication, so it is never exposed to the network), at ``http://HOST:PORT/mcp``.
"""

from __future__ import annotations

import argparse
from typing import Any

from laureate_writer.loading import os_reason
from laureate_writer.messages import say

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8765
# Host and Origin values a loopback server accepts (any port): a request naming another
# host (DNS rebinding) gets 421, a page from another origin gets 403. The MCP plugin
# hands them to the SDK's transport security; the desk checks them itself, so as not to
# import the MCP SDK (a second) at start-up.
LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*")
LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")


def _matches(value: str, allowed: tuple[str, ...]) -> bool:
    """``value`` is one of ``allowed``, where ``X:*`` stands for X with any port (the
    SDK's rule)."""
    return any(
        value == pattern or (pattern.endswith(":*") and value.startswith(pattern[:-1]))
        for pattern in allowed
    )


def loopback_refusal(host: str | None, origin: str | None) -> tuple[int, str] | None:
    """The status and reason to refuse a request to a loopback server with, or None."""
    if not host or not _matches(host, LOOPBACK_HOSTS):
        return 421, "Invalid Host header"
    if origin and not _matches(origin, LOOPBACK_ORIGINS):
        return 403, "Invalid Origin header"
    return None


def loopback_security() -> Any:
    """:data:`LOOPBACK_HOSTS` and :data:`LOOPBACK_ORIGINS` as the MCP SDK's settings."""
    from mcp.server.transport_security import TransportSecuritySettings

    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=list(LOOPBACK_HOSTS),
        allowed_origins=list(LOOPBACK_ORIGINS),
    )


def run_mcp(
    workspace: str,
    http: bool,
    port: int,
    host: str = "127.0.0.1",
    *,
    model: str | None = None,
    style: str | None = None,
) -> int:
    """Serve the workspace until interrupted. Returns the exit code (2: bad options)."""
    from laureate_writer.operations import Context
    from laureate_writer.workspace import WorkspaceError

    def fail(message: str) -> int:
        say(message)
        return 2

    if http and host not in LOOPBACK:
        return fail(f"--host {host} : le serveur HTTP n’écoute qu’en boucle locale "
                    f"({', '.join(LOOPBACK)}) : il n’a pas d’authentification")  # fmt: skip
    if http and not 0 < port < 65536:
        return fail(f"--port {port} : pas un port TCP")
    try:
        ctx = Context(workspace, model=model, style=style)
    except WorkspaceError as exc:
        return fail(str(exc))
    try:
        from laureate_writer.plugin.server import build_server
    except ImportError:
        return fail("le serveur MCP demande le paquet mcp : pip install 'laureate-writer[mcp]'")
    if http and (busy := _cannot_bind(host, port)):
        return fail(f"impossible de servir sur {host}:{port} : {busy}")
    server = build_server(ctx)
    try:
        if http:
            say(f"serveur MCP sur http://{host}:{port}/mcp "
                f"(espace de travail {ctx.workspace.root})")  # fmt: skip
            server.run(
                "streamable-http", host=host, port=port, transport_security=loopback_security()
            )
        else:
            server.run()
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        return fail(f"impossible de servir sur {host}:{port} : {os_reason(exc)}")
    except SystemExit as exc:  # uvicorn exits when it cannot start (a port taken meanwhile)
        if exc.code in (0, None):
            return 0
        return fail(f"impossible de servir sur {host}:{port} (le serveur HTTP n’a pas démarré)")
    return 0


def _cannot_bind(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on (a port in use), or None: checked before
    the server announces its URL, so a busy port is one line, not a URL then an error."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            return os_reason(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="laureate-writer mcp",
        description="Sert laureate-writer à un assistant de chat (MCP), en stdio ou HTTP.",
    )
    parser.add_argument("--workspace", default=".", help="Le répertoire des outils.")
    parser.add_argument("--http", action="store_true", help="HTTP (streamable), pas stdio.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="Port HTTP.")
    parser.add_argument("--host", default="127.0.0.1", help="Adresse HTTP en boucle locale.")
    parser.add_argument("--model", default=None, help="Le rédacteur (défaut : configuré).")
    parser.add_argument("--style", default=None, help="Un fichier de style maison.")
    args = parser.parse_args(argv)
    return run_mcp(args.workspace, args.http, args.port, args.host, model=args.model,
                   style=args.style)  # fmt: skip
