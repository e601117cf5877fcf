"""The style engine's fast paths give exactly what the plain formulation gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from laureate_writer.style import load_style
from laureate_writer.style.document import _WORD, MASK, Document
from laureate_writer.style.engine import MAX_FIX_PASSES, make_document
from laureate_writer.style.rules.base import fast_prefix

ALPHABET = "ab.!?… \u00a0\u202f\n'’«»()[]0123456789-,;:#*_`" + "\ue000"
TEXTS = st.text(alphabet=ALPHABET, max_size=120)


@given(TEXTS)
@settings(max_examples=200, deadline=None)
def test_fast_prefix_matches_the_same(text):
    for pattern in (r"\.{3,}(?<!etc\.{3})", r"[!?]{2,}", r"a+b?", r"\.+", r"[]a]+", r"[^ab]{2,}"):
        fast = fast_prefix(pattern)
        assert fast != pattern
        slow_hits = [(m.span(), m.groups()) for m in re.finditer(pattern, text)]
        fast_hits = [(m.span(), m.groups()) for m in re.finditer(fast, text)]
        assert slow_hits == fast_hits


def test_fast_prefix_leaves_other_patterns_alone():
    for pattern in (r"\d+", r"(a)+", r"a+?", r"a++", r"[a\]]+", r"\b(M\.)", r"x{0,}", r"\w{2,}"):
        assert fast_prefix(pattern) == pattern


@given(TEXTS)
@settings(max_examples=200, deadline=None)
def test_document_words_are_the_word_runs(text):
    doc = Document(text)
    assert doc.words == set(_WORD.findall(doc.lower))


def _edited_plain(doc, edits):
    """Each article's text with the edits that fall in it, applied from the last."""
    out = []
    for a_start, a_end in zip(doc.article_starts, doc.article_ends, strict=True):
        text = doc.text[a_start:a_end]
        for s, e, r in reversed([x for x in edits if a_start <= x[0] <= a_end]):
            text = text[: s - a_start] + r + text[e - a_start :]
        out.append(text)
    return out


def _converge_every_rule_every_round(style, texts):
    """The plain algorithm: every rule runs in every round."""
    doc = make_document(texts, None)
    for _ in range(MAX_FIX_PASSES):
        edits, seen = style._round(doc, style.rules)
        if not edits:
            return doc, seen
        doc = make_document(_edited_plain(doc, edits), None)
    return doc, style._round(doc, style.rules)[1]


@given(st.lists(TEXTS, min_size=1, max_size=4))
@settings(max_examples=150, deadline=None)
def test_non_fixable_rules_run_once_with_the_same_result(texts):
    style = load_style()
    doc, seen = _converge_every_rule_every_round(style, texts)
    expected = list(zip(doc.texts(), style._report(doc, seen), strict=True))
    assert style.fix_and_check_many(texts) == expected


_LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+\S")


def _segments_line_by_line(doc):
    """Sections and segments computed one regex-matched line at a time."""
    text, masked = doc.text, doc.masked
    markers = {
        text.rfind("\n", 0, m.start()) + 1: m.group(1)
        for m in re.finditer(r"^[ \t]*<!--\s*lw:([a-z_]+)\b[^\n]*?-->[ \t]*$", text, re.M)
    }
    sections, segments, kind, cur = [], [], "text", None
    for lm in _LINES.finditer(text):
        ls, le = lm.span()
        if ls in doc.article_starts:
            kind, cur = "text", None
            sections.append(kind)
        if le > ls and text[le - 1] == "\n":
            le -= 1
        if ls in markers:
            kind, cur = markers[ls], None
            sections.append(kind)
            continue
        if not masked[ls:le].strip(" \t\r" + MASK).strip():
            cur = None
            continue
        h = _HEADING.match(text[ls:le])
        scope = {"headline": "headline", "lead": "lead", "caption": "caption"}.get(kind)
        if kind == "prize_label":
            scope = "label"
        elif scope is None:
            scope = (
                ("headline" if len(h.group(1)) == 1 and kind == "text" else "intertitle")
                if h
                else "body"
            )
        sec = len(sections) - 1
        if cur and cur[2] == scope and cur[3] == sec and scope not in ("headline", "intertitle"):
            cur[1] = le
            continue
        cur = [ls, le, scope, sec]
        segments.append(cur)
    return sections, [tuple(c) for c in segments]


MD = st.text(alphabet="ab #\n-*<!->lw:edhcaptionru`\ue000", max_size=160)


