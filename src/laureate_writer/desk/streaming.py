"""A model's rewrite shown as it is written: the streamed answer is JSON
(``{"text": "…", …}``), so the value of its ``text`` field is decoded as it grows and
only what is new is passed on."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_ONE_AT_A_TIME = threading.Lock()  # the client's callback is shared by its requests
_TEXT_START = re.compile(r'"text"\s*:\s*"')


class TextField:
    """Feeds on chunks of a JSON object; ``on_text`` gets the ``text`` value as it grows."""

    def __init__(self, on_text: Callable[[str], None]) -> None:
        self.on_text = on_text
        self.raw = ""
        self.shown = 0

    def feed(self, chunk: str) -> None:
        self.raw += chunk
        start = _TEXT_START.search(self.raw)
        if start is None:
            return
        value = _partial_string(self.raw[start.end() :])
        if len(value) > self.shown:
            self.on_text(value[self.shown :])
            self.shown = len(value)


def _partial_string(body: str) -> str:
    """The decoded prefix of a JSON string body (up to its closing quote, if any)."""
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == '"':
            break
        if c == "\\":
            escape = body[i : i + 6] if body[i + 1 : i + 2] == "u" else body[i : i + 2]
            if len(escape) < 2 or (escape[1] == "u" and len(escape) < 6):
                break  # an escape cut by the chunk: wait for the rest
            try:
                out.append(json.loads(f'"{escape}"'))
            except ValueError:
                break
            i += len(escape)
            continue
        out.append(c)
        i += 1
    return "".join(out)


@contextmanager
def streaming_to(writer: Any, on_text: Callable[[str], None]) -> Iterator[bool]:
    """While inside, the writer's model answers stream into ``on_text`` (True), when its
    client can stream (the ``openai`` client); otherwise nothing changes (False)."""
    client = getattr(writer, "client", None)
    if client is None or not hasattr(client, "on_delta"):
        yield False
        return
    with _ONE_AT_A_TIME:
        client.on_delta = TextField(on_text).feed
        try:
            yield True
        finally:
            client.on_delta = None
