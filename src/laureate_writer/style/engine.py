"""Style files → :class:`Style`; checking and fixing documents."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loading import os_reason
from ..violations import Severity, Violation
from .document import SCOPES, Document
from .rules import rule_class
from .rules.base import Hit, Rule, RuleError

STYLES_DIR = Path(__file__).parent / "styles"
DEFAULT_STYLE = "gazette"
MAX_FIX_PASSES = 6

SPACE_CHARS = {"nbsp": "\u00a0", "nnbsp": "\u202f", "space": " "}
DASH_CHARS = {"en": "\u2013", "em": "\u2014"}
SETTING_DEFAULTS: dict[str, Any] = {
    "colon": "nbsp",  # space before ':'
    "high_punctuation": "nnbsp",  # space before ';', '!', '?'
    "guillemets": "nbsp",  # space inside « »
    "thousands": "nnbsp",  # digit-group separator (3 000)
    "unit": "nbsp",  # between a number and %, €, units, h
    "lenient": False,  # accept U+00A0 where U+202F is expected
    "group_four_digits": True,  # 3 000 (True) or 3000 (False)
    "dash": "en",  # incise dash: en (–) or em (—)
}


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one engine call. A batch allocates
    hundreds of thousands of short-lived objects (matches, spans, hits) and no reference
    cycles, so each collection the allocations set off only walks the caller's heap:
    about 7 % of a batch's time. Restored on exit; a no-op when already paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class StyleError(Exception):
    """An invalid style file: ``path:line: rule ID: problem`` (one line)."""

    def __init__(self, path: str, line: int | None, rule_id: str | None, problem: str):
        self.path, self.line, self.rule_id, self.problem = path, line, rule_id, problem
        where = f"{path}:{line}" if line else path
        who = f" règle {rule_id} :" if rule_id else ""
        super().__init__(f"{where}:{who} {problem}")


class Settings:
    """House typography parameters, and the ``$NAME`` placeholders rule patterns use."""

    def __init__(self, values: dict[str, Any]):
        self.values = {**SETTING_DEFAULTS, **values}
        v = self.values
        subs: dict[str, str] = {
            "$NBSP": "\u00a0",
            "$NNBSP": "\u202f",
            "$SP": " \t\u00a0\u202f\u2009",
            "$DASH": DASH_CHARS[v["dash"]],
        }
        for name, key in (
            ("COLON", "colon"),
            ("HIGH", "high_punctuation"),
            ("GUILL", "guillemets"),
            ("THOUSANDS", "thousands"),
            ("UNIT", "unit"),
        ):
            char = SPACE_CHARS[v[key]]
            ok = char + ("\u00a0" if v["lenient"] and char == "\u202f" else "")
            subs[f"${name}"] = char
            subs[f"${name}_OK"] = ok
        self.subs = dict(sorted(subs.items(), key=lambda kv: -len(kv[0])))

    @classmethod
    def validate(cls, values: Any) -> dict[str, Any]:
        if values is None:
            return {}
        if not isinstance(values, dict):
            raise ValueError("settings doit être une table")
        out = {}
        for key, value in values.items():
            if key == "__line__":
                continue
            if key not in SETTING_DEFAULTS:
                raise ValueError(f"réglage inconnu « {key} »")
            if key in ("lenient", "group_four_digits"):
                if not isinstance(value, bool):
                    raise ValueError(f"le réglage {key} doit valoir true ou false")
            elif key == "dash":
                if value not in DASH_CHARS:
                    raise ValueError("le réglage dash doit valoir en ou em")
            elif value not in SPACE_CHARS:
                raise ValueError(f"le réglage {key} doit valoir {', '.join(SPACE_CHARS)}")
            out[key] = value
        return out

    def char(self, name: str) -> str:
        return self.subs[f"${name}"]

    def expand(self, pattern: str) -> str:
        if "$" not in pattern:
            return pattern
        for key, value in self.subs.items():
            pattern = pattern.replace(key, value)
        return pattern


class Style:
    """A loaded house style: settings + enabled rules, in application order."""

    def __init__(self, name: str, settings: Settings, rules: list[Rule], source: str):
        self.name = name
        self.settings = settings
        self.rules = rules
        self.source = source
        self.by_id = {r.id: r for r in rules}
        self.fix_rules = [r for r in rules if r.fixable]
        # (style file, include_disabled) when loaded from a file: lets worker
        # processes started with "spawn" load the same style (see parallel.py)
        self.origin: tuple[str, bool] | None = None

    # ------------------------------------------------------------- checking
    def check(self, text: str, scope: str | None = None) -> list[Violation]:
        """Violations in ``text``. ``scope`` None parses article Markdown (markers,
        front matter); a scope name checks the whole text as that section."""
        return self.check_document(make_document(text, scope))

    def check_many(
        self, texts: list[str], scope: str | None = None, *, jobs: int | None = 1
    ) -> list[list[Violation]]:
        """``check`` for many articles at once (one pass of each rule over the batch:
        much faster for many small files). One list of violations per text.

        ``jobs``: worker processes for a large batch (``None``: one per CPU; the
        default 1 runs here). A batch smaller than two chunks (``BATCH_CHARS``) always
        runs here; results are the same, in the same order, either way."""
        if jobs != 1:
            from . import parallel

            n = parallel.resolve_jobs(jobs)
            shared = parallel.chunks_to_share(texts, n)
            if shared is not None:
                return parallel.run(self, "check_chunk", shared, scope, n)
        out: list[list[Violation]] = []
        for chunk in _chunks(texts):
            out.extend(self.check_chunk(chunk, scope))
        return out

    def check_chunk(self, texts: list[str], scope: str | None = None) -> list[list[Violation]]:
        """``check_many`` for one chunk (``_chunks``), checked as one document: what
        both the serial run and a worker process do with it."""
        with _gc_paused():
            return self._check_document(make_document(texts, scope))

    def check_document(self, doc: Document) -> list[Violation]:
        with _gc_paused():
            return self._check_document(doc)[0]

    def _check_document(self, doc: Document) -> list[list[Violation]]:
        seen = [(r, h) for r in self.rules if r.triggered(doc) for h in r.hits(doc)]
        return self._report(doc, seen)

    def _report(self, doc: Document, seen: list[tuple[Rule, Hit]]) -> list[list[Violation]]:
        out: list[list[Violation]] = [[] for _ in doc.article_starts]
        for rule, hit in seen:
            a, v = self._violation(doc, rule, hit)
            out[a].append(v)
        for vs in out:
            vs.sort(key=lambda v: (v.start, v.end, v.rule))
        return out

    def _violation(self, doc: Document, rule: Rule, hit: Hit) -> tuple[int, Violation]:
        article, start, line, col = doc.local(hit.start)
        seg = doc.segment_at(hit.start)
        return article, Violation(
            checker="style",
            rule=rule.id,
            severity=Severity[rule.severity],
            message=rule.format_message(doc, hit),
            start=start,
            end=start + hit.end - hit.start,
            section=doc.section_kind(seg) if seg else None,
            line=line,
            column=col,
            excerpt=doc.text[hit.start : hit.end],
            suggestion=hit.replacement,
            fixable=rule.fixable and hit.replacement is not None,
        )

    # --------------------------------------------------------------- fixing
    def fix(self, text: str, scope: str | None = None) -> str:
        """Apply every safe fix until nothing changes. Idempotent."""
        return self.fix_many([text], scope)[0]

    def _round(
        self, doc: Document, rules: list[Rule]
    ) -> tuple[list[tuple[int, int, str]], list[tuple[Rule, Hit]]]:
        """Every rule looks at the same text. Returns the safe edits that do not overlap
        (earlier rules of the style win; a conflicting edit waits for the next round)
        and every hit seen."""
        seen: list[tuple[Rule, Hit]] = []
        edits: list[tuple[int, int, int, str]] = []
        for order, rule in enumerate(rules):
            if not rule.triggered(doc):
                continue
            for h in rule.hits(doc):
                seen.append((rule, h))
                if rule.fixable and h.replacement is not None:
                    edits.append((h.start, h.end, order, h.replacement))
        chosen: list[tuple[int, int, str]] = []
        last_end = -1
        last_insert = -1
        for s, e, _order, r in sorted(edits):
            if s < last_end or (s == e and s == last_insert):
                continue
            chosen.append((s, e, r))
            last_end = max(last_end, e)
            if s == e:
                last_insert = s
        return chosen, seen

    def _converge(
        self, texts: list[str], scope: str | None, rules: list[Rule]
    ) -> tuple[Document, list[tuple[Rule, Hit]]]:
        """Rounds of fixes until a freshly parsed text has nothing left to fix.
        Re-parsing each round matters: protections depend on context (a postal code
        is five digits before a capitalised name) that a fix may change, so the result
        must be stable under a fresh parse for ``fix(fix(x)) == fix(x)``."""
        # Only fixable rules can produce edits: the others need to run once, on the
        # final text (their findings on intermediate texts would be thrown away).
        fixers = [r for r in rules if r.fixable]
        others = [r for r in rules if not r.fixable]
        doc = make_document(texts, scope)
        for _ in range(MAX_FIX_PASSES):
            edits, seen = self._round(doc, fixers)
            if not edits:
                seen.extend((r, h) for r in others if r.triggered(doc) for h in r.hits(doc))
                return doc, seen
            doc = make_document(doc.edited(edits), scope)
        return doc, self._round(doc, rules)[1]

    def fix_many(self, texts: list[str], scope: str | None = None) -> list[str]:
        out: list[str] = []
        with _gc_paused():
            for chunk in _chunks(texts):
                out.extend(self._converge(chunk, scope, self.fix_rules)[0].texts())
        return out

    def fix_and_check(self, text: str, scope: str | None = None) -> tuple[str, list[Violation]]:
        """Fix, then report what remains (positions in the fixed text)."""
        return self.fix_and_check_many([text], scope)[0]

    def fix_and_check_many(
        self, texts: list[str], scope: str | None = None, *, jobs: int | None = 1
    ) -> list[tuple[str, list[Violation]]]:
        """Fix many articles, then report what remains in each. Each round checks with
        every rule; the last round, with nothing left to fix, is the report.

        ``jobs`` as in :meth:`check_many`: a large batch may be spread over worker
        processes (``None``: one per CPU); same results, same order."""
        if jobs != 1:
            from . import parallel

            n = parallel.resolve_jobs(jobs)
            shared = parallel.chunks_to_share(texts, n)
            if shared is not None:
                return parallel.run(self, "fix_and_check_chunk", shared, scope, n)
        out: list[tuple[str, list[Violation]]] = []
        for chunk in _chunks(texts):
            out.extend(self.fix_and_check_chunk(chunk, scope))
        return out

    def fix_and_check_chunk(
        self, texts: list[str], scope: str | None = None
    ) -> list[tuple[str, list[Violation]]]:
        """``fix_and_check_many`` for one chunk (``_chunks``), as one document."""
        with _gc_paused():
            doc, seen = self._converge(texts, scope, self.rules)
            return list(zip(doc.texts(), self._report(doc, seen), strict=True))

    # ------------------------------------------------------------ markdown
    def check_markdown(self, text: str) -> list[Violation]:
        return self.check(text, None)

    def fix_markdown(self, text: str) -> str:
        return self.fix(text, None)


# A chunk of about 250 000 characters is as fast to check as a bigger one (the
# per-chunk costs are small), and four to a megabyte share out evenly over processes.
BATCH_CHARS = 250_000


def _chunks(texts: list[str]):
    """Batches of whole articles, as many as BATCH_CHARS characters make, of about
    equal size (so that processes sharing them out get about the same work)."""
    total = sum(map(len, texts))
    if total == 0:
        if texts:
            yield texts
        return
    count = max(1, round(total / BATCH_CHARS))
    batch: list[str] = []
    done = 0
    cut = total / count
    for t in texts:
        batch.append(t)
        done += len(t)
        if done >= cut and cut < total:  # the last batch ends with the texts
            yield batch
            batch = []
            cut += total / count
    if batch:
        yield batch


def make_document(text: str | list[str], scope: str | None) -> Document:
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"portée inconnue « {scope} » ; portées : {', '.join(SCOPES)}")
    return Document(text, scope)


# ---------------------------------------------------------------- loading
def _yaml_loader():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        pass

    def construct_mapping(loader, node, deep=False):
        mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return yaml, LineLoader


def _read_style_file(path: Path) -> dict[str, Any]:
    from laureate_writer.loading import InputError, check_depth, read_text, yaml_problem

    yaml, loader = _yaml_loader()
    try:
        # the one reader (regular files, a size cap), then no aliases and bounded depth
        raw = read_text(path)
        check_depth(str(path), raw, max_depth=16, aliases=False)
    except InputError as exc:
        problem = exc.problems[0]
        raise StyleError(str(path), problem.line, None, problem.message) from None
    try:
        data = yaml.load(raw, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise StyleError(
            str(path),
            mark.line + 1 if mark else None,
            None,
            f"YAML invalide : {yaml_problem(problem)}",
        ) from exc
    if not isinstance(data, dict):
        raise StyleError(
            str(path), 1, None, "un fichier de style est une table avec une liste rules"
        )
    return data


def resolve_style_path(ref: str, base: Path | None = None) -> Path:
    """A style reference: a bundled style name (``gazette``) or a file path."""
    candidate = STYLES_DIR / f"{ref}.yaml"
    bare = "/" not in ref and os.sep not in ref and not ref.endswith((".yaml", ".yml"))
    if bare and candidate.exists():
        return candidate
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _collect(path: Path, seen: tuple[Path, ...]) -> tuple[dict, dict[str, dict], list[str], str]:
    """Resolve ``extends`` chains: returns (settings, rule specs by id, order, name)."""
    path = path.resolve()
    if path in seen:
        raise StyleError(str(path), None, None, "extends circulaire")
    data = _read_style_file(path)
    allowed = {"name", "description", "extends", "settings", "disable", "rules", "__line__"}
    for key in data:
        if key not in allowed:
            raise StyleError(
                str(path), data["__line__"], None, f"clé de premier niveau inconnue « {key} »"
            )
    settings: dict[str, Any] = {}
    specs: dict[str, dict] = {}
    order: list[str] = []
    if data.get("extends"):
        parent = resolve_style_path(str(data["extends"]), path.parent)
        if not parent.exists():
            raise StyleError(
                str(path),
                data["__line__"],
                None,
                f"extends : style « {data['extends']} » introuvable",
            )
        settings, specs, order, _ = _collect(parent, (*seen, path))
        specs = {k: dict(v) for k, v in specs.items()}
    try:
        settings = {**settings, **Settings.validate(data.get("settings"))}
    except ValueError as exc:
        line = (
            (data.get("settings") or {}).get("__line__")
            if isinstance(data.get("settings"), dict)
            else data["__line__"]
        )
        raise StyleError(str(path), line, None, str(exc)) from exc
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise StyleError(str(path), data["__line__"], None, "rules doit être une liste")
    for spec in rules:
        if not isinstance(spec, dict):
            raise StyleError(str(path), data["__line__"], None, "chaque règle doit être une table")
        rid = spec.get("id")
        line = spec.get("__line__")
        if not rid or not isinstance(rid, str):
            raise StyleError(str(path), line, None, "règle sans id")
        spec = {**spec, "__source__": str(path)}
        if rid in specs:
            if "type" in spec and spec["type"] != specs[rid].get("type"):
                raise StyleError(
                    str(path), line, rid, "une surcharge ne peut pas changer le type de la règle"
                )
            specs[rid] = {**specs[rid], **spec}
        else:
            if "type" not in spec:
                raise StyleError(
                    str(path),
                    line,
                    rid,
                    "champ « type » manquant (nouvelle règle, pas une surcharge)",
                )
            specs[rid] = spec
            order.append(rid)
    disable = data.get("disable") or []
    if not isinstance(disable, list):
        raise StyleError(
            str(path), data["__line__"], None, "disable doit être une liste d’id de règles"
        )
    for rid in disable:
        if rid not in specs:
            raise StyleError(str(path), data["__line__"], str(rid), "disable : règle inconnue")
        specs[rid] = {**specs[rid], "enabled": False}
    return settings, specs, order, str(data.get("name") or path.stem)


def build_style(path: Path, include_disabled: bool = False, *, lazy: bool = True) -> Style:
    """The style of ``path``. With ``lazy`` (the default), the patterns of rules from the
    bundled styles are compiled on first use (see ``LazyPattern``); ``lazy=False``
    compiles and validates every one now (what the test suite does)."""
    settings_values, specs, order, name = _collect(path, ())
    settings = Settings(settings_values)
    rules: list[Rule] = []
    bundled = str(STYLES_DIR.resolve())
    for rid in order:
        spec = dict(specs[rid])
        source = spec.pop("__source__", str(path))
        enabled = spec.get("enabled", True)
        if not isinstance(enabled, bool):
            raise StyleError(source, spec.get("__line__"), rid, "enabled doit valoir true ou false")
        if not enabled and not include_disabled:
            continue
        try:
            cls = rule_class(spec["type"])
            rule = cls(spec, settings)
            # a bundled style's patterns wait for first use (see LazyPattern)
            rule.lazy_patterns = lazy and os.path.dirname(os.path.abspath(source)) == bundled
            rule.ensure_compiled()
        except RuleError as exc:
            raise StyleError(source, spec.get("__line__"), rid, str(exc)) from exc
        rule.enabled = enabled
        rules.append(rule)
    style = Style(name, settings, rules, str(path))
    style.origin = (str(path), include_disabled)
    return style


@functools.lru_cache(maxsize=16)
def _cached(path: str, mtime: float, include_disabled: bool) -> Style:
    return build_style(Path(path), include_disabled)


def load_style(ref: str | os.PathLike[str] | None = None, include_disabled: bool = False) -> Style:
    """Load a style: None → bundled ``gazette``; a bundled name; or a YAML file path
    (which may ``extends:`` another). Raises :class:`StyleError`."""
    path = resolve_style_path(str(ref) if ref is not None else DEFAULT_STYLE)
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise StyleError(
            str(path), None, None, f"fichier de style illisible : {os_reason(exc)}"
        ) from exc
    return _cached(str(path.resolve()), mtime, include_disabled)
