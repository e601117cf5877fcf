"""How a model writer talks to its model: one structured call, two clients, one answer.

The writer (:mod:`.chat`) owns the loop that matters — cache, re-asks with the
validation error, refusals, truncation — and reads only an :class:`Answer`. Behind it:

* :class:`OpenAIClient` — the ``openai`` SDK itself, for OpenAI and OpenAI-compatible
  servers (the default for ``openai:`` models). One request is one SDK call with a strict
  JSON-schema response format built once per schema; the SDK retries 429 (honouring
  Retry-After), 5xx and timeouts with backoff. It is the lean path for production runs:
  per request it costs about a third of the CPU of the LangChain path, and it starts
  without importing LangChain (``bench/palmares`` measures both).
* :class:`LangChainClient` — any LangChain chat model (Anthropic, Mistral, Ollama… through
  ``init_chat_model``; ``client = "langchain"`` for OpenAI too), through
  ``with_structured_output(method="json_schema", include_raw=True)``.

Two backends behind one interface, the way simonw/llm ships its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

CLIENTS = ("openai", "langchain")


@dataclass(frozen=True, slots=True)
class Answer:
    """One structured answer, whatever the client. ``parsed`` is set only when the answer
    validated; otherwise ``error`` says why (for the re-ask) and ``content`` holds the raw
    text when there was one (shown back to the model)."""

    parsed: BaseModel | None = None
    error: str | None = None
    content: str = ""
    refused: bool = False
    truncated: bool = False
    tokens_in: int = 0
    tokens_out: int = 0


class StructuredClient(Protocol):
    name: str
    rate_limiter: Any  # anything with ``async aacquire()``, awaited before each request

    async def ask(self, schema: type[BaseModel], messages: list[dict[str, str]]) -> Answer:
        """One request. API errors (HTTP, timeouts) propagate as the client raises them."""
        ...

    def request_body(
        self, schema: type[BaseModel], messages: list[dict[str, str]]
    ) -> dict[str, Any]:
        """The chat-completion request ``ask`` would send (a Batch API line's body)."""
        ...

    def openai_settings(self) -> dict[str, Any] | None:
        """api_key, base_url, max_retries and timeout of an OpenAI-compatible endpoint
        (for the Batch API's files and batches); None for any other provider."""
        ...


def short_error(error: BaseException) -> str:
    """The first lines of an error, short enough for a re-ask prompt."""
    text = str(error).strip().splitlines()
    return " ".join(text[:3])[:300] or type(error).__name__


def response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """The strict JSON-schema response format for ``schema``, as the SDK builds it."""
    from openai.lib._parsing._completions import type_to_response_format_param

    return dict(type_to_response_format_param(schema))  # type: ignore[arg-type]


class OpenAIClient:
    """Chat completions through the ``openai`` SDK's async client."""

    name = "openai"

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        params: dict[str, Any],
    ) -> None:
        from openai import AsyncOpenAI, DefaultAsyncHttpxClient

        self.model = model
        self.api_key = api_key or "not-needed"  # local servers ignore it; the SDK wants one
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        # as LangChain sends them: max_tokens is deprecated in favour of the other name
        self.params = {
            ("max_completion_tokens" if k == "max_tokens" else k): v
            for k, v in params.items()
            if v is not None
        }
        # A client of its own (an async client belongs to the event loop it first ran on).
        self.client = AsyncOpenAI(
            api_key=self.api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_client=DefaultAsyncHttpxClient(),
        )
        self.rate_limiter: Any = None
        self._formats: dict[type[BaseModel], dict[str, Any]] = {}
        # When set, answers are streamed and each piece of content is passed to it as it
        # arrives (the desk shows a model's rewrite as it is written).
        self.on_delta: Callable[[str], None] | None = None

    def openai_settings(self) -> dict[str, Any] | None:
        return {"api_key": self.api_key, "base_url": self.base_url,
                "max_retries": self.max_retries, "timeout": self.timeout}  # fmt: skip

    def request_body(
        self, schema: type[BaseModel], messages: list[dict[str, str]]
    ) -> dict[str, Any]:
        """The chat-completion request for ``messages`` (also a Batch API line's body)."""
        if schema not in self._formats:
            self._formats[schema] = response_format(schema)
        return {
            "model": self.model,
            "messages": messages,
            "response_format": self._formats[schema],
            **self.params,
        }

    async def ask(self, schema: type[BaseModel], messages: list[dict[str, str]]) -> Answer:
        if self.rate_limiter is not None:
            await self.rate_limiter.aacquire()
        if self.on_delta is not None:
            with not_a_completion():
                return await self._streamed(schema, messages, self.on_delta)
        with not_a_completion():
            completion = await self.client.chat.completions.create(
                **self.request_body(schema, messages)
            )
        return answer_from_completion(schema, completion)

    async def _streamed(
        self,
        schema: type[BaseModel],
        messages: list[dict[str, str]],
        on_delta: Callable[[str], None],
    ) -> Answer:
        """The same request, streamed; the chunks are put back together into the
        completion ``answer_from_completion`` reads."""
        stream = await self.client.chat.completions.create(
            **self.request_body(schema, messages),
            stream=True,
            stream_options={"include_usage": True},
        )
        content: list[str] = []
        refusal: list[str] = []
        finish = None
        usage: dict[str, Any] = {}
        async for chunk in stream:
            if chunk.usage is not None:
                usage = chunk.usage.model_dump()
            for choice in chunk.choices[:1]:
                delta = choice.delta
                if delta.content:
                    content.append(delta.content)
                    on_delta(delta.content)
                if getattr(delta, "refusal", None):
                    refusal.append(delta.refusal)
                finish = choice.finish_reason or finish
        message = {"content": "".join(content), "refusal": "".join(refusal) or None}
        completion = {"choices": [{"message": message, "finish_reason": finish}], "usage": usage}
        return answer_from_completion(schema, completion)


