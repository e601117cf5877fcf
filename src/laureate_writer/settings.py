"""Settings for model-backed drafting: flags > environment > laureate-writer.toml.

Environment variables: ``LW_MODEL``, ``LW_TIMEOUT``, ``LW_MAX_RETRIES``, ``LW_TEMPERATURE``,
``LW_CACHE``, ``LW_CACHE_PATH``, ``LW_PROMPTS``, ``LW_CLIENT`` plus the provider's own
``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``. The key is a secret: it is never written to a
file, a log or an error message.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_FILE = "laureate-writer.toml"


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "laureate-writer" / "responses.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LW_", toml_file=CONFIG_FILE, extra="forbid", validate_default=True
    )

    model: str | None = Field(
        default=None, description="'offline', 'openai:gpt-4.1-mini', or any provider:model."
    )
    api_key: SecretStr | None = Field(default=None, description="Defaults to OPENAI_API_KEY.")
    base_url: str | None = Field(default=None, description="Defaults to OPENAI_BASE_URL.")
    timeout: float = Field(default=90.0, gt=0, description="Seconds per model call.")
    client: Literal["openai", "langchain"] = Field(
        default="openai",
        description="How 'openai:' models are called: the openai SDK, or LangChain's ChatOpenAI.",
    )
    max_retries: int = Field(default=4, ge=0, le=20, description="HTTP retries (429, 5xx…).")
    max_reasks: int = Field(default=2, ge=0, le=5, description="Re-asks on invalid output.")
    revise_rounds: int = Field(default=2, ge=0, le=5, description="Style/fact revise rounds.")
    temperature: float | None = Field(default=0.3, ge=0, le=2)
    max_tokens: int = Field(default=1200, ge=64, le=32000)
    concurrency: int = Field(default=4, ge=1, le=64)
    cache: bool = True
    cache_path: Path = Field(default_factory=default_cache_path)
    prompts: list[Path] = Field(default_factory=list)
    style: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Flags (init) win over the environment, which wins over laureate-writer.toml.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def uses_model(self) -> bool:
        return bool(self.model) and self.model != "offline"

    def resolved_api_key(self) -> str | None:
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    def resolved_base_url(self) -> str | None:
        return self.base_url or os.environ.get("OPENAI_BASE_URL")


def load_settings(**flags: Any) -> Settings:
    """Settings from flags (None means 'not given'), environment and the TOML file."""
    given = {k: v for k, v in flags.items() if v is not None}
    from pydantic import ValidationError

    from laureate_writer.loading import InputError, format_location

    try:
        return Settings(**given)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = format_location(tuple(error["loc"]))
        where, line = _source_of(str(error["loc"][0]) if error["loc"] else "", given)
        raise InputError.single(where, error["msg"], line, field=field) from None


def _source_of(name: str, given: dict[str, Any]) -> tuple[str, int]:
    """Where a setting's bad value came from, with precedence: the flag, the environment
    variable, or its line in laureate-writer.toml."""
    if name in given:
        return "--" + name.replace("_", "-"), 1
    if f"LW_{name.upper()}" in os.environ:
        return f"${'LW_' + name.upper()}", 1
    try:
        lines = Path(CONFIG_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return CONFIG_FILE, 1
    key = re.compile(rf"\s*{re.escape(name)}\s*=")
    return CONFIG_FILE, next((i for i, text in enumerate(lines, 1) if key.match(text)), 1)
