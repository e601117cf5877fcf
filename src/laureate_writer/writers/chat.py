"""The model-backed writer: a chat model (:mod:`.clients`), asked for structured sections.

One idea at the centre (as in instructor): a section comes back as a validated pydantic
object, and invalid output is re-asked with the validation error — a bounded loop of our
own, kept apart from HTTP retries (the SDK retries 429/5xx/timeouts with backoff that
honours Retry-After). API errors never go into a re-ask prompt; the API key never goes
into any message.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from laureate_writer.article import SectionKind
from laureate_writer.cache import ResponseCache, request_key
from laureate_writer.dossier import Dossier, Edition
from laureate_writer.loading import normalize_text
from laureate_writer.prompts import Templates
from laureate_writer.violations import Violation
from laureate_writer.writers.base import SectionDraft, SectionRequest, Writer
from laureate_writer.writers.clients import LangChainClient, StructuredClient
from laureate_writer.writers.schemas import output_schema

REASK = (
    "Ta réponse précédente n'est pas un objet JSON valide pour le schéma demandé "
    "({error}). Réponds uniquement avec l'objet JSON corrigé."
)
TRUNCATED = (
    "Ta réponse précédente a été coupée par la limite de longueur. Réponds de nouveau, "
    "plus brièvement, avec l'objet JSON complet."
)


class SectionFailure(Exception):
    """A section that could not be drafted; the reason is safe to show and store."""

    def __init__(self, kind: SectionKind, reason: str) -> None:
        super().__init__(f"{kind.value}: {reason}")
        self.kind = kind
        self.reason = reason


def fenced_json(data: Any, *, indent: int | None = 1) -> str:
    """Data for a prompt fence: JSON (every string on one line) with every '<' and '>'
    escaped, so no value can close its fence or open a tag of its own."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def dossier_json(dossier: Dossier) -> str:
    """The dossier as fenced data (the one place dossier values enter a prompt)."""
    return fenced_json(dossier.model_dump(mode="json", exclude_none=True))


def fenced_text(text: str | None) -> str | None:
    """Prose for a prompt fence (a draft, another section, an instruction): its '<' and
    '>' written as entities, so it cannot close its fence."""
    if text is None:
        return None
    return text.replace("<", "&lt;").replace(">", "&gt;")


def violations_json(violations: Sequence[Violation]) -> str:
    """What the checks found, as fenced data: findings quote the draft and the dossier."""
    return fenced_json(
        [
            {
                "checker": v.checker,
                "rule": v.rule,
                "excerpt": v.excerpt,
                "message": v.message,
                **({"suggestion": v.suggestion} if v.suggestion else {}),
            }
            for v in violations
        ]
    )


def describe_api_error(exc: BaseException, endpoint: str | None = None) -> str | None:
    """A short, secret-free reason for an error raised by the model client, or None if
    the exception does not come from it. ``endpoint``: the server's base URL, named
    when it cannot be reached."""
    module = type(exc).__module__
    name = type(exc).__name__
    if name == "ModelAnswerError":
        return str(exc)
    if not (
        module.startswith(("openai", "httpx", "httpcore", "langchain"))
        or name in ("TimeoutError", "OpenAIRefusalError", "LengthFinishReasonError")
    ):
        return None
    status = getattr(exc, "status_code", None)
    if "Timeout" in name:
        return NO_ANSWER_IN_TIME
    if name == "LengthFinishReasonError":
        return CUT_BY_LIMIT
    if name == "OpenAIRefusalError":
        return REFUSED
    if "Connection" in name or name == "ConnectError":
        where = f" : {endpoint}" if endpoint else ""
        return f"serveur du modèle injoignable{where}"
    if status is not None:
        return f"{_STATUS_REASONS.get(status, 'erreur de l’API du modèle')} ({status})"
    return f"erreur de l’API du modèle ({name})"