class ModelAnswerError(Exception):
    """The server answered 200 with something that is not a chat completion (an HTML
    login page, a body that is not JSON, JSON of another shape): a model fault like a
    5xx — the section fails with this reason, the run goes on."""


# What the SDKs raise while reading a body they did not expect (never our own inputs:
# those are checked before the request is sent).
_READING_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError)


@contextmanager
def not_a_completion() -> Iterator[None]:
    try:
        yield
    except ValidationError:
        raise
    except _READING_ERRORS as exc:
        raise ModelAnswerError(
            f"la réponse du serveur n’est pas une complétion de chat ({type(exc).__name__})"
        ) from None


def answer_from_completion(schema: type[BaseModel], completion: Any) -> Answer:
    """An :class:`Answer` from a chat completion (an SDK object or, from a Batch API
    output line, the same as a dict); anything else is a :class:`ModelAnswerError`."""
    with not_a_completion():
        return _answer_from_completion(schema, completion)


def _answer_from_completion(schema: type[BaseModel], completion: Any) -> Answer:
    if isinstance(completion, str | bytes):  # the SDK hands back a body it could not read
        raise ModelAnswerError("la réponse du serveur n’est pas une complétion de chat (texte)")
    data = completion if isinstance(completion, dict) else completion.model_dump(warnings=False)
    usage = data.get("usage") or {}
    tokens = {
        "tokens_in": usage.get("prompt_tokens") or 0,
        "tokens_out": usage.get("completion_tokens") or 0,
    }
    choices = data.get("choices") or []
    if not choices:
        return Answer(error="réponse sans « choices »", **tokens)
    message = choices[0].get("message") or {}
    if message.get("refusal"):
        return Answer(refused=True, **tokens)
    content = message.get("content") or ""
    if choices[0].get("finish_reason") == "length":
        return Answer(truncated=True, content=content, **tokens)
    try:
        parsed = schema.model_validate_json(content)
    except ValidationError as exc:
        return Answer(error=short_error(exc), content=content, **tokens)
    return Answer(parsed=parsed, content=content, **tokens)


