"""Fuzzing the inputs a careless or hostile user controls (issue 13): dossier files (YAML
and JSON), edition files, article files (front matter and markers) and model answers.

Each entry point takes one generated input and asserts the contract of every command:
no traceback, an exit code from the documented table, nothing written on exit 2. All
run in this process (``run_main`` through the CLI's top-level guard), never one
subprocess per input. ``tests/test_fuzz.py`` runs a few dozen inputs per entry point;
``make fuzz`` (``bench/fuzz.py``) runs ten thousand each and checks that memory stays
bounded.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import EDITION, EXAMPLES
from inprocess import run_main

EXIT_CODES = {0, 1, 2, 3, 70, 130}  # the documented table (70 fails the fuzz below)
SEEDS = sorted(p for p in EXAMPLES.glob("*.yaml") if p.name != "palmares.yaml")
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]

# Strings that broke something once, or look like they could.
HOSTILE = [
    "",
    " ",
    "~",
    "null",
    "true",
    "1.5",
    "2020-01-01",
    "2020-13-45",
    "0x1F",
    "1e999",
    "-0",
    "results-notes",
    "a[0]",
    "<<",
    "*a",
    "&a x",
    "!!python/object:os.system",
    "!!binary AAAA",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "\r\n",
    "\r",
    "\x00",
    "\x1b[31m",
    "\u202e21\u202c",
    "\u200b",
    "\u00ad",
    "\ufeff",
    "\u2028",
    "e\u0301té",
    "</dossier>",
    "<!-- lw:lead -->",
    "<!-- lw:nope -->",
    "# titre",
    "**gras**",
    "/etc/passwd",
    "../../secret.yaml",
    "/dev/zero",
    "javascript:alert(1)",
    "«",
    "»",
    "'",
    '"',
    "{",
    "[",
    "}",
    "]",
    ":",
    "- ",
    "? ",
    "|",
    ">",
    "#",
    "@",
    "`",
    "9" * 5000,
]
FIELD_NAMES = [
    "id",
    "award",
    "name",
    "year",
    "edition",
    "prize",
    "laureate",
    "project",
    "results",
    "value",
    "unit",
    "label",
    "quotes",
    "text",
    "dossiers",
    "prizes",
    "in_text",
    "kind",
    "gender",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(HOSTILE),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12), st.sampled_from(HOSTILE))
trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


def _mutate(text: str, ops: list[tuple[str, float, str]]) -> str:
    """Apply edit operations at relative positions: what a careless hand does."""
    for op, where, payload in ops:
        lines = text.split("\n")
        at = int(where * len(text))
        row = int(where * max(len(lines) - 1, 0))
        if op == "insert":
            text = text[:at] + payload + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + 1 + len(payload) :]
        elif op == "replace_line":
            lines[row] = payload
            text = "\n".join(lines)
        elif op == "value":  # a line's value replaced, its key kept
            key, sep, _ = lines[row].partition(":")
            lines[row] = f"{key}{sep or ':'} {payload}"
            text = "\n".join(lines)
        elif op == "duplicate":
            lines.insert(row, lines[row])
            text = "\n".join(lines)
        elif op == "indent":
            lines[row] = "  " + lines[row]
            text = "\n".join(lines)
        elif op == "dedent":
            lines[row] = lines[row].lstrip()
            text = "\n".join(lines)
        elif op == "truncate":
            text = text[:at]
    return text


ops = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "insert",
                "delete",
                "replace_line",
                "value",
                "duplicate",
                "indent",
                "dedent",
                "truncate",
            ]
        ),
        st.floats(0, 1),
        st.one_of(st.sampled_from(HOSTILE), st.text(max_size=10)),
    ),
    min_size=1,
    max_size=5,
)


@st.composite
def deep(draw: Any, flow: str = "yaml") -> str:
    depth = draw(st.integers(20, 4000))
    if flow == "json":
        return '{"id": "x", "project": ' + "[" * depth + "]" * depth + "}"
    opener = draw(st.sampled_from(["[", "{a: "]))
    closer = "]" if opener == "[" else "}"
    return "id: x\nproject: " + opener * depth + ("" if opener == "[" else "1") + closer * depth


@st.composite
def alias_bomb(draw: Any) -> str:
    width = draw(st.integers(2, 12))
    levels = draw(st.integers(2, 12))
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


dossier_yaml = st.one_of(
    st.builds(_mutate, st.sampled_from(SEED_TEXTS), ops),
    trees.map(lambda t: yaml.safe_dump(t, allow_unicode=True)),
    st.text(max_size=200),
    deep(),
    alias_bomb(),
)
dossier_json = st.one_of(
    st.builds(
        _mutate,
        st.sampled_from(
            [json.dumps(yaml.safe_load(t), ensure_ascii=False, indent=1) for t in SEED_TEXTS]
        ),
        ops,
    ),
    trees.map(lambda t: json.dumps(t, ensure_ascii=False)),
    st.text(max_size=200),
    deep("json"),
)
EDITION_TEXT = EDITION.read_text(encoding="utf-8")
edition_text = st.one_of(
    st.builds(_mutate, st.just(EDITION_TEXT), ops),
    st.builds(
        lambda names: (
            EDITION_TEXT.split("dossiers:")[0]
            + "dossiers:\n"
            + "".join(f"  - {json.dumps(n)}\n" for n in names)
        ),
        st.lists(
            st.one_of(
                st.sampled_from([p.name for p in SEEDS]),
                st.sampled_from(HOSTILE),
                st.text(max_size=20),
            ),
            max_size=4,
        ),
    ),
    trees.map(lambda t: yaml.safe_dump({"dossiers": t}, allow_unicode=True)),
)


# --- running one input ----------------------------------------------------------------------


class Workspace:
    """A scratch folder with the example dossiers, and drafted articles."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="lw-fuzz-"))
        for seed in SEEDS:
            (self.dir / seed.name).write_text(seed.read_text(encoding="utf-8"), "utf-8")
        self._articles: list[str] | None = None

    @property
    def articles(self) -> list[str]:
        if self._articles is None:
            self._articles = []
            for seed in SEEDS[:3]:
                target = self.dir / f"{seed.stem}.md"
                result = run_main("draft", str(self.dir / seed.name), "-o", str(target))
                assert result.returncode in (0, 1), result.stderr
                self._articles.append(target.read_text(encoding="utf-8"))
        return self._articles


