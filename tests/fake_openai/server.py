"""An OpenAI-compatible fake server over real HTTP on 127.0.0.1 (standard library only).

The real ``openai`` client (which talks through ``httpx2``) and ``langchain_openai.ChatOpenAI``
are pointed at it with ``base_url=server.base_url``; nothing leaves the loopback interface.

In a test::

    with FakeOpenAI(latency_ms=0) as server:
        server.behave("results", Behaviour.rate_limit(retry_after=1), times=2)
        server.behave("lead", {"text": "Chapô de la section."})
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        ...
        assert server.calls_matching("results") == 3

As a process (prints its base URL on the first line of stdout, stops on SIGTERM/SIGINT)::

    python tests/fake_openai/server.py --port 0 --latency-ms 200 --fault-rate 0.1 --seed 1
    python -m tests.fake_openai.server --port 0          # from the repository root

Endpoints: ``POST /v1/chat/completions`` (JSON and SSE streaming), ``GET /v1/models``,
``POST/GET /v1/files``, ``GET /v1/files/{id}[/content]``, ``POST/GET /v1/batches``,
``GET /v1/batches/{id}``, ``POST /v1/batches/{id}/cancel``; plus control endpoints for
out-of-process use: ``GET /_fake/stats``, ``GET /_fake/requests``, ``POST /_fake/reset``,
``POST /_fake/rules`` (body: ``{"match": "...", "times": 2, "behaviour": {...}}``).

Which answer a chat request gets (first that applies):

1. a *counted* rule (``behave(..., times=n)`` or ``script(...)``) whose key matches and which
   has uses left, in registration order; each use consumes one;
2. a *persistent* rule (``behave(...)`` with ``times=None``) whose key matches;
3. a seeded random fault (``fault_rate``), decided by a hash of (seed, request body,
   attempt number), so the same run gets the same faults whatever the thread scheduling;
4. the responder (``responder=`` callable, then the default one: an instance of the
   ``response_format`` JSON schema, a forced tool call, or plain French placeholder text).

A *key* is a substring of the text of the last ``user`` message, or a callable
``(request_json) -> bool``; ``None`` matches every request.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import email.parser
import email.policy
import hashlib
import itertools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "Behaviour",
    "FakeOpenAI",
    "FakeOpenAIProcess",
    "RecordedRequest",
    "last_user_text",
    "schema_instance",
]

DEFAULT_TEXT = "Texte de la section."
DEFAULT_REFUSAL = "Je ne peux pas répondre à cette demande."
DEFAULT_MALFORMED = '{"text": "coupé'
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

Content = str | dict | list | None


# --------------------------------------------------------------------------- behaviours


@dataclass(frozen=True)
class Behaviour:
    """What one chat-completion request gets. Build them with the class methods.

    ``kind`` is one of: ``ok``, ``error`` (any HTTP status, 429 with ``Retry-After``),
    ``malformed``, ``length``, ``refusal``, ``tool_calls``, ``disconnect``, ``body`` (a
    raw 200 body that is not a chat completion).
    Behaviours are frozen; derive variants with ``dataclasses.replace``.
    ``delay`` (seconds) is slept before answering, on top of the server latency.
    ``content`` for ``ok``: ``None`` (the responder decides), a string, or a dict/list
    (sent as JSON text).
    """

    kind: str = "ok"
    content: Content = None
    status: int = 200
    retry_after: float | None = None
    message: str | None = None
    error_type: str | None = None
    code: str | None = None
    delay: float = 0.0
    calls: tuple[tuple[str, str], ...] = ()  # (function name, JSON arguments)
    headers: tuple[tuple[str, str], ...] = ()

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def ok(cls, content: Content = None, *, delay: float = 0.0) -> Behaviour:
        return cls("ok", content=content, delay=delay)

    @classmethod
    def error(
        cls,
        status: int = 500,
        message: str | None = None,
        *,
        error_type: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> Behaviour:
        return cls(
            "error",
            status=status,
            message=message,
            error_type=error_type,
            code=code,
            retry_after=retry_after,
            headers=tuple((headers or {}).items()),
            delay=delay,
        )

    @classmethod
    def rate_limit(cls, retry_after: float | None = 1.0, *, delay: float = 0.0) -> Behaviour:
        """429 with ``Retry-After: <seconds>`` (fractions allowed; ``None``: no header)."""
        return cls.error(
            429,
            "Rate limit reached for requests (fake server).",
            error_type="requests",
            code="rate_limit_exceeded",
            retry_after=retry_after,
            delay=delay,
        )

    @classmethod
    def server_error(cls, status: int = 500, *, delay: float = 0.0) -> Behaviour:
        if status == 503:
            return cls.unavailable(delay=delay)
        return cls.error(
            status,
            "The server had an error while processing your request (fake server).",
            error_type="server_error",
            delay=delay,
        )

    @classmethod
    def unavailable(cls, *, retry_after: float | None = None, delay: float = 0.0) -> Behaviour:
        return cls.error(
            503,
            "The engine is currently overloaded, please try again later (fake server).",
            error_type="server_error",
            retry_after=retry_after,
            delay=delay,
        )

    @classmethod
    def slow(cls, seconds: float, then: Behaviour | Content = None) -> Behaviour:
        """Sleep ``seconds`` before answering with ``then`` (default: a normal answer)."""
        base = as_behaviour(then)
        return replace(base, delay=base.delay + seconds)

    @classmethod
    def malformed(cls, text: str = DEFAULT_MALFORMED, *, delay: float = 0.0) -> Behaviour:
        """A 200 whose content is not valid JSON (``{"text": "coupé`` by default)."""
        return cls("malformed", content=text, delay=delay)

    @classmethod
    def length(cls, content: Content = None, *, delay: float = 0.0) -> Behaviour:
        """``finish_reason: "length"``; the content (or the responder's) is cut in half."""
        return cls("length", content=content, delay=delay)

    @classmethod
    def refusal(cls, text: str = DEFAULT_REFUSAL, *, delay: float = 0.0) -> Behaviour:
        return cls("refusal", message=text, delay=delay)

    @classmethod
    def tool_call(
        cls, name: str, arguments: dict | str | None = None, *, delay: float = 0.0
    ) -> Behaviour:
        """One tool call (``finish_reason: "tool_calls"``, content null)."""
        return cls.tool_calls(name_args=[(name, arguments)], delay=delay)

    @classmethod
    def tool_calls(
        cls, name_args: list[tuple[str, dict | str | None]], *, delay: float = 0.0
    ) -> Behaviour:
        """Several tool calls in one answer: ``Behaviour.tool_calls([("a", {...}), ...])``."""
        norm = tuple(
            (name, args if isinstance(args, str) else json.dumps(args or {}, ensure_ascii=False))
            for name, args in name_args
        )
        return cls("tool_calls", calls=norm, delay=delay)

    @classmethod
    def body(
        cls, text: str, content_type: str = "text/html; charset=utf-8", *, delay: float = 0.0
    ) -> Behaviour:
        """A 200 whose *body* is ``text`` as ``content_type``: what a proxy, a login page
        or a misconfigured server sends instead of a chat completion."""
        return cls("body", content=text, message=content_type, delay=delay)

    @classmethod
    def disconnect(cls, *, delay: float = 0.0) -> Behaviour:
        """Close the connection without answering (``openai.APIConnectionError``)."""
        return cls("disconnect", delay=delay)

    # -- (de)serialisation for the control endpoint and the CLI -------------------------
    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, (), [], 0.0)} | {
            "kind": self.kind
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Behaviour:
        data = dict(data)
        for key in ("calls", "headers"):
            if key in data:
                data[key] = tuple(tuple(pair) for pair in data[key])
        return cls(**data)


def as_behaviour(value: Behaviour | Content) -> Behaviour:
    if isinstance(value, Behaviour):
        return value
    return Behaviour.ok(value)


FAULTS: dict[str, Callable[[float | None], Behaviour]] = {
    "429": lambda ra: Behaviour.rate_limit(retry_after=ra),
    "500": lambda ra: Behaviour.server_error(500),
    "502": lambda ra: Behaviour.server_error(502),
    "503": lambda ra: Behaviour.unavailable(retry_after=ra),
    "disconnect": lambda ra: Behaviour.disconnect(),
}


# --------------------------------------------------------------------------- schema instances


def schema_instance(schema: dict, root: dict | None = None, _depth: int = 0) -> Any:
    """A plausible instance of a JSON schema: French placeholder strings without digits,
    required (in strict mode: all) properties filled, arrays with ``max(1, minItems)`` items,
    the first enum value, numbers 1 (or the minimum)."""
    root = schema if root is None else root
    if _depth > 32 or not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        return schema_instance(_resolve_ref(schema["$ref"], root), root, _depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    for combiner in ("anyOf", "oneOf"):
        if schema.get(combiner):
            options = schema[combiner]
            chosen = next((o for o in options if o.get("type") != "null"), options[0])
            return schema_instance(chosen, root, _depth + 1)
    if schema.get("allOf"):
        merged: dict = {}
        for part in schema["allOf"]:
            part = _resolve_ref(part["$ref"], root) if "$ref" in part else part
            for key, value in part.items():
                if key in ("properties",):
                    merged.setdefault(key, {}).update(value)
                elif key == "required":
                    merged.setdefault(key, []).extend(value)
                else:
                    merged.setdefault(key, value)
        return schema_instance(merged, root, _depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "string"
    if kind == "object":
        props = schema.get("properties", {})
        return {
            name: schema_instance(sub, root, _depth + 1)
            for name, sub in props.items()
            # strict mode makes every property required; fill them all either way
        }
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        items = schema.get("items", {})
        if isinstance(items, list):  # tuple form
            return [schema_instance(s, root, _depth + 1) for s in items]
        return [schema_instance(items, root, _depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        value: float = 1
        if "minimum" in schema:
            value = max(value, schema["minimum"])
        if "exclusiveMinimum" in schema:
            value = max(value, schema["exclusiveMinimum"] + 1)
        if "maximum" in schema:
            value = min(value, schema["maximum"])
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string_instance(schema)


def _string_instance(schema: dict) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        return "2020-01-01"
    if fmt == "date-time":
        return "2020-01-01T00:00:00Z"
    if fmt == "time":
        return "00:00:00"
    if fmt in ("uri", "url"):
        return "https://exemple.invalid/texte"
    if fmt == "email":
        return "redaction@exemple.invalid"
    text = DEFAULT_TEXT
    min_len = int(schema.get("minLength", 0))
    while len(text) < min_len:
        text += " " + DEFAULT_TEXT
    if "maxLength" in schema:
        text = text[: int(schema["maxLength"])]
    return text


def _resolve_ref(ref: str, root: dict) -> dict:
    if not ref.startswith("#/"):
        return {}
    node: Any = root
    for part in ref[2:].split("/"):
        node = node.get(part.replace("~1", "/").replace("~0", "~"), {})
    return node


# --------------------------------------------------------------------------- request helpers


def _message_text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def last_user_text(request_json: dict) -> str:
    """The text of the last ``user`` message of a chat request ('' if none)."""
    for message in reversed(request_json.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            return _message_text(message)
    return ""


Matcher = str | Callable[[dict], bool] | None


def _matches(matcher: Matcher, request_json: dict) -> bool:
    if matcher is None:
        return True
    if callable(matcher):
        return bool(matcher(request_json))
    return matcher in last_user_text(request_json)


def _approx_tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


def default_content(request_json: dict) -> Content | Behaviour:
    """The default responder: schema instance, forced tool call, ``{}``-ish JSON or text."""
    fmt = request_json.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema") or {}
        return schema_instance(schema)
    messages = request_json.get("messages") or []
    last_role = messages[-1].get("role") if messages and isinstance(messages[-1], dict) else None
    choice = request_json.get("tool_choice")
    tools = request_json.get("tools") or []
    if tools and last_role != "tool" and (isinstance(choice, dict) or choice == "required"):
        wanted = (choice.get("function") or {}).get("name") if isinstance(choice, dict) else None
        tool = next((t for t in tools if (t.get("function") or {}).get("name") == wanted), tools[0])
        function = tool.get("function") or {}
        args = schema_instance(function.get("parameters") or {"type": "object"})
        return Behaviour.tool_call(function.get("name", "outil"), args)
    if fmt.get("type") == "json_object":
        return {"text": DEFAULT_TEXT}
    return DEFAULT_TEXT


# --------------------------------------------------------------------------- records


@dataclass
class RecordedRequest:
    """One request the server received (batch lines are recorded with ``via="batch"``)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any
    via: str = "http"
    custom_id: str | None = None
    key: str = ""
    behaviour: str = ""
    status: int = 0
    at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["body"] = self.body.decode("utf-8", "replace") if self.json is None else None
        return data


@dataclass
class _Rule:
    matcher: Matcher
    behaviour: Behaviour | Content | Callable[[dict], Any]
    times: int | None
    used: int = 0

    def live(self) -> bool:
        return self.times is None or self.used < self.times


@dataclass
class _Batch:
    data: dict
    polls: int = 0
    input_lines: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the server


class FakeOpenAI:
    """The fake server; a context manager (``start()``/``stop()`` also work)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: float = 0.0,
        fault_rate: float = 0.0,
        fault_kinds: tuple[str, ...] = ("429", "500"),
        fault_retry_after: float | None = 0.5,
        max_faults_per_request: int | None = None,
        seed: int = 0,
        responder: Callable[[dict], Any] | None = None,
        batch_polls: int = 3,
        models: tuple[str, ...] = ("gpt-4.1-mini", "gpt-4.1", "gpt-test"),
        api_key: str | None = None,
    ) -> None:
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"the fake server listens on loopback only, not {host!r}")
        unknown = set(fault_kinds) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {sorted(FAULTS)}")
        self.host, self._port = host, port
        self.latency = latency_ms / 1000.0  # seconds, before every answer except 429s
        self.fault_rate = fault_rate
        self.fault_kinds = tuple(fault_kinds)
        self.fault_retry_after = fault_retry_after
        self.max_faults_per_request = max_faults_per_request
        self.seed = seed
        self.responder = responder
        self.batch_polls = max(1, batch_polls)
        self.models = models
        self.api_key = api_key
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._ids = itertools.count(1)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._clear_state()

    def _clear_state(self) -> None:
        self._counted: list[_Rule] = []
        self._persistent: list[_Rule] = []
        self._requests: list[RecordedRequest] = []
        self._attempts: dict[str, int] = {}
        self._faults_by_body: dict[str, int] = {}
        self._files: dict[str, tuple[dict, bytes]] = {}
        self._batches: dict[str, _Batch] = {}
        self._in_flight = 0
        self._peak = 0
        self._faults = 0
        self._errors: list[str] = []
        self._t0 = time.monotonic()

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        if self._httpd is not None:
            return self
        self._stop.clear()
        self._httpd = _Server((self.host, self._port), _Handler, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-openai:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stop.set()  # wakes handlers sleeping on latency / slow behaviours
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            return self._port
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give clients: ``http://127.0.0.1:PORT/v1``."""
        return self.url + "/v1"

    # -- configuring answers ------------------------------------------------------------
    def behave(
        self,
        match: Matcher,
        behaviour: Behaviour | Content | Callable[[dict], Any],
        *,
        times: int | None = None,
    ) -> FakeOpenAI:
        """Answer requests whose last user message contains ``match`` (or for which the
        callable returns true; ``None``: all) with ``behaviour``: a :class:`Behaviour`,
        content (str or dict), or a callable ``(request_json) -> any of those``.
        ``times=n``: only the next ``n`` matching requests (counted rules are checked before
        persistent ones)."""
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 (or None for always)")
        rule = _Rule(match, behaviour, times)
        with self._lock:
            (self._persistent if times is None else self._counted).append(rule)
        return self

    def script(self, *behaviours: Behaviour | Content, match: Matcher = None) -> FakeOpenAI:
        """Queue answers used once each, in order, by requests matching ``match``.
        ``server.script(Behaviour.tool_call("check_style", {...}), "C'est fait.")``."""
        for behaviour in behaviours:
            self.behave(match, behaviour, times=1)
        return self

    def fail(self, match: Matcher, status: int = 429, *, times: int = 1, **kw: Any) -> FakeOpenAI:
        """Shorthand: the next ``times`` requests matching ``match`` get HTTP ``status``."""
        if status == 429:
            behaviour = Behaviour.rate_limit(**kw)
        elif status == 503:
            behaviour = Behaviour.unavailable(**kw)
        else:
            behaviour = Behaviour.server_error(status, **kw)
        return self.behave(match, behaviour, times=times)

    def reset(self) -> None:
        """Forget rules, recorded requests, counters, files and batches."""
        with self._lock:
            self._clear_state()

    # -- observing ----------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every recorded request (all endpoints, batch lines included)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self._requests if r.path.endswith("/chat/completions")]

    @property
    def calls(self) -> int:
        """Chat completions answered or failed (HTTP requests plus batch lines)."""
        return len(self.chat_requests)

    def calls_matching(self, match: Matcher, *, via: str | None = None) -> int:
        return sum(
            1
            for r in self.chat_requests
            if (via is None or r.via == via)
            and isinstance(r.json, dict)
            and _matches(match, r.json)
        )

    @property
    def peak_concurrency(self) -> int:
        """Most chat completions in progress at once over HTTP."""
        with self._lock:
            return self._peak

    @property
    def faults_injected(self) -> int:
        with self._lock:
            return self._faults

    def stats(self) -> dict[str, Any]:
        with self._lock:
            chat = [r for r in self._requests if r.path.endswith("/chat/completions")]
            by_status: dict[str, int] = {}
            for r in chat:
                by_status[str(r.status)] = by_status.get(str(r.status), 0) + 1
            return {
                "requests": len(self._requests),
                "calls": len(chat),
                "http_calls": sum(1 for r in chat if r.via == "http"),
                "batch_calls": sum(1 for r in chat if r.via == "batch"),
                "by_status": by_status,
                "faults_injected": self._faults,
                "peak_concurrency": self._peak,
                "in_flight": self._in_flight,
                "handler_errors": len(self._errors),
            }

    def wait_for_calls(self, n: int, timeout: float = 10.0) -> bool:
        """Block until at least ``n`` chat completions have been received (or timeout)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                count = sum(1 for r in self._requests if r.path.endswith("/chat/completions"))
                remaining = deadline - time.monotonic()
                if count >= n:
                    return True
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.1))

    # -- internals: deciding an answer --------------------------------------------------
    def _note_error(self, exc: BaseException | None) -> None:
        with self._lock:
            self._errors.append(repr(exc))

    @property
    def errors(self) -> list[str]:
        """Unexpected exceptions raised in request handlers (a bug here or a bad responder)."""
        with self._lock:
            return list(self._errors)

    def _record(self, rec: RecordedRequest) -> None:
        with self._cond:
            rec.at = time.monotonic() - self._t0
            self._requests.append(rec)
            self._cond.notify_all()

    def _pick_rule(self, request_json: dict) -> Any:
        with self._lock:
            for rule in self._counted:
                if rule.live() and _matches(rule.matcher, request_json):
                    rule.used += 1
                    return rule.behaviour
            for rule in self._persistent:
                if _matches(rule.matcher, request_json):
                    rule.used += 1
                    return rule.behaviour
        return None

    def _random_fault(self, request_json: dict, body: bytes, allow: bool) -> Behaviour | None:
        if not allow or self.fault_rate <= 0:
            return None
        digest = hashlib.sha256(body).hexdigest()
        with self._lock:
            attempt = self._attempts.get(digest, 0)
            self._attempts[digest] = attempt + 1
            done = self._faults_by_body.get(digest, 0)
            if self.max_faults_per_request is not None and done >= self.max_faults_per_request:
                return None
            draw = hashlib.sha256(f"{self.seed}:{digest}:{attempt}".encode()).digest()
            if int.from_bytes(draw[:8], "big") / 2**64 >= self.fault_rate:
                return None
            kind = self.fault_kinds[draw[8] % len(self.fault_kinds)]
            self._faults_by_body[digest] = done + 1
            self._faults += 1
        return FAULTS[kind](self.fault_retry_after)

    def _decide(self, request_json: dict, body: bytes, *, allow_faults: bool) -> Behaviour:
        chosen = self._pick_rule(request_json)
        if chosen is None:
            chosen = self._random_fault(request_json, body, allow_faults)
        if callable(chosen):
            chosen = chosen(request_json)
        behaviour = as_behaviour(chosen)
        if behaviour.kind not in ("ok", "length") or behaviour.content is not None:
            return behaviour
        produced = self.responder(request_json) if self.responder is not None else None
        if produced is None:
            produced = default_content(request_json)
        if isinstance(produced, Behaviour):
            if behaviour.kind == "ok":  # the responder chose the whole behaviour
                if produced.kind in ("ok", "length") and produced.content is None:
                    produced = replace(produced, content=_plain(default_content(request_json)))
                return replace(produced, delay=produced.delay + behaviour.delay)
            produced = produced.content
        return replace(behaviour, content=produced)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops; False if it stopped."""
        if seconds <= 0:
            return not self._stop.is_set()
        return not self._stop.wait(seconds)

    # -- internals: building answers ----------------------------------------------------
    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06x}{os.getpid() % 0xFFFF:04x}"

    def completion(self, request_json: dict, behaviour: Behaviour) -> dict:
        """A chat.completion object for a non-error behaviour."""
        model = request_json.get("model") or self.models[0]
        finish = "stop"
        message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
        if behaviour.kind == "refusal":
            message["refusal"] = behaviour.message or DEFAULT_REFUSAL
        elif behaviour.kind == "tool_calls":
            message["tool_calls"] = [
                {
                    "id": self._new_id("call_fake"),
                    "type": "function",
                    "function": {"name": name, "arguments": args},
                }
                for name, args in behaviour.calls
            ]
            finish = "tool_calls"
        else:
            text = _as_text(behaviour.content)
            if behaviour.kind == "length":
                text = text[: max(1, len(text) // 2)]
                finish = "length"
            message["content"] = text
        prompt_tokens = sum(
            _approx_tokens(_message_text(m))
            for m in request_json.get("messages") or []
            if isinstance(m, dict)
        )
        out_text = (message["content"] or message["refusal"] or "") + "".join(
            a for _, a in behaviour.calls
        )
        completion_tokens = _approx_tokens(out_text)
        limit = request_json.get("max_completion_tokens", request_json.get("max_tokens"))
        if finish == "length" and isinstance(limit, int):
            completion_tokens = limit
        n = request_json.get("n") or 1
        return {
            "id": self._new_id("chatcmpl-fake"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [
                {
                    "index": i,
                    "message": copy.deepcopy(message),
                    "logprobs": None,
                    "finish_reason": finish,
                }
                for i in range(n)
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens * n,
                "total_tokens": prompt_tokens + completion_tokens * n,
            },
        }

    def stream_chunks(self, request_json: dict, completion: dict) -> Iterator[dict]:
        """The ``chat.completion.chunk`` objects for a completion (SSE)."""
        base = {
            "id": completion["id"],
            "object": "chat.completion.chunk",
            "created": completion["created"],
            "model": completion["model"],
            "system_fingerprint": "fp_fake",
        }
        include_usage = bool((request_json.get("stream_options") or {}).get("include_usage"))

        def chunk(delta: dict, finish: str | None = None, index: int = 0) -> dict:
            data = {
                **base,
                "choices": [
                    {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            if include_usage:
                data["usage"] = None
            return data

        for choice in completion["choices"]:
            i, message = choice["index"], choice["message"]
            yield chunk({"role": "assistant", "content": "", "refusal": None}, index=i)
            if message.get("refusal"):
                for piece in _pieces(message["refusal"]):
                    yield chunk({"refusal": piece}, index=i)
            for t, call in enumerate(message.get("tool_calls") or []):
                head = {"index": t, "id": call["id"], "type": "function"}
                fn = {"name": call["function"]["name"], "arguments": ""}
                yield chunk({"tool_calls": [{**head, "function": fn}]}, index=i)
                for piece in _pieces(call["function"]["arguments"]):
                    yield chunk(
                        {"tool_calls": [{"index": t, "function": {"arguments": piece}}]}, index=i
                    )
            if message.get("content"):
                for piece in _pieces(message["content"]):
                    yield chunk({"content": piece}, index=i)
            yield chunk({}, choice["finish_reason"], index=i)
        if include_usage:
            yield {**base, "choices": [], "usage": completion["usage"]}

    def error_body(self, behaviour: Behaviour) -> dict:
        status = behaviour.status
        default = {
            400: ("Invalid request (fake server).", "invalid_request_error"),
            401: ("Incorrect API key provided (fake server).", "invalid_request_error"),
            404: ("Not found (fake server).", "invalid_request_error"),
        }.get(status, (f"HTTP {status} (fake server).", "server_error"))
        return {
            "error": {
                "message": behaviour.message or default[0],
                "type": behaviour.error_type or default[1],
                "param": None,
                "code": behaviour.code,
            }
        }

    def error_headers(self, behaviour: Behaviour) -> dict[str, str]:
        headers = dict(behaviour.headers)
        if behaviour.retry_after is not None:
            ra = behaviour.retry_after
            headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else f"{ra:g}"
        return headers

    # -- internals: files and batches ---------------------------------------------------
    def add_file(self, filename: str, purpose: str, content: bytes) -> dict:
        meta = {
            "id": self._new_id("file-fake"),
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "expires_at": None,
            "status_details": None,
        }
        with self._lock:
            self._files[meta["id"]] = (meta, content)
        return meta

    def get_file(self, file_id: str) -> tuple[dict, bytes] | None:
        with self._lock:
            return self._files.get(file_id)

    def create_batch(self, params: dict) -> tuple[int, dict]:
        endpoint = params.get("endpoint")
        if endpoint != "/v1/chat/completions":
            return 400, self.error_body(
                Behaviour.error(400, f"endpoint {endpoint!r} is not supported by the fake server")
            )
        found = self.get_file(str(params.get("input_file_id")))
        if found is None:
            return 400, self.error_body(
                Behaviour.error(400, f"input file {params.get('input_file_id')!r} not found")
            )
        lines = [ln for ln in found[1].decode("utf-8").splitlines() if ln.strip()]
        now = int(time.time())
        data = {
            "id": self._new_id("batch_fake"),
            "object": "batch",
            "endpoint": endpoint,
            "errors": None,
            "input_file_id": params["input_file_id"],
            "completion_window": params.get("completion_window", "24h"),
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 86400,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "metadata": params.get("metadata"),
        }
        with self._lock:
            self._batches[data["id"]] = _Batch(data=data, input_lines=lines)
        return 200, copy.deepcopy(data)

    def poll_batch(self, batch_id: str) -> dict | None:
        """One ``GET /v1/batches/{id}``: the N-th poll (``batch_polls``) completes it."""
        with self._lock:
            batch = self._batches.get(batch_id)
            if batch is None:
                return None
            batch.polls += 1
            data, now = batch.data, int(time.time())
            if data["status"] == "cancelling":
                data.update(status="cancelled", cancelled_at=now)
            elif data["status"] in ("validating", "in_progress"):
                if batch.polls >= self.batch_polls:
                    self._run_batch(batch)
                elif batch.polls == 1 and self.batch_polls > 2:
                    data["status"] = "validating"
                else:
                    data.update(status="in_progress", in_progress_at=data["in_progress_at"] or now)
            return copy.deepcopy(data)

    def cancel_batch(self, batch_id: str) -> dict | None:
        with self._lock:
            batch = self._batches.get(batch_id)
            if batch is None:
                return None
            if batch.data["status"] in ("validating", "in_progress"):
                batch.data.update(status="cancelling", cancelling_at=int(time.time()))
            return copy.deepcopy(batch.data)

    def _run_batch(self, batch: _Batch) -> None:
        out, err = [], []
        for number, line in enumerate(batch.input_lines, 1):
            result = self._batch_line(number, line)
            (
                out if result["error"] is None and result["response"]["status_code"] == 200 else err
            ).append(json.dumps(result, ensure_ascii=False))
        now = int(time.time())
        data = batch.data
        data.update(
            status="completed",
            in_progress_at=data["in_progress_at"] or now,
            finalizing_at=now,
            completed_at=now,
            request_counts={
                "total": len(batch.input_lines),
                "completed": len(out),
                "failed": len(err),
            },
        )
        if out:
            data["output_file_id"] = self.add_file(
                f"{data['id']}_output.jsonl", "batch_output", ("\n".join(out) + "\n").encode()
            )["id"]
        if err:
            data["error_file_id"] = self.add_file(
                f"{data['id']}_error.jsonl", "batch_output", ("\n".join(err) + "\n").encode()
            )["id"]

    def _batch_line(self, number: int, line: str) -> dict:
        result: dict[str, Any] = {"id": self._new_id("batch_req_fake"), "custom_id": None}
        try:
            item = json.loads(line)
            body = item["body"]
            result["custom_id"] = item["custom_id"]
            if item.get("url") != "/v1/chat/completions":
                raise ValueError(f"url {item.get('url')!r} is not /v1/chat/completions")
        except (ValueError, KeyError, TypeError) as exc:
            return result | {
                "response": None,
                "error": {"code": "invalid_request", "message": f"line {number}: {exc}"},
            }
        raw = json.dumps(body, sort_keys=True).encode()
        behaviour = self._decide(body, raw, allow_faults=False)
        rec = RecordedRequest(
            "POST",
            "/v1/chat/completions",
            {},
            raw,
            body,
            via="batch",
            custom_id=result["custom_id"],
            key=last_user_text(body),
            behaviour=behaviour.kind,
        )
        if behaviour.kind == "error":
            rec.status = behaviour.status
            response = {"status_code": behaviour.status, "body": self.error_body(behaviour)}
        elif behaviour.kind == "disconnect":
            rec.status = 500
            response = {"status_code": 500, "body": self.error_body(Behaviour.server_error())}
        else:
            rec.status = 200
            response = {"status_code": 200, "body": self.completion(body, behaviour)}
        response["request_id"] = self._new_id("req_fake")
        self._record(rec)
        return result | {"response": response, "error": None}


def _as_text(content: Content) -> str:
    if content is None:
        return DEFAULT_TEXT
    if isinstance(content, str):
        return content
    return json.dumps(content, ensure_ascii=False)


def _plain(value: Content | Behaviour) -> Content:
    return None if isinstance(value, Behaviour) else value


def _pieces(text: str, size: int = 12) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


# --------------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type, fake: FakeOpenAI) -> None:
        self.fake = fake
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # a client reset or closed its keep-alive connection
            return
        self.fake._note_error(exc)
        super().handle_error(request, client_address)  # prints the traceback to stderr

    def close_connections(self) -> None:
        with self._conns_lock:
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-openai/1"
    timeout = 30  # idle keep-alive connections are dropped after this
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        # headers and body are separate writes: without this, delayed ACKs add ~40 ms a call
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # -- plumbing -----------------------------------------------------------------------
    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            for _ in range(1_000_000):  # bounded: one iteration per chunk
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    for _ in range(100):  # trailers up to the blank line
                        if self.rfile.readline() in (b"\r\n", b"\n", b""):
                            break
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(payload, bytes):
            data, ctype = payload, "application/octet-stream"
        else:
            data, ctype = json.dumps(payload, ensure_ascii=False).encode(), "application/json"
        headers = dict(headers or {})
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("Content-Type", ctype))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", self.server.fake._new_id("req_fake"))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _not_found(self) -> None:
        fake = self.server.fake
        self._send(
            404, fake.error_body(Behaviour.error(404, f"no route for {self.command} {self.path}"))
        )

    def _dispatch(self) -> None:
        fake = self.server.fake
        path = urlsplit(self.path).path.rstrip("/")
        body = self._read_body() if self.command == "POST" else b""
        try:
            parsed = (
                json.loads(body)
                if body and "json" in self.headers.get("Content-Type", "")
                else None
            )
        except ValueError:
            parsed = None
        rec = RecordedRequest(
            self.command, path, {k.lower(): v for k, v in self.headers.items()}, body, parsed
        )
        if path.startswith("/_fake/"):
            return self._control(path, parsed)
        if (
            fake.api_key is not None
            and self.headers.get("Authorization") != f"Bearer {fake.api_key}"
        ):
            rec.status = 401
            fake._record(rec)
            return self._send(401, fake.error_body(Behaviour.error(401, code="invalid_api_key")))
        route = (self.command, path)
        if route == ("POST", "/v1/chat/completions"):
            return self._chat(rec)
        fake._record(rec)
        rec.status = 200
        parts = path.split("/")
        if route == ("GET", "/v1/models"):
            now = int(time.time())
            return self._send(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": now, "owned_by": "fake-openai"}
                        for m in fake.models
                    ],
                },
            )
        if self.command == "GET" and len(parts) == 4 and parts[2] == "models":
            return self._send(
                200,
                {
                    "id": parts[3],
                    "object": "model",
                    "created": int(time.time()),
                    "owned_by": "fake-openai",
                },
            )
        if route == ("POST", "/v1/files"):
            return self._upload(rec, body)
        if route == ("GET", "/v1/files"):
            with fake._lock:
                files = [meta for meta, _ in fake._files.values()]
            return self._send(200, {"object": "list", "data": files, "has_more": False})
        if len(parts) >= 4 and parts[2] == "files":
            found = fake.get_file(parts[3])
            if found is None:
                rec.status = 404
                return self._not_found()
            if self.command == "GET" and len(parts) == 4:
                return self._send(200, found[0])
            if self.command == "GET" and len(parts) == 5 and parts[4] == "content":
                return self._send(200, found[1])
            if self.command == "DELETE" and len(parts) == 4:
                with fake._lock:
                    fake._files.pop(parts[3], None)
                return self._send(200, {"id": parts[3], "object": "file", "deleted": True})
        if route == ("POST", "/v1/batches"):
            status, payload = fake.create_batch(parsed or {})
            rec.status = status
            return self._send(status, payload)
        if route == ("GET", "/v1/batches"):
            with fake._lock:
                data = [copy.deepcopy(b.data) for b in fake._batches.values()]
            return self._send(200, {"object": "list", "data": data, "has_more": False})
        if len(parts) >= 4 and parts[2] == "batches":
            if self.command == "GET" and len(parts) == 4:
                payload = fake.poll_batch(parts[3])
            elif self.command == "POST" and len(parts) == 5 and parts[4] == "cancel":
                payload = fake.cancel_batch(parts[3])
            else:
                payload = None
            if payload is not None:
                return self._send(200, payload)
        rec.status = 404
        return self._not_found()

    def _control(self, path: str, parsed: Any) -> None:
        fake = self.server.fake
        if path == "/_fake/stats":
            return self._send(200, fake.stats())
        if path == "/_fake/requests":
            return self._send(200, [r.to_dict() for r in fake.requests])
        if path == "/_fake/reset" and self.command == "POST":
            fake.reset()
            return self._send(200, {"ok": True})
        if path == "/_fake/rules" and self.command == "POST" and isinstance(parsed, dict):
            behaviour = parsed.get("behaviour")
            if isinstance(behaviour, dict) and "kind" in behaviour:
                behaviour = Behaviour.from_dict(behaviour)
            fake.behave(parsed.get("match"), behaviour, times=parsed.get("times"))
            return self._send(200, {"ok": True})
        return self._not_found()

    def _upload(self, rec: RecordedRequest, body: bytes) -> None:
        fake = self.server.fake
        ctype = self.headers.get("Content-Type", "")
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
        )
        fields: dict[str, str] = {}
        upload: tuple[str, bytes] | None = None
        if msg.is_multipart():
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True) or b""
                if filename is not None or name == "file":
                    upload = (filename or "upload.jsonl", payload)
                elif name:
                    fields[str(name)] = payload.decode("utf-8")
        if upload is None:
            rec.status = 400
            return self._send(
                400, fake.error_body(Behaviour.error(400, "multipart field 'file' is required"))
            )
        rec.json = {**fields, "filename": upload[0]}
        meta = fake.add_file(upload[0], fields.get("purpose", "batch"), upload[1])
        return self._send(200, meta)

    def _chat(self, rec: RecordedRequest) -> None:
        fake = self.server.fake
        request_json = rec.json if isinstance(rec.json, dict) else None
        if request_json is None:
            rec.status = 400
            fake._record(rec)
            return self._send(
                400, fake.error_body(Behaviour.error(400, "body must be a JSON object"))
            )
        rec.key = last_user_text(request_json)
        with fake._lock:
            fake._in_flight += 1
            fake._peak = max(fake._peak, fake._in_flight)
        try:
            behaviour = fake._decide(request_json, rec.body, allow_faults=True)
            rec.behaviour = behaviour.kind
            rec.status = behaviour.status if behaviour.kind == "error" else 200
            fake._record(rec)
            # a 429 is a rejection by the rate limiter: it comes back at once, without the
            # generation latency that answers and 5xx pay
            latency = 0.0 if behaviour.status == 429 else fake.latency
            if not fake._sleep(latency + behaviour.delay):
                self.close_connection = True
                return None
            if behaviour.kind == "disconnect":
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return None
            if behaviour.kind == "error":
                return self._send(
                    behaviour.status, fake.error_body(behaviour), fake.error_headers(behaviour)
                )
            if behaviour.kind == "body":
                data = str(behaviour.content).encode()
                return self._send(200, data, {"Content-Type": behaviour.message or "text/html"})
            completion = fake.completion(request_json, behaviour)
            if request_json.get("stream"):
                return self._stream(fake.stream_chunks(request_json, completion))
            return self._send(200, completion)
        finally:
            with fake._lock:
                fake._in_flight -= 1

    def _stream(self, chunks: Iterator[dict]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def write(data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

        for chunk in chunks:
            write(b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n")
        write(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")

    def _handle_safely(self) -> None:
        try:
            self._dispatch()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)

    do_GET = do_POST = do_DELETE = _handle_safely


# --------------------------------------------------------------------------- subprocess helper


class FakeOpenAIProcess:
    """Run the server as a separate process (for benches and out-of-process tests)::

    with FakeOpenAIProcess("--latency-ms", "200") as proc:
        run_something(base_url=proc.base_url)
        print(proc.stats())
    """

    def __init__(self, *args: str, startup_timeout: float = 10.0) -> None:
        self.args = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--port",
            "0",
            "--exit-on-stdin-eof",
            *args,
        ]
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> FakeOpenAIProcess:
        self.proc = subprocess.Popen(
            self.args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], self.startup_timeout)
        line = self.proc.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            self.__exit__()
            raise RuntimeError(f"fake server did not start: {line!r}")
        self.base_url = line
        return self

    def _get(self, path: str) -> Any:
        import urllib.request

        url = self.base_url.removesuffix("/v1") + path
        with urllib.request.urlopen(url, timeout=5) as resp:  # loopback only
            return json.loads(resp.read())

    def stats(self) -> dict[str, Any]:
        return self._get("/_fake/stats")

    def recorded(self) -> list[dict[str, Any]]:
        return self._get("/_fake/requests")

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fake-openai", description="OpenAI-compatible fake server on loopback."
    )
    parser.add_argument("--host", default="127.0.0.1", choices=LOOPBACK_HOSTS)
    parser.add_argument("--port", type=int, default=0, help="0: any free port (default)")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--fault-rate", type=float, default=0.0, help="0..1, per request")
    parser.add_argument("--fault-kinds", default="429,500", help=f"comma list of {sorted(FAULTS)}")
    parser.add_argument("--fault-retry-after", type=float, default=0.5, help="seconds, for 429/503")
    parser.add_argument("--max-faults-per-request", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-polls", type=int, default=3)
    parser.add_argument("--api-key", default=None, help="require this bearer key (default: any)")
    parser.add_argument(
        "--max-seconds", type=float, default=3600.0, help="stop after this long (0: never)"
    )
    parser.add_argument(
        "--exit-on-stdin-eof", action="store_true", help="stop when stdin is closed"
    )
    args = parser.parse_args(argv)
    server = FakeOpenAI(
        host=args.host,
        port=args.port,
        latency_ms=args.latency_ms,
        fault_rate=args.fault_rate,
        fault_kinds=tuple(k for k in args.fault_kinds.split(",") if k),
        fault_retry_after=args.fault_retry_after,
        max_faults_per_request=args.max_faults_per_request,
        seed=args.seed,
        batch_polls=args.batch_polls,
        api_key=args.api_key,
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if args.exit_on_stdin_eof:  # the parent died or closed the pipe: stop too

        def watch_stdin() -> None:
            # raw reads: a daemon thread blocked in sys.stdin's buffered reader would abort
            # the interpreter at exit
            with contextlib.suppress(OSError):
                for _ in range(1_000_000):
                    if not os.read(0, 4096):
                        break
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True).start()
    with server:
        print(server.base_url, flush=True)
        stop.wait(args.max_seconds if args.max_seconds > 0 else None)
        print(json.dumps(server.stats()), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