class LangChainClient:
    """Any LangChain chat model, asked through its structured output."""

    name = "langchain"

    def __init__(self, chat_model: Any) -> None:
        self.chat_model = chat_model
        self._runnables: dict[type[BaseModel], Any] = {}

    @property
    def rate_limiter(self) -> Any:
        return getattr(self.chat_model, "rate_limiter", None)

    @rate_limiter.setter
    def rate_limiter(self, limiter: Any) -> None:
        self.chat_model.rate_limiter = None if limiter is None else _langchain_limiter(limiter)

    def openai_settings(self) -> dict[str, Any] | None:
        chat = self.chat_model
        if not hasattr(chat, "_get_request_payload") or not hasattr(chat, "openai_api_base"):
            return None  # not LangChain's ChatOpenAI
        key = chat.openai_api_key.get_secret_value() if chat.openai_api_key else None
        return {"api_key": key or "not-needed", "base_url": chat.openai_api_base,
                "max_retries": chat.max_retries, "timeout": chat.request_timeout}  # fmt: skip

    def _structured(self, schema: type[BaseModel]) -> Any:
        # Built once per schema: LangChain builds parsers and models on every call.
        if schema not in self._runnables:
            self._runnables[schema] = self.chat_model.with_structured_output(
                schema, method="json_schema", include_raw=True
            )
        return self._runnables[schema]

    def request_body(
        self, schema: type[BaseModel], messages: list[dict[str, str]]
    ) -> dict[str, Any]:
        """The request an OpenAI chat model would send (Batch API lines)."""
        if not hasattr(self.chat_model, "_get_request_payload"):
            raise ValueError("--via batch needs an OpenAI model (OpenAI or compatible Batch API)")
        body = self.chat_model._get_request_payload(
            messages, response_format=response_format(schema)
        )
        body.pop("stream", None)
        return body

    async def ask(self, schema: type[BaseModel], messages: list[dict[str, str]]) -> Answer:
        try:
            with not_a_completion():
                out = await self._structured(schema).ainvoke(messages)
        except ValidationError as exc:
            # The SDK validates a structured answer inside the call: invalid JSON or a
            # schema mismatch surfaces here, and deserves a re-ask, not a failure.
            return Answer(error=short_error(exc))
        except Exception as exc:
            if type(exc).__name__ == "LengthFinishReasonError":
                return Answer(truncated=True)
            raise
        raw = out["raw"]
        usage = getattr(raw, "usage_metadata", None) or {}
        tokens = {
            "tokens_in": usage.get("input_tokens", 0),
            "tokens_out": usage.get("output_tokens", 0),
        }
        error = out.get("parsing_error")
        if raw.additional_kwargs.get("refusal") or type(error).__name__ == "OpenAIRefusalError":
            return Answer(refused=True, **tokens)
        content = str(raw.content or "")
        if (raw.response_metadata or {}).get("finish_reason") == "length":
            return Answer(truncated=True, content=content, **tokens)
        parsed = out.get("parsed")
        if error is not None:
            return Answer(error=short_error(error), content=content, **tokens)
        return Answer(parsed=parsed, content=content, **tokens)


def _langchain_limiter(limiter: Any) -> Any:
    """``limiter`` (anything with ``acquire``/``aacquire``, such as the production run's
    token bucket) as the ``BaseRateLimiter`` LangChain chat models accept."""
    from langchain_core.rate_limiters import BaseRateLimiter

    if isinstance(limiter, BaseRateLimiter):
        return limiter

    class _Adapter(BaseRateLimiter):
        def acquire(self, *, blocking: bool = True) -> bool:
            return limiter.acquire(blocking=blocking)

        async def aacquire(self, *, blocking: bool = True) -> bool:
            return await limiter.aacquire(blocking=blocking)

    return _Adapter()
