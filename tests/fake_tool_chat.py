"""A fake chat model that emits tool calls, for driving LangChain agents in tests.

LangChain's stock fakes raise on ``bind_tools``. This one accepts it (recording the tool
names it was given) and answers from a script, one step per model call: an ``AIMessage``
(tool calls or text), a string (a text answer), or a callable ``(messages) -> either`` that
can read the tool results so far. Text answers stream word by word, as real models do.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

Step = AIMessage | str | Callable[[list[BaseMessage]], "AIMessage | str"]
_ids = itertools.count(1)


def call(name: str, **args: Any) -> dict[str, Any]:
    """One tool call, for ``calls(...)``."""
    return {"name": name, "args": args, "id": f"call_{next(_ids)}", "type": "tool_call"}


def calls(*tool_calls: dict[str, Any]) -> AIMessage:
    """An assistant message asking for these tool calls."""
    return AIMessage(content="", tool_calls=list(tool_calls))


class FakeToolChat(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    script: list[Any] = Field(default_factory=list)
    final: str = "C'est fait."
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    bound: list[str] = Field(default_factory=list)
    position: int = 0

    @property
    def _llm_type(self) -> str:
        return "fake-tool-chat"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Any:
        self.bound = [getattr(t, "name", None) or t.get("name") for t in tools]
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.seen.append(list(messages))
        step: Step = self.script[self.position] if self.position < len(self.script) else self.final
        self.position += 1
        if callable(step) and not isinstance(step, AIMessage):
            step = step(messages)
        return step if isinstance(step, AIMessage) else AIMessage(content=step)

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:  # fmt: skip
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:  # fmt: skip
        message = self._next(messages)
        if message.tool_calls:
            chunk = AIMessageChunk(content="", tool_call_chunks=[
                {"name": c["name"], "args": __import__("json").dumps(c["args"]),
                 "id": c["id"], "index": i, "type": "tool_call_chunk"}
                for i, c in enumerate(message.tool_calls)
            ])  # fmt: skip
            yield ChatGenerationChunk(message=chunk)
            return
        words = str(message.content).split(" ")
        for i, word in enumerate(words):
            piece = word if i == len(words) - 1 else word + " "
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager is not None:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
