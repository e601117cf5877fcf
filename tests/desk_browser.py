"""Harness of the desk's browser tests: the desk served by uvicorn in a thread, and a real
Chromium (Debian's ``chromium``) driven by Playwright, offline.

Chromium is found at ``LW_CHROMIUM`` or ``/usr/bin/chromium``; without it the browser
tests are skipped locally and fail where ``LW_REQUIRE_CHROMIUM`` is set (CI, whose
``.ci/run`` installs it). Screenshots go to ``LW_DESK_SCREENSHOTS`` when set (the
images of ``docs/desk.md``), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WIDTHS = (1280, 820)
HEIGHT = 900


def chromium() -> str:
    path = os.environ.get("LW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        if os.environ.get("LW_REQUIRE_CHROMIUM"):
            pytest.fail(f"chromium is required here (apt-get install chromium): {path} missing")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


class RunningDesk:
    """``create_app`` served by uvicorn on a free loopback port, in a daemon thread."""

    def __init__(self, ctx: Any) -> None:
        import uvicorn

        from laureate_writer.desk.app import create_app

        self.ctx = ctx
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(ctx), log_level="warning", lifespan="off",
                                timeout_graceful_shutdown=1)  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> RunningDesk:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the desk did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@contextmanager
def browser() -> Iterator[Any]:
    """A persistent Chromium context with an empty profile (nothing shared between runs)."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": WIDTHS[0], "height": HEIGHT},
            locale="fr-FR",
            timezone_id="Europe/Paris",
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


class Screens:
    """Screenshots of each view at every width: ``shoot(page, "article")``."""

    def __init__(self, fallback: Path) -> None:
        given = os.environ.get("LW_DESK_SCREENSHOTS")
        self.folder = Path(given) if given else fallback
        self.folder.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def shoot(self, page: Any, name: str, focus: Any = None) -> None:
        """``focus``: a locator to bring into view first (what the picture is about)."""
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            page.wait_for_timeout(150)  # let the layout settle
            if focus is not None:
                focus.evaluate("node => node.scrollIntoView({block: 'center'})")
            path = self.folder / f"desk-{name}-{width}.png"
            page.screenshot(path=str(path), full_page=False)
            self.taken.append(path)
            # readable at this width: nothing wider than the window
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