@given(st.lists(MD, min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_segments_are_those_of_the_line_by_line_parse(texts):
    doc = Document(texts)
    sections, segments = _segments_line_by_line(doc)
    assert [s.kind for s in doc.sections] == sections
    assert [(g.start, g.end, g.scope, g.section) for g in doc.segments] == segments


CUE_PIECES = st.sampled_from(
    [
        "n°",
        "Nº",
        "article",
        "Articles",
        "art.",
        "décret",
        "Loi",
        "arrêté",
        "circulaire",
        "ISO",
        "NF",
        "NF EN",
        "EN",
        "RFC",
        "page",
        "Pages",
        "p.",
        "pp.",
        "réf.",
        "SIRET",
        "SIREN",
        " ",
        "\u00a0",
        "A.",
        "B",
        ".",
        "x",
        "é",
        "_",
        "1",
        "2024",
        "-",
        "/",
        "\n",
    ]
)


@given(st.lists(CUE_PIECES, max_size=14).map("".join))
@settings(max_examples=400, deadline=None)
def test_reference_cue_read_backwards_is_the_forward_search(text):
    from laureate_writer.style.document import _DIGITS, _REF_CUE, _REF_CUE_REVERSED

    backwards = text[::-1]
    for m in _DIGITS.finditer(text):
        s = m.start()
        forward = _REF_CUE.search(text, max(0, s - 16), s) is not None
        assert forward == (s > 0 and _REF_CUE_REVERSED.match(backwards, len(text) - s) is not None)


DOMAIN_PIECES = st.sampled_from(
    [
        "ville",
        "www",
        ".",
        ".fr",
        ".com",
        ".re",
        "fr",
        "-",
        "_",
        "@",
        "/",
        "/page",
        " ",
        "\n",
        "«",
        "»",
        "x",
        "é",
        "1",
        ":",
        "https://",
        "a.fr/b",
        "mailto:",
        "?",
        ")",
        "(",
    ]
)


@given(st.lists(DOMAIN_PIECES, max_size=16).map("".join))
@settings(max_examples=400, deadline=None)
def test_domain_spans_are_those_of_the_window_search(text):
    from laureate_writer.style.document import _DOMAIN, _TLD, _around, _domain_spans

    assert _domain_spans(text, text[::-1]) == _around(text, _TLD, _DOMAIN, 128, 256)


SPLIT_ALPHABET = ";!?’'ab()[] \n.I" + "\u00a0"


@given(st.text(alphabet=SPLIT_ALPHABET, max_size=60), st.integers(0, 8), st.integers(0, 70))
@settings(max_examples=400, deadline=None)
def test_prefix_split_finds_what_the_class_pattern_finds(text, pos, endpos):
    from laureate_writer.style.rules.base import PrefixSplit, split_prefix

    for pattern in (
        r"[;!\?][;!\?]*",
        r"[’'](?:(?<=\b[ld][’'])|(?<=\b[Qq]u[’']))[ \t]+(?=\w)",
        r"[!?][!?][!?]*",
        r"[\(\[][\(\[]*",
        r"[ab](a|b)\1?",
        r"[I;](?:a|b)?\b",
        r"[]a](?=[^a])",
    ):
        plain = re.compile(pattern)
        split = split_prefix(plain)
        assert isinstance(split, PrefixSplit)
        for args in ((text,), (text, pos), (text, pos, endpos)):
            want = [(m.span(), m.groups()) for m in plain.finditer(*args)]
            assert [(m.span(), m.groups()) for m in split.finditer(*args)] == want
            got = split.search(*args)
            first = plain.search(*args)
            assert (got and got.span()) == (first and first.span())


def test_prefix_split_leaves_other_patterns_alone():
    from laureate_writer.style.rules.base import split_prefix

    for pattern, flags in (
        (r"[a-z]x", 0),
        (r"[ab]x|y", 0),
        (r"[^ab]", 0),
        (r"[ab]+", 0),
        (r"[ab]x", re.I),
        (r"[abcdef]x", 0),
        (r"ax", 0),
    ):
        rx = re.compile(pattern, flags)
        assert split_prefix(rx) is rx


SPACES_ALPHABET = "AB.a \t\u00a0\u202f\u2009-\n"


def _acronym_matches_plain(masked):
    return [m.span() for m in re.finditer(r"[A-Z]\.(?:[A-Z]\.)+", masked)]


def _space_runs_plain(masked):
    """The runs the multiple-spaces check looked at: every maximal run of horizontal
    space holding "  ", a tab, or any non-breaking or thin space."""
    runs = set()
    for m in re.finditer("[ \t\u00a0\u202f\u2009]+", masked):
        if any(x in m.group() for x in ("  ", "\t", "\u00a0", "\u202f", "\u2009")):
            runs.add(m.span())
    return sorted(runs)


@given(st.text(alphabet=SPACES_ALPHABET, max_size=80))
@settings(max_examples=300, deadline=None)
def test_acronym_dots_and_space_runs_found_from_literals_are_the_plain_ones(text):
    from laureate_writer.style.rules.typography import (
        _WIDE_SPACE_IN_RUN,
        _dotted_acronyms,
        _space_runs,
    )

    doc = Document(text, "body")
    assert [m.span() for m in _dotted_acronyms(doc.masked)] == _acronym_matches_plain(doc.masked)
    wide = [m.start() for m in _WIDE_SPACE_IN_RUN.finditer(doc.masked)]
    found = [r for r in _space_runs(doc.masked, ("  ", "\t"), wide) if r[1] - r[0] > 1]
    plain = [r for r in _space_runs_plain(doc.masked) if r[1] - r[0] > 1]
    assert found == plain


def _at_sentence_start_plain(doc, pos):
    masked = doc.masked
    i = pos - 1
    while i >= 0 and masked[i] in " \t\u00a0\u202f" + MASK + '«“"(*_':
        i -= 1
    if i < 0 or masked[i] == "\n":
        return True
    seg = doc.segment_at(pos)
    if seg is not None and i < seg.start:
        return True
    # a point glued to what follows ("3.11") ends no sentence
    return masked[i] in ".!?…" and not (i == pos - 1 and i > 0 and masked[i - 1].isalnum())


SENTENCE_ALPHABET = "ab. \n«*_`<!->\u00a0" + MASK


@given(st.lists(st.text(alphabet=SENTENCE_ALPHABET, max_size=60), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_sentence_start_shortcut_is_the_plain_walk(texts):
    from laureate_writer.style.rules.base import at_sentence_start

    doc = Document(texts)
    for pos in range(len(doc.text) + 1):
        assert at_sentence_start(doc, pos) == _at_sentence_start_plain(doc, pos)


def _pairs_plain(doc, rule, chars):
    m_ = doc.masked
    for seg in rule.segments_in_scope(doc) if rule.scopes else doc.segments:
        text = m_[seg.start : seg.end]
        if any(c in text for c in chars):
            yield seg, [seg.start + i for i, c in enumerate(text) if c in chars]


QUOTES_ALPHABET = 'a "«»“”\n#' + MASK


@given(st.lists(st.text(alphabet=QUOTES_ALPHABET, max_size=60), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_quote_pairs_grouped_from_the_whole_text_are_the_plain_ones(texts):
    from laureate_writer.style.rules.typography import _pairs

    style = load_style()
    doc = Document(texts)
    for rid, opening, closing in (
        ("typo.straight-quotes", '"', None),
        ("typo.english-quotes", "“”«", "»"),
        ("typo.nested-guillemets", "«", "»"),
    ):
        rule = style.by_id[rid]
        plain = list(_pairs_plain(doc, rule, opening + (closing or "")))
        assert list(_pairs(doc, rule, opening, closing)) == plain


@given(
    st.text(alphabet="Mme. !?Pr", max_size=40),
    st.lists(st.text(alphabet="Mme. !?Pr", min_size=1, max_size=4), min_size=1, max_size=5),
)
@settings(max_examples=300, deadline=None)
def test_has_any_is_any_literal_in_the_masked_text(text, literals):
    doc = Document(text, "body")
    assert doc.has_any(tuple(literals)) == any(lit in doc.masked for lit in literals)


@given(
    st.lists(st.text(alphabet="ab \n", max_size=12), min_size=1, max_size=4),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3), st.text("xy", max_size=2))),
)
@settings(max_examples=300, deadline=None)
def test_edited_texts_are_those_of_the_plain_edit(texts, raw_edits):
    doc = Document(texts)
    # sorted, non-overlapping edits that stay inside articles (as rule edits do)
    edits, last = [], -1
    for s, length, r in sorted(raw_edits):
        a = doc.article_of(s)
        e = s + length
        if s <= last or s > doc.article_ends[a] or e > doc.article_ends[a]:
            continue
        if s == e and edits and edits[-1][0] == edits[-1][1] == s:
            continue
        edits.append((s, e, r))
        last = e if e > s else s
    assert doc.edited(edits) == _edited_plain(doc, edits)
