"""Grammar and spelling: Grammalecte as a checker family behind the house style's
:class:`~laureate_writer.violations.Violation` interface.

Grammalecte (GPL) is not on PyPI and is never vendored: the system installation is used
(Debian's ``python3-grammalecte``, imported from its system location; in-process it
costs about 0.15 s of CPU to load, against a new Python process per call for
``grammalecte-cli``). It is imported on first use only, so ``check --grammar off``,
``validate`` and ``--help`` never load it.

Findings keep the house style's protections and scopes: Grammalecte reads each
paragraph of the :class:`~laureate_writer.style.document.Document`, and a finding that
touches a protected character (URL, phone number, postal code, code, front matter,
markers, Markdown syntax) or the prize label is dropped, as is one overlapping a house
rule's finding (never reported twice). Grammalecte's options map to ``grammar.*`` rule
ids and severities, and unknown words to ``spelling.unknown-word``, as set in
``grammar.yaml``; the newsroom word list (``words.txt``) and the caller's words (a
dossier's names) are accepted.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..violations import Severity, Violation
from .document import MASK, Document

HERE = Path(__file__).parent
# Where Debian (and derivatives) install the Python package; LW_GRAMMALECTE overrides.
SYSTEM_DIRS = ("/usr/lib/python3/dist-packages", "/usr/share/grammalecte")
INSTALL_HINT = (
    "Grammalecte introuvable : installez-le avec « apt-get install python3-grammalecte » "
    "(ou donnez dans LW_GRAMMALECTE le dossier de son paquet grammalecte)"
)
MODES = ("auto", "on", "off")
_WORD = re.compile(r"[\w’'-]+")


class GrammarUnavailable(Exception):
    """``--grammar on`` without Grammalecte installed; the message says how to install."""


def grammalecte_dir() -> Path | None:
    """The folder of the ``grammalecte`` package, or None when it is not installed."""
    return _find(os.environ.get("LW_GRAMMALECTE") or None)


@functools.cache
def _find(env: str | None) -> Path | None:
    candidates = [env] if env else [*sys.path, *SYSTEM_DIRS]
    for base in candidates:
        if not base:
            continue
        path = Path(base)
        if path.name != "grammalecte":
            path = path / "grammalecte"
        if (path / "fr" / "gc_engine.py").is_file():
            return path
    return None


def available() -> bool:
    return grammalecte_dir() is not None


def resolve_mode(mode: str | None) -> bool:
    """Whether to run the grammar pass: ``on``, ``off``, or ``auto`` (on when
    Grammalecte is installed); None reads LW_GRAMMAR (default auto). Raises
    :class:`GrammarUnavailable` for ``on`` without Grammalecte, ValueError for a bad
    mode."""
    mode = mode or os.environ.get("LW_GRAMMAR") or "auto"
    if mode not in MODES:
        raise ValueError(f"--grammar doit valoir {', '.join(MODES)} (reçu {mode!r})")
    if mode == "off":
        return False
    found = available()
    if mode == "on" and not found:
        raise GrammarUnavailable(INSTALL_HINT)
    return found


@functools.cache
def _engine() -> Any:
    """Grammalecte's French grammar checker, loaded once per process from the system
    installation (only the ``grammalecte`` package is imported from there)."""
    path = grammalecte_dir()
    if path is None:
        raise GrammarUnavailable(INSTALL_HINT)
    if "grammalecte" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "grammalecte", path / "__init__.py", submodule_search_locations=[str(path)]
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["grammalecte"] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules["grammalecte"]
            raise
    import grammalecte  # type: ignore[import-not-found]

    return grammalecte.GrammarChecker("fr")


class Grammar:
    """The grammar and spelling pass, configured by ``grammar.yaml`` and ``words.txt``."""

    def __init__(self, config: dict[str, Any] | None = None, words: Iterable[str] = ()):
        if config is None:
            import yaml

            config = yaml.safe_load((HERE / "grammar.yaml").read_text(encoding="utf-8"))
            words = [*_read_words(HERE / "words.txt"), *words]
        self.families: dict[str, tuple[str, Severity]] = {
            opt: (spec["id"], Severity.parse(spec["severity"]))
            for opt, spec in config["families"].items()
        }
        self.off: list[str] = list(config.get("off", []))
        self.ignore = re.compile("|".join(config["ignore"])) if config.get("ignore") else None
        spelling = config.get("spelling") or {}
        self.spelling_id: str = spelling.get("id", "spelling.unknown-word")
        self.spelling_severity = Severity.parse(spelling.get("severity", "warning"))
        self.proper_nouns = bool(spelling.get("proper_nouns", False))
        self.words = {w.lower() for w in words}

    def options(self) -> dict[str, bool]:
        """Grammalecte's options for a house check: its defaults, with ``off`` off and
        every reported family on."""
        opts = dict(_engine().gce.getDefaultOptions())
        opts.update(dict.fromkeys(self.families, True))
        opts.update(dict.fromkeys(self.off, False))
        return opts

    # ----------------------------------------------------------------- checking
    def check_document(
        self,
        doc: Document,
        house: list[Violation] = (),  # type: ignore[assignment]
        accept: Iterable[str] = (),
    ) -> list[Violation]:
        """Grammar and spelling findings in ``doc`` (one article), none overlapping a
        finding in ``house`` (same offsets) or touching a protected character."""
        engine = _engine()
        options = self.options()
        accepted = self.words | {w.lower() for w in accept}
        taken = [(v.start, v.end) for v in house]
        out: list[Violation] = []
        for seg in doc.segments:
            if seg.scope == "label":
                continue  # the prize label is the award's own wording
            # a paragraph's lines are one paragraph for Grammalecte (same offsets)
            para = doc.text[seg.start : seg.end].replace("\n", " ")
            grammar = engine.gce.parse(para, "FR", dOptions=options)
            spelling = engine.oSpellChecker.parseParagraph(para, False)
            for err in grammar:
                mapped = self.families.get(err.get("sType", ""))
                if mapped is None or (self.ignore and self.ignore.search(err["sRuleId"])):
                    continue
                rule, severity = mapped
                sugg = err.get("aSuggestions") or []
                out.append(
                    self._violation(
                        doc, seg.start + err["nStart"], seg.start + err["nEnd"], rule,
                        severity, err["sMessage"], sugg[0] if sugg else None,
                    )
                )  # fmt: skip
            for err in spelling:
                word = err["sValue"]
                if self._known(word, accepted):
                    continue
                out.append(
                    self._violation(
                        doc, seg.start + err["nStart"], seg.start + err["nEnd"],
                        self.spelling_id, self.spelling_severity,
                        f"Mot inconnu du dictionnaire : « {word} ».", None,
                    )
                )  # fmt: skip
        kept = [
            v
            for v in out
            if MASK not in doc.masked[v.start : v.end] and not _overlaps(taken, v.start, v.end)
        ]
        kept.sort(key=lambda v: (v.start, v.end, v.rule))
        return kept

    def check(
        self,
        text: str,
        scope: str | None = None,
        house: list[Violation] = (),  # type: ignore[assignment]
        accept: Iterable[str] = (),
    ) -> list[Violation]:
        """:meth:`check_document` for one text (article Markdown when ``scope`` is
        None, else a section's text)."""
        from .engine import make_document

        return self.check_document(make_document(text, scope), house, accept)

    def _known(self, word: str, accepted: set[str]) -> bool:
        lower = word.lower()
        if lower in accepted or any(c.isdigit() for c in word):  # codes, not words
            return True
        if not self.proper_nouns and word[:1].isupper():
            return True
        parts = [p for p in re.split(r"[-’']", lower) if p]
        return len(parts) > 1 and all(p in accepted for p in parts)

    def _violation(
        self,
        doc: Document,
        start: int,
        end: int,
        rule: str,
        severity: Severity,
        message: str,
        suggestion: str | None,
    ) -> Violation:
        _, local, line, col = doc.local(start)
        seg = doc.segment_at(start)
        return Violation(
            checker="grammar",
            rule=rule,
            severity=severity,
            message=message,
            start=local,
            end=local + end - start,
            section=doc.section_kind(seg) if seg else None,
            line=line,
            column=col,
            excerpt=doc.text[start:end],
            suggestion=suggestion,
        )


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether ``s:e`` overlaps one of ``spans`` (an empty span, an insertion point,
    overlaps what contains it). An article has few findings: a plain scan."""
    return any(a < e and s < max(b, a + 1) for a, b in spans)


def _read_words(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


def words_of(values: Iterable[Any]) -> set[str]:
    """Every word in a nested structure of strings (a dossier's dump): the names a
    spelling check must accept."""
    found: set[str] = set()
    stack = list(values)
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            found.update(_WORD.findall(v))
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list | tuple | set):
            stack.extend(v)
    return found


@functools.cache
def default_grammar() -> Grammar:
    return Grammar()


def drafting_grammar() -> Grammar | None:
    """The grammar pass for drafting and saving sections: per LW_GRAMMAR (auto by
    default: on when Grammalecte is installed, else None)."""
    try:
        return default_grammar() if resolve_mode(None) else None
    except ValueError as exc:
        raise GrammarUnavailable(f"LW_GRAMMAR: {exc}") from None