def check_result(result: Any, args: tuple[str, ...]) -> None:
    assert result.returncode in EXIT_CODES, (args, result.returncode)
    assert result.returncode != 70, (args, result.stderr)  # an internal error: a bug
    assert "Traceback" not in result.stderr, (args, result.stderr)
    if result.returncode == 2:
        lines = result.stderr.strip().splitlines()
        assert lines, args
        assert all(line.strip() for line in lines), result.stderr


def run_dossier(ws: Workspace, text: str, suffix: str) -> int:
    path = ws.dir / f"fuzz{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = run_main("validate", str(path))
    check_result(result, ("validate", text[:200]))
    if result.returncode == 2:
        # the same input never leaves an output file behind
        out = ws.dir / "out" / "fuzz.md"
        drafted = run_main("draft", str(path), "-o", str(out))
        check_result(drafted, ("draft", text[:200]))
        assert drafted.returncode == 2 and not out.exists(), drafted.stderr
    return result.returncode


def run_edition(ws: Workspace, text: str) -> int:
    path = ws.dir / "fuzz-edition.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = run_main("validate", str(path))
    check_result(result, ("validate edition", text[:200]))
    return result.returncode


def run_article(ws: Workspace, text: str) -> int:
    """An article file read by ``regenerate`` (which writes it back) and ``check --fix``:
    on exit 2 the file is untouched."""
    path = ws.dir / "fuzz-article.md"
    raw = text.encode("utf-8", errors="surrogatepass")
    codes = []
    for args in (
        ("regenerate", str(path), "--section", "headline"),
        ("check", "--fix", str(path)),
    ):
        path.write_bytes(raw)
        result = run_main(*args)
        check_result(result, (*args[:1], text[:300]))
        if result.returncode == 2:
            assert path.read_bytes() == raw, args
        codes.append(result.returncode)
    return codes[0]


