"""The template folders: shipped ``prompts/`` plus any newsroom overlay, rendered strictly.

Templates are jinja2 files rendered in a sandbox with ``StrictUndefined``: a missing
dossier field is an error, never an empty string. A newsroom overlays its own folder;
a file there replaces the shipped file of the same name. Each rendered template is
identified by the hash of its source, recorded in the section's provenance.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment


def shipped_prompts_dir() -> Path:
    """``prompts/`` inside the wheel, or at the repository root in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parents[1] / "prompts"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("le dossier des prompts manque à cette installation")


_JINJA_PROBLEMS = (  # jinja2's reasons, as people read them
    (re.compile(r"'(.+)' is undefined"), "« {0} » n’est pas défini"),
    (re.compile(r"has no attribute '(.+)'"), "attribut inconnu « {0} »"),
    (re.compile(r"unexpected end of template"), "fin de gabarit inattendue (bloc non fermé ?)"),
    (re.compile(r"[Ee]ncountered unknown tag '(.+?)'"), "balise inconnue « {0} »"),
    (re.compile(r"unexpected '(.+)'"), "« {0} » inattendu"),
    (re.compile(r"expected token '(.+?)'"), "« {0} » attendu"),
    (re.compile(r"no filter named '(.+)'"), "filtre inconnu « {0} »"),
)


def template_problem(message: str | None) -> str:
    """A jinja2 error as people read it."""
    for pattern, french in _JINJA_PROBLEMS:
        if found := pattern.search(message or ""):
            return "erreur de gabarit : " + french.format(*found.groups())
    return "erreur de gabarit : syntaxe invalide"


class Templates:
    """A strict, sandboxed jinja2 environment over the prompt folders."""

    def __init__(
        self,
        overlays: Sequence[str | Path] = (),
        filters: dict[str, Callable[..., Any]] | None = None,
    ) -> None:
        self.folders = [Path(p) for p in overlays] + [shipped_prompts_dir()]
        for folder in self.folders:
            if not folder.is_dir():
                from laureate_writer.loading import InputError

                raise InputError.single(str(folder), "répertoire de prompts introuvable")
        self.env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(str(f)) for f in self.folders]),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # templates do not change during a run; no stat per render
        )
        self.env.filters.update(filters or {})
        self._hashes: dict[str, str] = {}

    def source_hash(self, name: str) -> str:
        if name not in self._hashes:
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            self._hashes[name] = _hash(source)
        return self._hashes[name]

    def exists(self, name: str) -> bool:
        try:
            self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except TemplateNotFound:
            return False
        return True

    def render(self, name: str, **context: Any) -> str:
        """Render ``name``; template mistakes become an InputError naming file and line."""
        from jinja2 import TemplateError, TemplateSyntaxError

        from laureate_writer.loading import InputError

        try:
            return self.env.get_template(name).render(**context)
        except TemplateSyntaxError as exc:
            raise InputError.single(
                exc.filename or name, template_problem(exc.message), exc.lineno or 1
            ) from None
        except TemplateError as exc:
            filename, line = self._locate(name)
            raise InputError.single(filename, template_problem(str(exc)), line) from None

    def _locate(self, name: str) -> tuple[str, int]:
        import sys
        import traceback

        tb = sys.exc_info()[2]
        for frame, lineno in traceback.walk_tb(tb):
            if frame.f_code.co_filename.endswith(name.split("/")[-1]):
                return frame.f_code.co_filename, lineno
        _, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        return filename or name, 1


@cache
def _hash(source: str) -> str:
    return "sha256:" + hashlib.sha256(source.encode()).hexdigest()[:16]
