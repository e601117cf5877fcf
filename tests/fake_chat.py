"""A small fake chat model of our own for unit tests, with structured output.

LangChain's stock fakes cannot do ``with_structured_output`` and answer in call order
(or sequentially) under concurrency. This one subclasses ``BaseChatModel``, answers by a
key found in the last user message, sleeps asynchronously (so concurrency is real), and
implements ``with_structured_output(..., method="json_schema", include_raw=True)`` the
way ChatOpenAI reports results: ``{"raw", "parsed", "parsing_error"}``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableLambda
from pydantic import ConfigDict, Field, ValidationError


class FakeStructuredChat(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    answer: Callable[[str], Any]  # user messages → dict (JSON answer) or str
    delay: float = 0.0
    calls: list[str] = Field(default_factory=list)
    active: int = 0
    peak: int = 0
    # ("start" | "end", user messages) in the order they happened, so tests can assert
    # overlap and ordering instead of wall time (which flakes on a loaded machine).
    events: list[tuple[str, str]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "fake-structured-chat"

    def _content(self, messages: list[BaseMessage]) -> str:
        # The whole user side of the conversation, so a re-ask still names its section.
        said = "\n".join(str(m.content) for m in messages if m.type == "human")
        self.calls.append(said)
        answer = self.answer(said)
        return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:  # fmt: skip
        message = AIMessage(content=self._content(messages),
                            usage_metadata={"input_tokens": 10, "output_tokens": 5,
                                            "total_tokens": 15})  # fmt: skip
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(self, messages: list[BaseMessage], stop: Any = None,
                         run_manager: Any = None, **kwargs: Any) -> ChatResult:  # fmt: skip
        said = "\n".join(str(m.content) for m in messages if m.type == "human")
        self.active += 1
        self.peak = max(self.peak, self.active)
        self.events.append(("start", said))
        try:
            await asyncio.sleep(self.delay)
            return self._generate(messages)
        finally:
            self.active -= 1
            self.events.append(("end", said))

    def with_structured_output(self, schema: Any, *, method: str = "function_calling",
                               include_raw: bool = False, **kwargs: Any) -> Any:  # fmt: skip
        assert method == "json_schema", "laureate-writer must ask for json_schema explicitly"

        async def run(messages: Any) -> Any:
            raw = await self.ainvoke(messages)
            try:
                parsed, error = schema.model_validate_json(raw.content), None
            except ValidationError as exc:
                parsed, error = None, exc
            if include_raw:
                return {"raw": raw, "parsed": parsed, "parsing_error": error}
            if error:
                raise error
            return parsed

        return RunnableLambda(lambda m: asyncio.run(run(m)), afunc=run)
