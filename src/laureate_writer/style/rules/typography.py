"""``typography``: character-level French typography.

Two forms:

* a **pattern** rule — ``pattern`` (+ optional ``replace``), or ``patterns:`` a list of
  ``{pattern, replace}``; patterns run on the masked text and may use the house
  placeholders (``$NBSP``, ``$NNBSP``, ``$COLON``, ``$HIGH``, ``$GUILL``, ``$THOUSANDS``,
  ``$UNIT``, each with an ``_OK`` variant listing the accepted characters, ``$DASH``,
  ``$SP`` for every horizontal space);
* a **builtin** check — ``check: NAME`` with ``params:`` — for what a regex cannot say
  alone (pairing quotes, telling years and postal codes from quantities, times).

Patterns are written to start with a literal or a character class so that Python's
``re`` can skip ahead fast; ``trigger:`` skips the rule when none of its literals occur.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from ..document import MASK, Document
from .base import Hit, Rule, RuleError, Scanner, deferred, matches_at, split_prefix

HSPACE = " \t\u00a0\u202f\u2009"
Builtin = Callable[["TypographyRule", dict[str, Any]], Callable[[Document], Iterator[Hit]]]
BUILTINS: dict[str, Builtin] = {}


def builtin(name: str) -> Callable[[Builtin], Builtin]:
    def deco(fn: Builtin) -> Builtin:
        BUILTINS[name] = fn
        return fn

    return deco


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _glued_before(text: str, start: int, marks: str) -> bool:
    """The character before ``start`` joins the number to something (a word, a mark)."""
    return start > 0 and (_is_word(text[start - 1]) or text[start - 1] in marks)


def _glued_after(text: str, end: int, marks: str) -> bool:
    """The character at ``end`` joins the number to something (a word, a mark)."""
    return end < len(text) and (_is_word(text[end]) or text[end] in marks)


def _decimal_follows(text: str, end: int) -> bool:
    """``12.5`` or ``12,5``: the match is only the integer part of a decimal."""
    return end + 1 < len(text) and text[end] in ".," and text[end + 1].isdigit()


def _stands_alone(text: str, start: int, end: int, before: str, after: str) -> bool:
    """The number at ``start:end`` is a whole number on its own: not glued to a word or
    to one of the ``before``/``after`` marks, and not the integer part of a decimal."""
    return not (
        _glued_before(text, start, before)
        or _glued_after(text, end, after)
        or _decimal_follows(text, end)
    )


def _compile(rule: Rule, pattern: str, flags: int = 0) -> re.Pattern[str]:
    # a builtin's patterns, compiled on first use for a bundled style (see LazyPattern)
    return deferred(rule, lambda: re.compile(pattern, flags))


def _run_of(chars: str) -> re.Pattern[str]:
    """A run of ``chars``: ``[c][c]*`` rather than ``[c]+``, which Python's ``re`` has
    no prefix for (it would try the pattern at every position)."""
    cls = "[" + re.escape(chars) + "]"
    return split_prefix(re.compile(cls + cls + "*"))


def _param(params: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = params.get(key, default)
    if not isinstance(value, kind):
        raise RuleError(f"params.{key} doit être de type {kind.__name__}", "params")
    return value


class TypographyRule(Rule):
    type_name = "typography"
    FIELDS: ClassVar[dict[str, Any]] = {
        "check": None,
        "params": None,
        "pattern": None,
        "replace": None,
        "patterns": None,
    }

    def compile(self) -> None:
        o = self.options
        if o["check"]:
            if o["pattern"] or o["patterns"]:
                raise RuleError("utilisez check ou pattern(s), pas les deux", "check")
            fn = BUILTINS.get(o["check"])
            if fn is None:
                raise RuleError(
                    f"contrôle typographique inconnu « {o['check']} » "
                    f"(au choix : {', '.join(BUILTINS)})",
                    "check",
                )
            params = o["params"] or {}
            if not isinstance(params, dict):
                raise RuleError("params doit être une table", "params")
            params = {k: v for k, v in params.items() if k != "__line__"}
            self._find = fn(self, params)
            return
        items: list[tuple[str, Any, str]] = []
        if o["pattern"]:
            items.append((o["pattern"], o["replace"], "pattern"))
        for i, item in enumerate(o["patterns"] or []):
            if not isinstance(item, dict) or "pattern" not in item:
                raise RuleError(f"patterns[{i}] doit être une table avec un pattern", "patterns")
            items.append((item["pattern"], item.get("replace"), f"patterns[{i}]"))
        if not items:
            raise RuleError("une règle typography demande check, pattern ou patterns", "pattern")
        self._patterns = []
        for pattern, replace, field in items:
            if not isinstance(pattern, str) or (
                replace is not None and not isinstance(replace, str)
            ):
                raise RuleError(f"{field} et son replace doivent être du texte", field)
            rx = self.compile_regex(pattern, field, re.M)
            repl = self.settings.expand(replace) if replace is not None else None
            if repl is not None and not self.lazy_patterns:
                try:  # validate group references once, not at the first match
                    from re import _parser

                    _parser.parse_template(repl, rx)
                except AttributeError:  # pragma: no cover - private API moved
                    pass
                except (re.error, IndexError) as exc:
                    raise RuleError(f"replace invalide dans {field} : {exc}", field) from exc
            self._patterns.append((rx, repl))
        if self.fix == "safe" and all(r is None for _, r in self._patterns):
            raise RuleError("fix: safe demande un replace", "fix")
        self._find = self._find_patterns

    def _find_patterns(self, doc: Document) -> Iterator[Hit]:
        for rx, repl in self._patterns:
            for m in self.scan(doc, rx):
                yield Hit(m.start(), m.end(), m.expand(repl) if repl is not None else None)

    def find(self, doc: Document) -> Iterator[Hit]:
        return self._find(doc)

    def in_scope(self, doc: Document, s: int, e: int) -> bool:
        if self.scopes is None:  # scope all: anything not protected, blank lines too
            return True
        return super().in_scope(doc, s, e)


# --------------------------------------------------------------------------- spacing
def _spacing_params(rule: TypographyRule, params: dict[str, Any]) -> tuple[str, str, str]:
    """``chars`` (required) and the expected space named by ``space`` (a placeholder name
    such as COLON, or NONE): (chars, the space a fix writes, the spaces accepted)."""
    chars = _param(params, "chars", str, "")
    if not chars:
        raise RuleError("params.chars est obligatoire", "params")
    space = _param(params, "space", str, "NONE")
    if space == "NONE":
        return chars, "", ""
    try:
        return chars, rule.settings.char(space), rule.settings.char(space + "_OK")
    except KeyError:
        raise RuleError(f"params.space : espace inconnue « {space} »", "params") from None


@builtin("space_before")
def _space_before(rule: TypographyRule, params: dict[str, Any]):
    """The space before ``chars`` must be ``space`` (a placeholder name such as COLON, or
    NONE for no space)."""
    chars, expected, ok = _spacing_params(rule, params)
    skip_time = _param(params, "skip_digit_pairs", bool, False)
    only_after_digit = _param(params, "only_after_digit", bool, False)
    skip_prev = _param(params, "skip_after", str, "")
    skip_next = _param(params, "skip_before", list, [])
    skip_next_digit = _param(params, "skip_before_digit", bool, False)
    rx = deferred(rule, lambda: _run_of(chars))
    # each mark right after a horizontal space: one literal-prefixed scan per mark
    after_space = [
        _compile(rule, re.escape(c) + "(?<=[" + re.escape(HSPACE) + "].)", re.S)
        for c in dict.fromkeys(chars)
    ]

    # With no space expected, only "space + mark" can be wrong: find those pairs
    # with one regex scan instead of visiting every mark.
    def candidates(m_: str) -> Iterator[re.Match[str]]:
        if expected:
            yield from rx.finditer(m_)
            return
        if len(after_space) == 1:
            positions: Iterable[int] = [pm.start() for pm in after_space[0].finditer(m_)]
        else:
            positions = sorted({pm.start() for f in after_space for pm in f.finditer(m_)})
        yield from matches_at(rx, m_, positions)

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        n = len(m_)
        for m in candidates(m_):
            s, e = m.span()
            i = s
            while i > 0 and m_[i - 1] in HSPACE:
                i -= 1
            if i == 0:
                continue
            prev = m_[i - 1]
            if prev == "\n" or prev in skip_prev:
                continue
            if only_after_digit and not prev.isdigit():
                continue
            sp = m_[i:s]
            if sp == expected or (len(sp) == 1 and sp in ok):
                continue
            nxt = m_[e] if e < n else ""
            if skip_time and not sp and prev.isdigit() and nxt.isdigit():
                continue
            if skip_next_digit and nxt.isdigit():
                continue
            if any(m_.startswith(x, e) for x in skip_next):
                continue
            if not expected and prev == MASK:
                continue
            yield Hit(i, s, expected)

    return find


@builtin("space_after")
def _space_after(rule: TypographyRule, params: dict[str, Any]):
    """The space after ``chars`` must be ``space`` (placeholder name or NONE)."""
    chars, expected, ok = _spacing_params(rule, params)
    skip_next = _param(params, "skip_before", str, "")
    rx = deferred(rule, lambda: _run_of(chars))

    def candidates(m_: str) -> Iterator[re.Match[str]]:
        if expected:
            yield from rx.finditer(m_)
            return
        n = len(m_)
        starts = set()
        for c in chars:
            i = m_.find(c)
            while i != -1:
                if i + 1 < n and m_[i + 1] in HSPACE:
                    starts.add(i)
                i = m_.find(c, i + 1)
        last = -1
        for p in sorted(starts):
            if p < last:
                continue
            while p > 0 and m_[p - 1] in chars:
                p -= 1
            m = rx.match(m_, p)
            if m:
                last = m.end()
                yield m

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        n = len(m_)
        for m in candidates(m_):
            e = m.end()
            j = e
            while j < n and m_[j] in HSPACE:
                j += 1
            if j >= n or m_[j] == "\n" or m_[j] in skip_next:
                continue
            sp = m_[e:j]
            if sp == expected or (len(sp) == 1 and sp in ok):
                continue
            if not expected and m_[j] == MASK:
                continue
            yield Hit(e, j, expected)

    return find


def _space_runs(
    m_: str, literals: tuple[str, ...], at: Iterable[int] = ()
) -> list[tuple[int, int]]:
    """Maximal runs of horizontal space containing one of ``literals`` or one of the
    positions ``at``."""
    runs: set[tuple[int, int]] = set()
    n = len(m_)

    def run_around(i: int, j: int) -> int:
        s = i
        while s > 0 and m_[s - 1] in HSPACE:
            s -= 1
        e = j
        while e < n and m_[e] in HSPACE:
            e += 1
        runs.add((s, e))
        return e

    for lit in literals:
        i = m_.find(lit)
        while i != -1:
            i = m_.find(lit, run_around(i, i + len(lit)))
    for i in at:
        run_around(i, i + 1)
    return sorted(runs)


_HIDDEN_KINDS = ("invisible", "line_separator", "bidi", "control")


@builtin("hidden_characters")
def _hidden_characters(rule: TypographyRule, params: dict[str, Any]):
    """Characters that hide or reorder what is displayed (``laureate_writer.visible``).
    ``params.kinds``: which of invisible (fixed by removal), line_separator (fixed by a
    space), bidi and control (no safe fix: what the reader should see is unknown)."""
    from laureate_writer import visible

    kinds = _param(params, "kinds", list, list(_HIDDEN_KINDS))
    if not set(kinds) <= set(_HIDDEN_KINDS):
        raise RuleError(f"params.kinds : au choix parmi {', '.join(_HIDDEN_KINDS)}", "params")
    chars = {
        "invisible": visible.INVISIBLE,
        "line_separator": visible.LINE_SEPARATORS,
        "bidi": visible.BIDI_CONTROLS,
        "control": visible.CONTROLS,
    }
    fixes = {"invisible": "", "line_separator": " "}
    wanted = {c: fixes.get(kind) for kind in kinds for c in chars[kind]}
    pattern = _compile(rule, "[" + re.escape("".join(wanted)) + "]")

    def find(doc: Document) -> Iterator[Hit]:
        # the raw text: a protected span (a URL) hides nothing from this rule's search
        for m in pattern.finditer(doc.text):
            char = m.group()
            yield Hit(m.start(), m.end(), wanted[char], {"char": visible.name(char)})

    return find


# A non-breaking or thin space next to another horizontal space (a lone one is fine).
_WIDE_SPACE_IN_RUN = split_prefix(
    re.compile(
        "[\u00a0\u202f\u2009](?:(?=[" + re.escape(HSPACE) + "])|(?<=[" + re.escape(HSPACE) + "].))",
        re.S,
    )
)


@builtin("multiple_spaces")
def _multiple_spaces(rule: TypographyRule, params: dict[str, Any]):
    """Runs of spaces inside a line collapse to one; a run holding a non-breaking
    space keeps the narrowest non-breaking kind; a tab becomes a space."""

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        n = len(m_)
        # runs of two or more spaces, or a tab: those holding "  " or a tab, or a
        # non-breaking or thin space next to another space
        wide = (m.start() for m in _WIDE_SPACE_IN_RUN.finditer(m_))
        for s, e in _space_runs(m_, ("  ", "\t"), wide):
            run = m_[s:e]
            if len(run) < 2 and run != "\t":
                continue
            if s == 0 or e >= n or m_[s - 1] == "\n" or m_[e] == "\n":
                continue  # indentation or trailing space: other rules
            if "\u202f" in run:
                want = "\u202f"
            elif "\u00a0" in run:
                want = "\u00a0"
            else:
                want = " "
            yield Hit(s, e, want)

    return find


_SPACED_LINE_END = re.compile("\n(?<=[" + re.escape(HSPACE) + "]\n)")


@builtin("trailing_space")
def _trailing_space(rule: TypographyRule, params: dict[str, Any]):
    """Spaces at the end of a line go, except the Markdown hard break (exactly two
    ASCII spaces after text)."""

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        # the ends of the lines that end with a space (a literal scan for "\n")
        ends = [m.start() for m in _SPACED_LINE_END.finditer(m_)]
        ends.append(len(m_))
        for e in ends:
            s = e
            while s > 0 and m_[s - 1] in HSPACE:
                s -= 1
            if s == e:
                continue
            if m_[s:e] == "  " and s > 0 and m_[s - 1] != "\n":
                continue
            yield Hit(s, e, "")

    return find


# -------------------------------------------------------------------------- quotes
def _pairs(doc: Document, rule: Rule, opening: str, closing: str | None):
    """Yield (segment, positions) for each segment of the rule's scope holding quote
    characters (``opening`` or ``closing``): the positions of those in it, in order.
    The characters are found in the whole text first (they are rare), then grouped."""
    m_ = doc.masked
    positions: list[int] = []
    for c in set(opening + (closing or "")):
        i = m_.find(c)
        while i != -1:
            positions.append(i)
            i = m_.find(c, i + 1)
    if not positions:
        return
    positions.sort()
    segments, starts = doc.segments, doc.seg_starts
    scopes = rule.scopes
    k, n = 0, len(positions)
    while k < n:
        i = bisect_right(starts, positions[k]) - 1
        if i < 0:
            k += 1
            continue
        seg = segments[i]
        j = k
        while j < n and positions[j] < seg.end:
            j += 1
        if j > k and (scopes is None or seg.scope in scopes):
            yield seg, positions[k:j]
        k = max(j, k + 1)


@builtin("straight_quotes")
def _straight_quotes(rule: TypographyRule, params: dict[str, Any]):
    """ "…" → «\u00a0…\u00a0» when the quotes of the paragraph pair up; otherwise flag."""
    g = rule.settings.char("GUILL")

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for _seg, pos in _pairs(doc, rule, '"', None):
            ok = len(pos) % 2 == 0
            plan = []
            for k, p in enumerate(pos):
                before = m_[p - 1] if p > 0 else "\n"
                after = m_[p + 1] if p + 1 < len(m_) else "\n"
                if k % 2 == 0:  # opening
                    if not (before in "\n([" + HSPACE or before == MASK) or after in "\n":
                        ok = False
                    j = p + 1
                    while j < len(m_) and m_[j] in HSPACE:
                        j += 1
                    plan.append((p, j, "«" + g))
                else:
                    if before in "\n":
                        ok = False
                    i = p
                    while i > 0 and m_[i - 1] in HSPACE:
                        i -= 1
                    plan.append((i, p + 1, g + "»"))
            for s, e, r in plan:
                yield Hit(s, e, r if ok else None)

    return find


@builtin("english_quotes")
def _english_quotes(rule: TypographyRule, params: dict[str, Any]):
    """“…” used as first-level quotes (outside « ») → « … »."""
    g = rule.settings.char("GUILL")

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for _seg, pos in _pairs(doc, rule, "“”«", "»"):
            depth = 0
            open_at = None
            for p in pos:
                c = m_[p]
                if c == "«":
                    depth += 1
                elif c == "»":
                    depth = max(0, depth - 1)
                elif depth == 0 and c == "“":
                    if open_at is not None:
                        yield Hit(open_at, open_at + 1, None)
                    open_at = p
                elif depth == 0 and c == "”":
                    if open_at is None:
                        yield Hit(p, p + 1, None)
                        continue
                    j = open_at + 1
                    while m_[j] in HSPACE:
                        j += 1
                    i = p
                    while m_[i - 1] in HSPACE:
                        i -= 1
                    yield Hit(open_at, j, "«" + g)
                    yield Hit(i, p + 1, g + "»")
                    open_at = None
            if open_at is not None:
                yield Hit(open_at, open_at + 1, None)

    return find


@builtin("nested_guillemets")
def _nested_guillemets(rule: TypographyRule, params: dict[str, Any]):
    """« inside « » : second-level quotes are “ ”."""

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for _seg, pos in _pairs(doc, rule, "«", "»"):
            stack: list[int] = []
            for p in pos:
                if m_[p] == "«":
                    stack.append(p)
                elif stack:
                    o = stack.pop()
                    if stack:  # closed an inner pair
                        j = o + 1
                        while m_[j] in HSPACE:
                            j += 1
                        i = p
                        while m_[i - 1] in HSPACE:
                            i -= 1
                        yield Hit(o, j, "“")
                        yield Hit(i, p + 1, "”")

    return find


@builtin("apostrophe")
def _apostrophe(rule: TypographyRule, params: dict[str, Any]):
    """Straight apostrophe after an elidable word (l' d' qu' jusqu'...) → ’."""
    words = _param(params, "elided", list, [])
    if not words:
        raise RuleError("params.elided (liste des mots élidables) est obligatoire", "params")
    rx_prev = re.compile(r"(?:^|[^\w’'])(?:" + "|".join(re.escape(w) for w in words) + r")\Z", re.I)

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        n = len(m_)
        start = m_.find("'")
        while start != -1:
            if (
                start + 1 < n
                and _is_word(m_[start + 1])
                and rx_prev.search(m_, max(0, start - 9), start)
            ):
                yield Hit(start, start + 1, "’")
            start = m_.find("'", start + 1)

    return find


_VOWEL_START = "aeiouyhàâäéèêëîïôöûüùœæAEIOUYHÀÂÄÉÈÊËÎÏÔÖÛÜÙŒÆ"


@builtin("elision")
def _elision(rule: TypographyRule, params: dict[str, Any]):
    """A missing apostrophe: an elidable word written alone before a vowel (« j ai »,
    « s il », « n est », « qu elle »). ``words`` maps each elidable word to the words
    it elides before (empty: any word starting with a vowel or a mute h)."""
    words = _param(params, "words", dict, {})
    if not words:
        raise RuleError("params.words (mot élidable → mots suivants) est obligatoire", "params")
    follows = {
        str(w).lower(): tuple(str(x).lower() for x in (v or ()))
        for w, v in words.items()
        if w != "__line__"
    }
    alts = "|".join(re.escape(w) for w in sorted(follows, key=len, reverse=True))
    # run only when a candidate stands alone as a token (most texts have none)
    rx = _compile(rule, r"(?<![\w’'\-.])(" + alts + r")[ ](?=[" + _VOWEL_START + r"])(\w+)", re.I)
    after_number = _compile(rule, r"\d[ \u00a0\u202f]*\Z")
    # « les lettres c et d ont » : a letter in a list of letters
    after_letter = _compile(rule, r"(?:^|[^\w’'])\w(?:,| et| ou) \Z")

    def find(doc: Document) -> Iterator[Hit]:
        key = ("tokens",)
        tokens = doc.memo.get(key)
        if tokens is None:
            tokens = doc.memo[key] = set(itertools.chain.from_iterable(doc.article_tokens))
        if not any(w in tokens for w in follows):
            return
        m_ = doc.masked
        for m in rx.finditer(m_):
            word, nxt = m.group(1), m.group(2).lower()
            allowed = follows[word.lower()]
            if allowed and nxt not in allowed:
                continue
            if len(word) == 1 and after_number.search(m_, max(0, m.start() - 12), m.start()):
                continue  # « 3 l », « 10 m », « 2 t » are units
            if len(word) == 1 and after_letter.search(m_, max(0, m.start() - 6), m.start()):
                continue
            yield Hit(m.start(1), m.end(1) + 1, word + "’")

    return find


@builtin("unpaired")
def _unpaired(rule: TypographyRule, params: dict[str, Any]):
    """Brackets and quotes that open without closing (or close without opening) within
    a paragraph. Enumerations (« a) », « 2) ») and smileys are not brackets."""
    pairs = _param(params, "pairs", list, [])
    if not pairs or not all(isinstance(p, str) and len(p) == 2 for p in pairs):
        raise RuleError(
            "params.pairs doit lister des paires de deux caractères comme « () »", "params"
        )
    closer_of = {p[0]: p[1] for p in pairs}
    opener_of = {p[1]: p[0] for p in pairs}
    chars = "".join(pairs)

    def is_bracket(m_: str, p: int) -> bool:
        c = m_[p]
        if c in ")]":
            before = m_[p - 1] if p > 0 else "\n"
            if before in ":;-=" or (_is_word(before) and (p < 2 or m_[p - 2] in HSPACE + "\n")):
                return False  # « :) », « a) », « 2) »
        return True

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for _seg, pos in _pairs(doc, rule, chars, None):
            stack: list[int] = []
            for p in pos:
                if not is_bracket(m_, p):
                    continue
                c = m_[p]
                if c in closer_of:
                    stack.append(p)
                    continue
                want = opener_of[c]
                k = len(stack) - 1
                while k >= 0 and m_[stack[k]] != want:
                    k -= 1
                if k < 0:
                    yield Hit(p, p + 1, None)
                    continue
                for q in stack[k + 1 :]:  # openers left open inside this pair
                    yield Hit(q, q + 1, None)
                del stack[k:]
            for q in stack:
                yield Hit(q, q + 1, None)

    return find


_INFINITIVE = r"[a-zàâçéèêëîïôûùüÿœæ]+(?:er|ir|oir|re)"


@builtin("repeated_preposition")
def _repeated_preposition(rule: TypographyRule, params: dict[str, Any]):
    """« de réduire les délais et améliorer » : « de » (or « à ») not repeated before
    the second of two coordinated infinitives (a series with commas, « de détecter,
    signaler et suivre », is left alone). Found from each « et » (a literal
    scan), then the first infinitive is looked for in the 70 characters before.
    ``locutions``: fixed pairs that never repeat it (« la liberté d’aller et venir »)."""
    skip = _param(params, "not_infinitives", list, ["entre", "contre", "notre", "votre",
                                                    "autre", "être", "lire"])  # fmt: skip
    locutions = _param(params, "locutions", list, [])
    fixed = _compile(
        rule, r"(?<!\w)(?:" + "|".join(re.escape(str(loc)) for loc in locutions) + r")\Z"
    ) if locutions else None  # fmt: skip
    second = _compile(
        rule, r" et (?!(?:" + "|".join(map(re.escape, skip)) + r")\b)" + _INFINITIVE + r"\b"
    )
    first = _compile(
        rule, r"(?<![\w’'])(?:de|d[’']|à)[ ]?" + _INFINITIVE + r"\b[^.,;:!?\n«»()]{0,60}?\Z"
    )

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for m in second.finditer(m_):
            if fixed is not None and fixed.search(m_, max(0, m.start() - 60), m.end()):
                continue
            start = max(0, m.start() - 70)
            f = first.search(m_, start, m.start())
            if f is not None:
                yield Hit(f.start(), m.end(), None)

    return find


# ------------------------------------------------------------------------- numbers
_YEAR_CUES = re.compile(
    r"(?:\b(?:en|année|depuis|dès|jusqu[’']en|vers|l[’']an|avant|après|printemps|été|"
    r"automne|hiver|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre))[ \u00a0]+\Z",
    re.I,
)
_UNIT_AFTER = re.compile(r"[ \u00a0\u202f]*(?:€|%|\$|£|euros?\b|km|kg|m²|ha\b|habitants\b)")


@builtin("thousands")
def _thousands(rule: TypographyRule, params: dict[str, Any]):
    """Group the digits of quantities by three (3 000, 160 000, 1 000 000); never years
    (1900–2100, or any 4-digit number after « en », « depuis »...), numbers starting
    with 0, identifiers of ten digits or more, decimals' fractional part. Phone numbers,
    postal codes and references are protected by the document mask."""
    sep = rule.settings.char("THOUSANDS")
    ok = rule.settings.char("THOUSANDS_OK")
    four = bool(rule.settings.values["group_four_digits"])
    rx = _compile(rule, r"\d+(?:[ \u00a0\u202f\u2009.]\d{3}(?!\d))*(?:,\d+)?")
    split = _compile(rule, r"[ \u00a0\u202f\u2009.]")

    numbers = Scanner(rule.scopes, digits=True)

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for m in numbers.scan(doc, rx):
            s, e = m.span()
            if e - s < 4:  # under four digits and no group: nothing to do (most numbers)
                continue
            if not _stands_alone(m_, s, e, ".,-/–+" + MASK, "-/" + MASK):
                continue
            num = m.group()
            intpart, _, dec = num.partition(",")
            groups = split.split(intpart)
            seps = [c for c in intpart if not c.isdigit()]
            first = groups[0]
            if len(groups) > 1:
                if len(first) > 3 or (first.startswith("0") and len(first) > 1):
                    continue
                if "." in seps and (len(groups) < 3 or set(seps) != {"."}):
                    continue  # 2.500 is ambiguous
                digits = "".join(groups)
                if len(digits) == 4 and not four:
                    continue
                if all(c in ok for c in seps):
                    continue
            else:
                digits = first
                if len(digits) < 4 or len(digits) > 9 or digits.startswith("0"):
                    continue
                if len(digits) == 4:
                    if not four:
                        continue
                    # a year (by its value, or a cue before: « en 2400 »), unless a
                    # unit follows; the cue search is the dear part, asked last
                    if not _UNIT_AFTER.match(m_, e) and (
                        1900 <= int(digits) <= 2100 or _YEAR_CUES.search(m_, max(0, s - 20), s)
                    ):
                        continue
            head = len(digits) % 3 or 3
            grouped = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
            expected = sep.join(grouped) + ("," + dec if dec else "")
            yield Hit(s, e, expected)

    return find


@builtin("hours")
def _hours(rule: TypographyRule, params: dict[str, Any]):
    """Times of day: 8 h, 18 h 30 (non-breaking spaces); never 18h30, 8h00, 20H,
    18:30."""
    sp = rule.settings.char("UNIT")
    colon = _param(params, "colon_times", bool, True)
    rx = _compile(
        rule,
        r"\d{1,2}(?:[ \u00a0\u202f]?[hH](?:[ \u00a0\u202f]?[0-5]\d(?!\d))?"
        + (r"|:[0-5]\d(?![\d:]))" if colon else ")"),
    )

    numbers = Scanner(rule.scopes, digits=True)

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for m in numbers.scan(doc, rx):
            s, e = m.span()
            if _glued_before(m_, s, ".,:/-–" + MASK):
                continue
            if _glued_after(m_, e, "’'" + MASK):
                continue
            txt = m.group()
            hh = "".join(c for c in txt[:2] if c.isdigit())
            rest = txt[len(hh) :]
            if ":" in rest:
                if _decimal_follows(m_, e):
                    continue
                if int(hh) > 23:
                    continue
            elif int(hh) > 24:
                continue
            mm = "".join(c for c in rest if c.isdigit())
            expected = f"{int(hh)}{sp}h" + (f"{sp}{mm}" if mm and mm != "00" else "")
            yield Hit(s, e, expected)

    return find


_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre"
)


@builtin("dates")
def _dates(rule: TypographyRule, params: dict[str, Any]):
    """Day and month: no leading zero, 1er for the first, month in lowercase."""
    rx = _compile(rule, r"\d{1,2}(?:er|re|ère)?([ \u00a0\u202f]+)(" + _MONTHS + r")\b", re.I)
    numbers = Scanner(rule.scopes, digits=True)

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for m in numbers.scan(doc, rx):
            s, e = m.span()
            if _glued_before(m_, s, ".,-/" + MASK):
                continue
            digits = "".join(c for c in m.group()[:2] if c.isdigit())
            day = int(digits)
            if not 1 <= day <= 31:
                continue
            dayfmt = "1er" if day == 1 else str(day)
            expected = dayfmt + m.group(1) + m.group(2).lower()
            yield Hit(s, e, expected)

    return find


@builtin("unit_space")
def _unit_space(rule: TypographyRule, params: dict[str, Any]):
    """Number, non-breaking space, symbol: 63 %, 15 km, 20 €."""
    units = _param(params, "units", list, [])
    if not units:
        raise RuleError("params.units est obligatoire", "params")
    sp = rule.settings.char("UNIT")
    ok = rule.settings.char("UNIT_OK")
    alts = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    rx = _compile(rule, r"\d+(?:[.,]\d+)?([ \u202f\u00a0\u2009]?)(" + alts + r")(?![\w²³’'\-])")
    numbers = Scanner(rule.scopes, digits=True)

    def find(doc: Document) -> Iterator[Hit]:
        for m in numbers.scan(doc, rx):
            if len(m.group(1)) == 1 and m.group(1) in ok:
                continue
            yield Hit(m.start(1), m.end(1), sp)

    return find


_DOTTED_ACRONYM = re.compile(r"[A-Z]\.(?:[A-Z]\.)+")
# the first dot of "X.Y." (where an acronym written with dots can start)
_ACRONYM_DOT = re.compile(r"\.(?<=[A-Z]\.)(?=[A-Z]\.)")


def _dotted_acronyms(m_: str) -> Iterator[re.Match[str]]:
    """``_DOTTED_ACRONYM.finditer(m_)``, found from the dots (a literal ``re`` skips
    ahead to) rather than from every capital letter (a class it tests at each
    position)."""
    return matches_at(_DOTTED_ACRONYM, m_, (dot.start() - 1 for dot in _ACRONYM_DOT.finditer(m_)))


@builtin("acronym_dots")
def _acronym_dots(rule: TypographyRule, params: dict[str, Any]):
    """S.N.C.F. → SNCF. Before a capitalised word the final dot may end the sentence
    (or the letters may be initials): flag only."""

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        n = len(m_)
        for m in _dotted_acronyms(m_):
            s, e = m.span()
            if _glued_before(m_, s, "-." + MASK):
                continue
            if _glued_after(m_, e, "-" + MASK):
                continue
            letters = m.group().replace(".", "")
            j = e
            while j < n and m_[j] in HSPACE:
                j += 1
            nxt = m_[j] if j < n else "\n"
            if nxt.isupper():
                yield Hit(s, e, None)
            elif nxt == "\n" and j == e:
                yield Hit(s, e, letters + ".")
            else:
                yield Hit(s, e, letters)

    return find


@builtin("range_dash")
def _range_dash(rule: TypographyRule, params: dict[str, Any]):
    """Number ranges take an en dash: 2019–2020, 10–12 ans. ISO dates, phone numbers
    and references (masked) are left alone."""
    rx = _compile(rule, r"\d{1,4}-\d{1,4}")
    numbers = Scanner(rule.scopes, digits=True)

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        for m in numbers.scan(doc, rx):
            s, e = m.span()
            if not _stands_alone(m_, s, e, "-–/.,:" + MASK, "-–/" + MASK):
                continue
            dash = s + m.group().index("-")
            yield Hit(dash, dash + 1, "–")

    return find


_ORDINAL_SUFFIX = {
    "ème": "e",
    "eme": "e",
    "ième": "e",
    "ieme": "e",
    "è": "e",
    "èmes": "es",
    "emes": "es",
    "ièmes": "es",
    "iemes": "es",
}


@builtin("ordinals")
def _ordinals(rule: TypographyRule, params: dict[str, Any]):
    """21ème → 21e, 1ère → 1re, 1ier → 1er, 2nd → 2d, XIXème → XIXe."""
    # a space may separate the number from its suffix (« 3 eme », « XXI ème »), but
    # only with a suffix that is no French word of its own
    rx_num = _compile(
        rule,
        r"\d+(?:(ièmes?|iemes?|èmes?|emes?|è|ères?|eres?|ières?|ieres?|iers?|nde?s?)"
        r"|[ \u00a0\u202f](ièmes?|iemes?|èmes?|emes?|è|ères?|eres?|ières?|ieres?|i?ers?|nde?s?))"
        r"\b",
    )
    rx_roman = _compile(
        rule, r"[IVXLC]+(?:(ièmes?|iemes?|èmes?|emes?|è)|[ \u00a0](ièmes?|iemes?|èmes?|emes?|è))\b"
    )
    # the suffix cannot start with a numeral letter, so every match of rx_roman is a
    # whole run of numeral letters followed by a suffix: find the suffixes (one
    # charset-prefixed scan) and match from the start of their run
    rx_roman_end = deferred(
        rule,
        lambda: split_prefix(re.compile(r"[IVXLC][ \u00a0]?(?:ièmes?|iemes?|èmes?|emes?|è)\b")),
    )
    numbers = Scanner(rule.scopes, digits=True)

    def expected(num: str, suffix: str) -> str | None:
        suffix_l = suffix
        if suffix_l in _ORDINAL_SUFFIX:
            return num + _ORDINAL_SUFFIX[suffix_l]
        plural = "s" if suffix_l.endswith("s") else ""
        if suffix_l.rstrip("s") in ("ère", "ere", "ière", "iere"):
            return num + "re" + plural if num == "1" else None
        if suffix_l.rstrip("s") in ("ier", "er"):
            return num + "er" + plural if num == "1" else None
        if suffix_l.startswith("nd"):
            return num + "d" + suffix_l[2:] if num == "2" else None
        return None

    def find(doc: Document) -> Iterator[Hit]:
        m_ = doc.masked
        matches = list(numbers.scan(doc, rx_num))
        if "è" in m_ or "eme" in m_:
            for em in rx_roman_end.finditer(m_):
                p = em.start()
                while p > 0 and m_[p - 1] in "IVXLC":
                    p -= 1
                m = rx_roman.match(m_, p)
                if m is not None and (m.start() == 0 or not _is_word(m_[m.start() - 1])):
                    matches.append(m)
        for m in matches:
            s = m.start()
            if _glued_before(m_, s, "-"):
                continue
            g = 1 if m.group(1) is not None else 2
            num = m.group()[: m.start(g) - s].rstrip(" \u00a0\u202f")
            if g == 2 and not num.isdigit() and len(num) == 1 and num in "LC":
                continue  # « L ème » is no numeral anyone writes; a letter and a word
            exp = expected(num, m.group(g))
            if exp is not None:
                yield Hit(s, m.end(), exp)

    return find


RULE = TypographyRule
