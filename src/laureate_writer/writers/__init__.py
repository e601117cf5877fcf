"""Writers: every way of drafting a section, behind one interface (:mod:`.base`).

``offline`` is the embedded default; model-backed writers are built only when asked for,
so commands that need no model never load a model client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from laureate_writer.loading import InputError
from laureate_writer.writers.base import SectionDraft, SectionRequest, Writer

if TYPE_CHECKING:
    from laureate_writer.settings import Settings


def get_writer(
    spec: str | None = None,
    *,
    prompts: list[str] | None = None,
    settings: Settings | None = None,
    style_summary: list[str] | None = None,
    section_limits: dict[str, list[str]] | None = None,
    layout: str | None = None,
) -> Writer:
    """The writer for ``spec``: "offline" (default) or a model ("openai:gpt-4.1-mini",
    "gpt-4.1-mini" for an OpenAI-compatible server, any init_chat_model string)."""
    if spec in (None, "", "offline"):
        from laureate_writer.writers.offline import OfflineWriter

        return OfflineWriter(prompts=prompts or [], layout=layout)
    from laureate_writer.settings import load_settings

    settings = settings or load_settings(model=spec)
    from laureate_writer.writers.chat import ChatModelWriter

    client, params = build_client(spec, settings)
    cache = open_cache(settings) if settings.cache else None
    return ChatModelWriter(
        client,
        spec,
        prompts=[*(prompts or []), *map(str, settings.prompts)],
        style_summary=style_summary or [],
        max_reasks=settings.max_reasks,
        cache=cache,
        params=params,
        section_limits=section_limits,
    )


def open_cache(settings: Settings) -> Any:
    """The response cache, or an InputError naming where its path was set."""
    from laureate_writer.cache import CacheError, ResponseCache

    try:
        return ResponseCache(settings.cache_path)
    except CacheError as exc:
        where, line, column = settings.origin("cache_path")
        raise InputError.single(where, str(exc), line, column, field="cache_path") from None


def _split(spec: str) -> tuple[str, str]:
    provider, _, name = spec.partition(":") if ":" in spec else ("openai", "", spec)
    return provider, name


def _params(settings: Settings) -> dict[str, Any]:
    """The parameters that shape the answers (part of the cache key)."""
    return {"temperature": settings.temperature, "max_tokens": settings.max_tokens}


def _openai_credentials(settings: Settings) -> tuple[str | None, str | None]:
    base_url = settings.resolved_base_url()
    api_key = settings.resolved_api_key()
    if not api_key and not base_url:
        where, line, column = settings.origin("model")
        raise InputError.single(
            where,
            "pas de clé d’API : définissez OPENAI_API_KEY (ou OPENAI_BASE_URL pour un serveur "
            "local compatible OpenAI), ou utilisez --model offline",
            line,
            column,
            field="model",
        )
    return api_key, base_url


def build_client(spec: str, settings: Settings) -> tuple[Any, dict[str, Any]]:
    """The structured-output client for ``spec`` (:mod:`.clients`) and the parameters
    that shape its answers: the ``openai`` SDK for OpenAI-compatible models unless
    ``client`` says "langchain"; LangChain for every other provider."""
    provider, name = _split(spec)
    if provider == "openai" and settings.client == "openai":
        from laureate_writer.writers.clients import OpenAIClient

        api_key, base_url = _openai_credentials(settings)
        params = _params(settings)
        client = OpenAIClient(name, api_key=api_key, base_url=base_url, timeout=settings.timeout,
                              max_retries=settings.max_retries, params=params)  # fmt: skip
        return client, params
    from laureate_writer.writers.clients import LangChainClient

    chat_model, params = build_chat_model(spec, settings)
    return LangChainClient(chat_model), params


def build_chat_model(spec: str, settings: Settings) -> tuple[Any, dict[str, Any]]:
    """A LangChain chat model for ``spec`` and the parameters that shape its answers."""
    provider, name = _split(spec)
    params = _params(settings)
    if provider == "openai":
        api_key, base_url = _openai_credentials(settings)
        from langchain_openai import ChatOpenAI
        from openai import DefaultAsyncHttpxClient

        model = ChatOpenAI(
            # A client of its own: langchain-openai otherwise shares one process-wide, and
            # an async client belongs to the event loop it first ran on.
            http_async_client=DefaultAsyncHttpxClient(),
            model=name,
            api_key=api_key or "not-needed",  # local servers ignore it; the SDK wants one
            base_url=base_url,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            **{k: v for k, v in params.items() if v is not None},
        )
        return model, params
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:
        where, line, column = settings.origin("model")
        raise InputError.single(
            where,
            f"le fournisseur « {provider} » demande le paquet langchain et son "
            f"intégration (pip install 'laureate-writer[providers]' langchain-{provider})",
            line,
            column,
            field="model",
        ) from None
    try:
        model = init_chat_model(
            spec,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            **{k: v for k, v in params.items() if v is not None},
        )
    except (ValueError, ImportError) as exc:  # an unknown provider, a missing integration
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError.single(
            "--model", f"cannot use '{spec}': {reason}", field="model"
        ) from None
    return model, params


__all__ = [
    "SectionDraft",
    "SectionRequest",
    "Writer",
    "build_chat_model",
    "build_client",
    "get_writer",
]