NO_ANSWER_IN_TIME = "le modèle n’a pas répondu à temps"
CUT_BY_LIMIT = "réponse coupée par la limite de jetons"
REFUSED = "le modèle a refusé d’écrire cette section"
_STATUS_REASONS = {  # what an HTTP status of the model's API means for the editor
    400: "requête refusée par le serveur du modèle",
    401: "clé d’API refusée",
    403: "accès au modèle refusé",
    404: "modèle ou adresse inconnus du serveur",
    408: NO_ANSWER_IN_TIME,
    413: "requête trop longue pour le serveur",
    422: "requête refusée par le serveur du modèle",
    429: "trop de requêtes ou quota épuisé",
    500: "erreur du serveur du modèle",
    502: "serveur du modèle indisponible",
    503: "serveur du modèle indisponible",
    504: NO_ANSWER_IN_TIME,
}


class ChatModelWriter(Writer):
    """Drafts sections with a chat model through structured output: the ``openai`` SDK
    or any LangChain chat model, behind :mod:`.clients`."""

    supports_revision = True

    def __init__(
        self,
        model: Any,
        model_name: str,
        *,
        prompts: Sequence[str | Path] = (),
        style_summary: Sequence[str] = (),
        max_reasks: int = 2,
        cache: ResponseCache | None = None,
        params: dict[str, Any] | None = None,
        section_limits: dict[str, list[str]] | None = None,
    ) -> None:
        """``model``: a :class:`~.clients.StructuredClient`, or a LangChain chat model
        (wrapped in a :class:`~.clients.LangChainClient`)."""
        self.client: StructuredClient = model if hasattr(model, "ask") else LangChainClient(model)
        self.name = self.client.name
        self.model = model_name
        self.templates = Templates(prompts)
        self.style_summary = list(style_summary)
        self.max_reasks = max_reasks
        self.cache = cache
        self.params = params or {}
        self.section_limits = section_limits or {}
        self.calls = 0  # model calls made (not served from the cache)
        self._schemas: dict[type[BaseModel], dict[str, Any]] = {}
        self._messages: dict[tuple[Any, ...], list[dict[str, str]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_lock = threading.Lock()

    def endpoint(self) -> str | None:
        """The base URL of an OpenAI-compatible server (None for other providers)."""
        url = getattr(self.client, "base_url", None)
        if url is None and hasattr(self.client, "openai_settings"):
            found = self.client.openai_settings()
            url = found.get("base_url") if found else None
        if url is None and self.client.name == "openai":
            url = "https://api.openai.com/v1"
        return str(url) if url else None

    # --- one event loop for the model client --------------------------------------------

    async def _on_own_loop(self, coro: Any) -> Any:
        """Run a model call on the writer's own event loop (a daemon thread). Async HTTP
        clients are bound to the loop they first ran on, and callers — a CLI command, a
        script calling the sync API twice, a chat server — each bring their own loop."""
        if self._loop is None:
            with self._loop_lock:
                if self._loop is None:
                    loop = asyncio.new_event_loop()
                    threading.Thread(
                        target=loop.run_forever, name="lw-model-loop", daemon=True
                    ).start()
                    self._loop = loop
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            future.cancel()
            raise

    # --- prompts -------------------------------------------------------------------

    # No dossier value is ever passed to an instruction template (system, briefs): a
    # template cannot quote what it is not given. Dossier values enter a prompt only as
    # ``dossier_json``, inside the <dossier> fence; every other text is escaped.

    def _system(self) -> str:
        return self.templates.render("model/system.md.j2", style_summary=self.style_summary).strip()

    def _brief(self, request: SectionRequest) -> str:
        return self.templates.render(f"model/sections/{request.kind.value}.md.j2").strip()

    def _drafted(self, request: SectionRequest) -> dict[str, str]:
        return {
            k.french: fenced_text(v) or ""
            for k, v in request.drafted.items()
            if k != SectionKind.prize_label and k != request.kind
        }

    def cache_key(self, kind: SectionKind, messages: list[dict[str, str]]) -> str:
        """The response cache's key: everything that shapes the answer."""
        schema_json = self._schema_json(output_schema(kind))
        payload = {
            "model": self.model,
            "params": self.params,
            "messages": messages,
            "schema": schema_json,
        }
        return request_key(payload)

    def _schema_json(self, schema: type[BaseModel]) -> dict[str, Any]:
        if schema not in self._schemas:
            self._schemas[schema] = schema.model_json_schema()
        return self._schemas[schema]

    def messages(self, request: SectionRequest) -> list[dict[str, str]]:
        """The rendered messages for one section (also what tests inspect). Memoised:
        a production run asks for them to key its journal, then to call the model."""
        memo_key = (
            request.dossier.content_hash(),
            request.kind,
            request.instruction,
            tuple(sorted((k.value, v) for k, v in request.drafted.items())),
        )
        if memo_key not in self._messages:
            if len(self._messages) > 4096:
                self._messages.clear()
            self._messages[memo_key] = self._render_messages(request)
        return [dict(m) for m in self._messages[memo_key]]

    def _render_messages(self, request: SectionRequest) -> list[dict[str, str]]:
        user = self.templates.render(
            "model/section.md.j2",
            kind=request.kind.french,
            brief=self._brief(request),
            drafted=self._drafted(request),
            dossier_json=dossier_json(request.dossier),
            limits=self.section_limits.get(request.kind.value, []),
        )
        return [
            {"role": "system", "content": self._system()},
            {"role": "user", "content": user.strip()},
        ]

    def template_hashes(self, *names: str) -> str:
        return "+".join(self.templates.source_hash(n) for n in names)

    # --- the structured call with re-asks -------------------------------------------

    async def _ask(
        self, kind: SectionKind, messages: list[dict[str, str]], *, use_cache: bool = True
    ) -> tuple[BaseModel, int, int]:
        schema = output_schema(kind)
        key = self.cache_key(kind, messages)
        if use_cache and self.cache is not None and (hit := self.cache.get(key)):
            return schema.model_validate(hit["parsed"]), hit["tokens_in"], hit["tokens_out"]
        conversation: list[dict[str, str]] = list(messages)
        tokens_in = tokens_out = 0
        last_error = "pas de réponse"
        for _attempt in range(1 + self.max_reasks):
            self.calls += 1
            try:
                answer = await self._on_own_loop(self.client.ask(schema, conversation))
            except Exception as exc:
                reason = describe_api_error(exc, self.endpoint())
                if reason is None:
                    raise
                raise SectionFailure(kind, reason) from None
            tokens_in += answer.tokens_in
            tokens_out += answer.tokens_out
            if answer.refused:
                raise SectionFailure(kind, REFUSED)
            if answer.truncated:
                last_error = CUT_BY_LIMIT
                conversation = [*conversation, {"role": "user", "content": TRUNCATED}]
                continue
            parsed = answer.parsed
            if parsed is not None and getattr(parsed, "text", "").strip():
                if self.cache is not None:
                    cached = {
                        "parsed": parsed.model_dump(),
                        "tokens_in": tokens_in,
                        "tokens_out": tokens_out,
                    }
                    self.cache.put(key, self.model, cached)
                return parsed, tokens_in, tokens_out
            last_error = answer.error or "texte vide"
            if answer.content:
                conversation = [
                    *conversation,
                    {"role": "assistant", "content": answer.content[:4000]},
                ]
            conversation = [
                *conversation,
                {"role": "user", "content": REASK.format(error=last_error)},
            ]
        raise SectionFailure(
            kind, f"pas de réponse valide après {1 + self.max_reasks} essais : {last_error}"
        )

    def make_draft(
        self, kind: SectionKind, parsed: BaseModel, template: str, tokens: tuple[int, int]
    ) -> SectionDraft:
        return SectionDraft(
            kind=kind,
            # model text in NFC with plain line ends, like every text we read
            text=normalize_text(parsed.text).strip(),  # type: ignore[attr-defined]
            intertitle=normalize_text(getattr(parsed, "intertitle", None) or "") or None,
            template=template,
            template_hash=self.template_hashes("model/system.md.j2", template),
            model=self.model,
            tokens_in=tokens[0],
            tokens_out=tokens[1],
        )

    # --- the Writer interface ------------------------------------------------------

    async def adraft_section(self, request: SectionRequest) -> SectionDraft:
        parsed, t_in, t_out = await self._ask(request.kind, self.messages(request))
        return self.make_draft(
            request.kind, parsed, f"model/sections/{request.kind.value}.md.j2", (t_in, t_out)
        )

    def draft_section(self, request: SectionRequest) -> SectionDraft:
        return asyncio.run(self.adraft_section(request))

    def revise_messages(
        self, request: SectionRequest, draft: SectionDraft, violations: list[Violation]
    ) -> list[dict[str, str]]:
        """The revise round's messages: the draft and what the checks found in it."""
        user = self.templates.render(
            "model/revise.md.j2",
            kind=request.kind.french,
            intertitle=fenced_text(draft.intertitle),
            text=fenced_text(draft.text),
            violations_json=violations_json(violations),
            dossier_json=dossier_json(request.dossier),
        )
        return [
            {"role": "system", "content": self._system()},
            {"role": "user", "content": user.strip()},
        ]

    def revised_draft(
        self, previous: SectionDraft, parsed: BaseModel, tokens: tuple[int, int]
    ) -> SectionDraft:
        """The revised section, its tokens added to those of the draft it replaces."""
        revised = self.make_draft(previous.kind, parsed, "model/revise.md.j2", tokens)
        return revised.model_copy(
            update={
                "tokens_in": (previous.tokens_in or 0) + tokens[0],
                "tokens_out": (previous.tokens_out or 0) + tokens[1],
            }
        )

    async def arevise(
        self, request: SectionRequest, draft: SectionDraft, violations: list[Violation]
    ) -> SectionDraft:
        messages = self.revise_messages(request, draft, violations)
        parsed, t_in, t_out = await self._ask(request.kind, messages)
        return self.revised_draft(draft, parsed, (t_in, t_out))

    def regenerate_messages(
        self, request: SectionRequest, current_text: str, current_intertitle: str | None
    ) -> list[dict[str, str]]:
        """The messages asking to rewrite one section on an editor's instruction."""
        user = self.templates.render(
            "model/regenerate.md.j2",
            kind=request.kind.french,
            intertitle=fenced_text(current_intertitle),
            text=fenced_text(current_text),
            instruction=fenced_text(request.instruction) or "",
            drafted=self._drafted(request),
            dossier_json=dossier_json(request.dossier),
            brief=self._brief(request),
        )
        return [
            {"role": "system", "content": self._system()},
            {"role": "user", "content": user.strip()},
        ]

    async def aregenerate(
        self, request: SectionRequest, current_text: str, current_intertitle: str | None
    ) -> SectionDraft:
        """Rewrite one section on an editor's instruction; never served from the cache."""
        messages = self.regenerate_messages(request, current_text, current_intertitle)
        parsed, t_in, t_out = await self._ask(request.kind, messages, use_cache=False)
        return self.make_draft(request.kind, parsed, "model/regenerate.md.j2", (t_in, t_out))

    def intro_messages(self, edition: Edition, labels: list[str]) -> list[dict[str, str]]:
        """The messages asking for the palmarès page's intro, from the edition's facts."""
        data = edition.model_dump(mode="json", exclude_none=True)
        user = self.templates.render(
            "model/page_intro.md.j2",
            edition_json=fenced_json({**data, "laureats": labels}, indent=None),
        )
        return [
            {"role": "system", "content": self._system()},
            {"role": "user", "content": user.strip()},
        ]

    async def adraft_intro(self, edition: Edition, laureates: list[str]) -> tuple[str, int, int]:
        """The palmarès page's intro paragraph, from the edition's facts only."""
        messages = self.intro_messages(edition, laureates)
        parsed, t_in, t_out = await self._ask(SectionKind.lead, messages)
        return normalize_text(parsed.text).strip(), t_in, t_out  # type: ignore[attr-defined]