@st.composite
def article_text(draw: Any, ws: Workspace) -> str:
    seed = draw(st.sampled_from(ws.articles))
    front, _, body = seed.partition("\n---\n")
    kind = draw(st.sampled_from(["front", "body", "both", "marker", "tamper"]))
    if kind in ("front", "both"):
        front = _mutate(front, draw(ops))
    if kind in ("body", "both"):
        body = _mutate(body, draw(ops))
    if kind == "marker":
        name = draw(st.sampled_from(["lead", "headline", "nope", "LEAD", "lead --", ""]))
        body = _mutate(body, [("insert", draw(st.floats(0, 1)), f"\n<!-- lw:{name} -->\n")])
    if kind == "tamper":
        value = draw(trees)
        field = draw(st.sampled_from(["sections", "history", "reports", "format", "dossier"]))
        front = re.sub(rf"(?m)^{field}:.*(\n[ -].*)*", "", front)
        front += "\n" + yaml.safe_dump({field: value}, allow_unicode=True).rstrip("\n")
    return f"{front}\n---\n{body}"


# --- model answers ------------------------------------------------------------------------


completion_content = st.one_of(
    trees.map(lambda t: json.dumps(t, ensure_ascii=False)),
    st.builds(
        lambda text, title: json.dumps({"text": text, "intertitle": title}, ensure_ascii=False),
        st.one_of(st.text(max_size=300), st.sampled_from(HOSTILE)),
        st.one_of(st.none(), st.text(max_size=40), st.sampled_from(HOSTILE)),
    ),
    st.text(max_size=100),
    st.sampled_from(['{"text": "coupé', "", "null", "[]", '{"text": null}', '{"text": 5}']),
)
completions = st.one_of(
    st.builds(
        lambda content, finish, refusal: {
            "choices": [
                {
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "finish_reason": finish,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10},
        },
        completion_content,
        st.sampled_from(["stop", "length", None, "content_filter", "weird"]),
        st.one_of(st.none(), st.none(), st.text(max_size=20)),
    ),
    trees,
    st.text(max_size=50),
)


class ScriptedClient:
    """A structured client whose every answer is the next fuzzed completion, read by the
    same code that reads a real server's."""

    name = "openai"
    rate_limiter = None

    def __init__(self) -> None:
        self.completions: list[Any] = []

    async def ask(self, schema: Any, messages: Any) -> Any:
        from laureate_writer.writers.clients import answer_from_completion

        completion = self.completions.pop(0) if self.completions else {"choices": []}
        return answer_from_completion(schema, completion)

    def request_body(self, schema: Any, messages: Any) -> dict[str, Any]:
        return {}

    def openai_settings(self) -> None:
        return None


class ModelFuzz:
    def __init__(self) -> None:
        from laureate_writer import api
        from laureate_writer.writers.chat import ChatModelWriter

        self.client = ScriptedClient()
        self.writer = ChatModelWriter(self.client, "fuzz", max_reasks=1)
        self.style = api.resolve_style()
        self.dossier = api.load_dossier(SEEDS[0])

    def run(self, kind: str, answers: list[Any]) -> None:
        import asyncio

        from laureate_writer.drafting import polish
        from laureate_writer.writers.base import SectionRequest
        from laureate_writer.writers.chat import SectionFailure

        self.client.completions = list(answers)
        request = SectionRequest(dossier=self.dossier, kind=kind)

        async def one() -> None:
            draft = await self.writer.adraft_section(request)
            polished = await polish(request, draft, self.writer, self.style, 1)
            text = polished.draft.text
            assert text == text.strip() and "\r" not in text

        with contextlib.suppress(SectionFailure):  # a model fault: one failed section
            asyncio.run(one())


def model_answer_inputs() -> Any:
    return st.tuples(
        st.sampled_from(["headline", "lead", "context", "results", "caption"]),
        st.lists(completions, min_size=1, max_size=4),
    )


# --- the entry points, for the quick test and for make fuzz -------------------------------


def entry_points(ws: Workspace) -> dict[str, tuple[Any, Callable[[Any], Any]]]:
    model = ModelFuzz()
    return {
        "dossier-yaml": (dossier_yaml, lambda text: run_dossier(ws, text, ".yaml")),
        "dossier-json": (dossier_json, lambda text: run_dossier(ws, text, ".json")),
        "edition": (edition_text, lambda text: run_edition(ws, text)),
        "article": (article_text(ws), lambda text: run_article(ws, text)),
        "model-answer": (model_answer_inputs(), lambda pair: model.run(*pair)),
    }


def fuzz(strategy: Any, body: Callable[[Any], Any], examples: int, *, fixed: bool = True) -> int:
    """Run ``body`` on ``examples`` generated inputs (``fixed``: the same inputs every
    run, as CI wants; no example database: a fuzz run is a measurement, not a cache)."""
    count = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=fixed,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        nonlocal count
        count += 1
        body(value)

    run()
    return count
