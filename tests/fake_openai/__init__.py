"""An OpenAI-compatible fake server over real HTTP on 127.0.0.1, for tests and benches.

See :mod:`fake_openai.server` for the behaviours and endpoints and
:mod:`fake_openai.fixtures` for the pytest fixtures. Names are imported lazily so that
``python -m tests.fake_openai.server`` does not import the server module twice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import (
        Behaviour,
        FakeOpenAI,
        FakeOpenAIProcess,
        RecordedRequest,
        last_user_text,
        schema_instance,
    )

__all__ = [
    "Behaviour",
    "FakeOpenAI",
    "FakeOpenAIProcess",
    "RecordedRequest",
    "last_user_text",
    "schema_instance",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".server", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
