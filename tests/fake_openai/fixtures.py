"""Pytest fixtures for the fake OpenAI server. Enable them in ``tests/conftest.py`` with::

    from fake_openai.fixtures import fake_openai, fake_openai_env  # noqa: F401

``fake_openai``      a started :class:`~fake_openai.server.FakeOpenAI` (no latency, no faults),
                     stopped after the test; configure it with ``.behave``/``.script``/
                     ``.latency``/``.fault_rate``. Loopback hosts are added to ``NO_PROXY``;
                     the test errors at teardown if a request handler raised (e.g. a
                     responder bug).
``fake_openai_env``  the same server, with ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY`` set in
                     the environment (for the CLI, ``init_chat_model`` and subprocesses that
                     inherit ``os.environ``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .server import FakeOpenAI

FAKE_API_KEY = "sk-test-fake-openai"


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    for name in ("NO_PROXY", "no_proxy"):
        current = os.environ.get(name, "")
        monkeypatch.setenv(name, ",".join(p for p in (current, "127.0.0.1", "localhost") if p))
    with FakeOpenAI() as server:
        yield server
    # a responder or rule that raised shows up here rather than as a mysterious disconnect
    assert not server.errors, f"fake OpenAI server handler errors: {server.errors}"


@pytest.fixture
def fake_openai_env(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_API_KEY)
    return fake_openai
