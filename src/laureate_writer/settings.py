"""Settings: flags > environment > the configuration file (:mod:`laureate_writer.config`:
``laureate-writer.toml`` or ``[tool.laureate-writer]`` in ``pyproject.toml``, the
nearest one up from the working folder).

Environment variables: ``LW_MODEL``, ``LW_TIMEOUT``, ``LW_MAX_RETRIES``, ``LW_TEMPERATURE``,
``LW_CACHE``, ``LW_CACHE_PATH``, ``LW_PROMPTS``, ``LW_CLIENT`` plus the provider's own
``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``. The key is a secret: it is never written to a
file, a log or an error message.

The environment is read as pydantic-settings read it (names case-insensitive, list and
table settings in JSON, tables merged key by key with the file's) without importing it:
``check`` loads these settings and pydantic-settings costs ~50 ms of start-up.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr

from laureate_writer.config import CONFIG_FILE, ConfigFile, find_config

__all__ = ["CONFIG_FILE", "CheckSettings", "Settings", "load_settings"]

ENV_PREFIX = "LW_"

# Keys holding paths: read relative to the configuration file's folder.
_PATH_KEYS = ("style", "prompts", "cache_path", "template", "css", "out_dir")


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "laureate-writer" / "responses.sqlite3"


class CheckSettings(BaseModel):
    """``[check]``: what ``laureate-writer check`` looks at in a folder."""

    model_config = ConfigDict(extra="forbid")

    include: list[str] = Field(
        default_factory=lambda: ["*.md", "*.markdown", "*.txt", "*.html", "*.htm"],
        description="Globs of the files checked when a folder is given.",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Globs of files and folders never checked."
    )
    min_severity: Literal["suggestion", "warning", "error"] = "suggestion"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)

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
    style: Path | None = Field(
        default=None, description="A house style file (extends the default)."
    )
    format: Literal["md", "html", "html-fragment", "json"] | None = Field(
        default=None, description="Default output format when -o does not say."
    )
    layout: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9-]{0,31}$",
        description="Offline writer's layout (2020, 2023, magazine…); an edition file's "
        "'layout:' wins over it, --layout over both.",
    )
    template: Path | None = Field(default=None, description="A jinja2 page template.")
    css: Path | None = Field(default=None, description="A style sheet for HTML pages.")
    out_dir: Path | None = Field(default=None, description="Default --out-dir of palmares.")
    check: CheckSettings = Field(default_factory=CheckSettings)

    _flags: dict[str, Any] = PrivateAttr(default_factory=dict)
    _config: ConfigFile | None = PrivateAttr(default=None)

    @property
    def config_file(self) -> ConfigFile | None:
        return self._config

    def origin(self, name: str) -> tuple[str, int, int]:
        """Where the setting ``name`` came from, for messages: the flag, the environment
        variable, or the file and line of the configuration key."""
        return _source_of((name,), self._flags, self._config)

    @property
    def uses_model(self) -> bool:
        return bool(self.model) and self.model != "offline"

    def resolved_api_key(self) -> str | None:
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    def resolved_base_url(self) -> str | None:
        return self.base_url or os.environ.get("OPENAI_BASE_URL")


def _resolve_paths(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    out = dict(data)
    for key in _PATH_KEYS:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = str(folder / Path(value).expanduser())
        elif isinstance(value, list):
            out[key] = [str(folder / Path(v).expanduser()) if isinstance(v, str) else v
                        for v in value]  # fmt: skip
    return out


def _is_table_or_list(annotation: Any) -> bool:
    """A setting the environment writes in JSON (a list, a table), as pydantic-settings
    decides it: the type, or one member of a union, is a container or a model."""
    if get_origin(annotation) in (list, tuple, set, frozenset, dict):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_is_table_or_list(arg) for arg in get_args(annotation) if arg is not type(None))


def _environment(given: dict[str, Any], config: ConfigFile | None) -> dict[str, Any]:
    """The ``LW_*`` variables that name a setting; a list or a table that is not JSON is
    a located error."""
    from laureate_writer.loading import InputError

    env = {name.lower(): value for name, value in os.environ.items()}
    data: dict[str, Any] = {}
    for name, info in Settings.model_fields.items():
        value: Any = env.get((ENV_PREFIX + name).lower())
        if value is None:
            continue
        if _is_table_or_list(info.annotation):
            try:
                value = json.loads(value)
            except ValueError:  # LW_PROMPTS='not json': a list setting not in JSON
                where, line, col = _source_of((name,), given, config)
                message = 'valeur invalide (une liste s’écrit en JSON : \'["a", "b"]\')'
                raise InputError.single(where, message, line, col, field=name) from None
        data[name] = value
    return data


def _merged(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers win; a table present in two layers is merged key by key."""
    out: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = _merged(out[key], value)
            else:
                out[key] = value
    return out


def load_settings(**flags: Any) -> Settings:
    """Settings from flags (None means 'not given'), environment and the configuration
    file. Every problem is located (``file:line:col: key: message``), with a
    did-you-mean for a misspelt key."""
    given = {k: v for k, v in flags.items() if v is not None}
    from pydantic import ValidationError

    from laureate_writer.loading import InputError, Problem, field_message, format_location

    # Flags win over the environment, which wins over the configuration file.
    config = find_config()
    data = _resolve_paths(config.data, config.folder) if config else {}
    try:
        settings = Settings.model_validate(_merged(data, _environment(given, config), given))
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            where, line, col = _source_of(loc, given, config)
            message = field_message(error, Settings, loc)
            problems.append(Problem(where, line, col, format_location(loc), message))
        raise InputError(sorted(problems, key=lambda p: (p.path, p.line, p.column))) from None
    settings._flags = given
    settings._config = config
    return settings


def _source_of(
    loc: tuple[Any, ...], given: dict[str, Any], config: ConfigFile | None
) -> tuple[str, int, int]:
    """Where a setting's value came from, with precedence: the flag, the environment
    variable, or its key in the configuration file."""
    name = str(loc[0]) if loc else ""
    if name in given:
        return "--" + name.replace("_", "-"), 1, 1
    if f"LW_{name.upper()}" in os.environ:
        return f"${'LW_' + name.upper()}", 1, 1
    if config is None:
        return CONFIG_FILE, 1, 1
    return (config.name, *config.position(loc))
