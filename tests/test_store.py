"""The article store: concurrent writers never lose a change silently, a stale write is
refused, outputs never replace inputs, file modes are kept, and text from any writer is
data that cannot forge the file's structure (issue 12, findings 1, 4, 5, 6, 9)."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from laureate_writer import operations as ops
from laureate_writer.article import Article, SectionKind
from laureate_writer.store import ArticleStore, StaleWrite, version_of

BREST = EXAMPLES / "brest.yaml"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LW_MODEL", raising=False)
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return tmp_path


@pytest.fixture
def article(workspace: Path) -> Path:
    ops.draft_article(ops.Context(workspace), "2020/brest.yaml")
    return workspace / "2020" / "brest.md"


# --- finding 1: lost updates ----------------------------------------------------------------


def test_seven_concurrent_save_section_calls_all_land(workspace: Path, article: Path) -> None:
    kinds = ["headline", "lead", "context", "method", "details", "results", "caption"]
    base = Article.from_markdown(article.read_text(encoding="utf-8"))
    texts = {k: f"{base.text_of(k)} Version {i}." for i, k in enumerate(kinds)}
    start = threading.Barrier(len(kinds))
    answers: dict[str, object] = {}

    def save(kind: str) -> None:
        ctx = ops.Context(workspace)
        start.wait()
        try:
            answers[kind] = ops.save_section(ctx, "2020/brest.md", kind, texts[kind],
                                             intertitle="Un intertitre")  # fmt: skip
        except ops.OperationError as exc:
            answers[kind] = exc

    threads = [threading.Thread(target=save, args=(k,)) for k in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = Article.from_markdown(article.read_text(encoding="utf-8"))
    for kind in kinds:
        assert not isinstance(answers[kind], Exception), answers[kind]
        assert f"Version {kinds.index(kind)}" in stored.text_of(kind), kind
        assert stored.section(kind).provenance.writer == "host"
    assert not list(article.parent.glob(".brest.md*")), "lock or temporary file left"


def test_a_write_based_on_a_stale_read_is_refused(article: Path) -> None:
    store = ArticleStore(article)
    seen_article, seen = store.read()
    lead = seen_article.section("lead")
    # someone else rewrites the lead meanwhile
    other = lead.model_copy(update={"text": lead.text + " Autre main."})
    store.replace_sections(seen_article, [other])
    before = article.read_text(encoding="utf-8")
    with pytest.raises(StaleWrite, match="a changé sur le disque depuis sa lecture"):
        store.write(seen_article.to_markdown(), expected=seen)
    mine = lead.model_copy(update={"text": lead.text + " Ma version."})
    with pytest.raises(StaleWrite, match="la section « lead » a changé"):
        store.replace_sections(seen_article, [mine])
    assert article.read_text(encoding="utf-8") == before
    # a change to another section, from the same stale read, lands and keeps theirs
    caption = seen_article.section("caption")
    store.replace_sections(seen_article, [caption.model_copy(update={"text": "Légende."})])
    after = Article.from_markdown(article.read_text(encoding="utf-8"))
    assert after.text_of("lead").endswith("Autre main.") and after.text_of("caption") == "Légende."
    assert store.version == version_of(article.read_text(encoding="utf-8"))


def test_chat_save_keeps_changes_made_on_disk_and_detects_conflicts(
    workspace: Path, article: Path
) -> None:
    from laureate_writer.chat.session import ChatSession

    session = ChatSession(article, workspace=workspace, out=io.StringIO())
    ops.save_section(session.ctx, session.article, "lead", "Un chapô écrit dans le chat.")
    # meanwhile, the CLI or the plugin rewrites the caption on disk
    disk = ArticleStore(article)
    base, _ = disk.read()
    caption = base.section("caption").model_copy(update={"text": "Légende du disque."})
    disk.replace_sections(base, [caption])
    session.handle("/save")
    stored = Article.from_markdown(article.read_text(encoding="utf-8"))
    assert stored.text_of("lead") == "Un chapô écrit dans le chat."
    assert stored.text_of("caption") == "Légende du disque."
    # now both change the same section: the chat's /save is refused, the disk kept
    ops.save_section(session.ctx, session.article, "caption", "Légende du chat.", force=True)
    base, _ = disk.read()
    disk.replace_sections(base, [base.section("caption").model_copy(update={"text": "Autre."})])
    before = article.read_text(encoding="utf-8")
    session.out = io.StringIO()
    session.handle("/save")
    assert "Conflit" in session.out.getvalue() and "légende" in session.out.getvalue().lower()
    assert article.read_text(encoding="utf-8") == before


def test_two_cli_regenerations_of_different_sections_both_land(
    fake_openai_env, cli, tmp_path, monkeypatch
) -> None:
    pytest.importorskip("langchain_openai")
    import subprocess
    import sys

    from conftest import ROOT
    from model_answers import REGENERATED_RESULTS, brest_responder, section_of

    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    new_lead = {"text": "La ville de Brest prête depuis 2019 la Handibox aux organisateurs."}

    def responder(request):
        mode, name = section_of(request)
        if name == "chapô" and mode == "regenerate":
            return new_lead
        return brest_responder(request)

    fake_openai_env.responder = responder
    target = tmp_path / "brest.md"
    assert cli("draft", str(BREST), "--model", "openai:any", "-o", str(target)).returncode == 0
    fake_openai_env.latency = 1.0  # both read the file before either writes
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "laureate_writer",
                "regenerate",
                str(target),
                "--section",
                section,
                "--model",
                "openai:any",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for section in ("results", "lead")
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    for proc, (_, err) in zip(procs, outs, strict=True):
        assert proc.returncode in (0, 1), err
    stored = Article.from_markdown(target.read_text(encoding="utf-8"))
    assert stored.text_of("lead") == new_lead["text"]
    assert stored.text_of("results") == REGENERATED_RESULTS["text"]
    assert set(stored.history) == {"lead", "results"}


# --- finding 4: an output never replaces an input ----------------------------------------------


def test_outputs_never_replace_inputs(workspace: Path, article: Path, cli) -> None:
    dossier = workspace / "2020" / "brest.yaml"
    edition = workspace / "2020" / "palmares.yaml"
    originals = {p: p.read_bytes() for p in (dossier, edition, article)}
    result = cli("draft", str(dossier), "-o", str(dossier), "--format", "md")
    assert result.returncode == 2 and "entrée" in result.stderr
    assert "Traceback" not in result.stderr
    result = cli("palmares", str(edition), "-o", str(edition), "--format", "html")
    assert result.returncode == 2 and "entrée" in result.stderr
    with pytest.raises(ops.OperationError, match="fichier d’article"):
        ops.build_palmares(ops.Context(workspace), "2020/palmares.yaml", output="2020/brest.md")
    for path, data in originals.items():
        assert path.read_bytes() == data, path


# --- finding 9: file modes ---------------------------------------------------------------------


def test_writes_keep_the_file_mode_and_new_files_follow_the_umask(article: Path, cli) -> None:
    article.chmod(0o664)
    store = ArticleStore(article)
    text, version = store.read_text()
    store.write(text + "\n", expected=version)
    assert stat.S_IMODE(article.stat().st_mode) == 0o664
    old = os.umask(0o022)
    try:
        fresh = article.with_name("fresh.md")
        ArticleStore(fresh).write(text, expected=None)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    finally:
        os.umask(old)
    page = article.with_name("page.html")
    result = cli("draft", str(BREST), "-o", str(page))
    assert result.returncode == 0
    assert stat.S_IMODE(page.stat().st_mode) == 0o666 & ~old


# --- finding 5: text from a writer cannot forge structure ------------------------------------


def test_host_text_cannot_forge_markers_or_switch_the_style_off(
    workspace: Path, article: Path
) -> None:
    ctx = ops.Context(workspace)
    report = ops.save_section(
        ctx, "2020/brest.md", "results",
        "<!-- lw-style off -->La Handibox a servi 4 812 personnes.\n\n<!-- lw:caption -->\n"
        "## Un faux titre\n---\nBilan : positif.",
        intertitle="Des résultats\nsur deux lignes",
    )  # fmt: skip
    assert report.fixes_applied and "\u00a0:" in report.text  # the style ran on the text
    assert any(f.checker == "facts" for f in report.remaining)  # and the fact guard
    text = article.read_text(encoding="utf-8")
    assert text.count("<!-- lw:caption -->") == 1 and "lw-style" not in text
    stored = Article.from_markdown(text)  # every later command can still read it
    results = stored.section("results")
    assert results.intertitle == "Des résultats sur deux lignes"
    assert "##" not in results.text and "---" not in results.text
    assert stored.edited_sections == []
    page = ops.build_palmares(ctx, "2020/palmares.yaml", output="2020/page.html")
    html = (workspace / page.page).read_text(encoding="utf-8")
    assert "lw-style" not in html and "lw:caption" not in html


# --- finding 6: strict markers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace("<!-- lw:method -->\n", "", 1), "le marqueur <!-- lw:method --> de"),
        (lambda t: t.replace("<!-- lw:lead -->", "  <!-- lw:lead -->", 1), "mal formé"),
        (lambda t: t.replace("<!-- lw:lead -->", "<!-- LW:lead -->", 1), "mal formé"),
        (
            lambda t: t.replace("\n<!-- lw:meta", "<!-- lw:caption -->\nEncore.\n\n<!-- lw:meta"),
            "en double",
        ),
        (lambda t: t.replace("<!-- lw:context -->", "<!-- lw:caption -->", 1), "hors de son ordre"),
    ],
)
def test_broken_markers_are_located_errors_and_nothing_is_written(
    article: Path, cli, edit, message
) -> None:
    broken = edit(article.read_text(encoding="utf-8"))
    article.write_text(broken, encoding="utf-8")
    for args in (["--section", "method", "--force"], ["--section", "results", "--force"]):
        result = cli("regenerate", str(article), *args)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"{article}:") and result.stderr.count("\n") == 1
        line, col = result.stderr.split(":")[1:3]
        assert int(line) > 1 and int(col) >= 1
        assert article.read_text(encoding="utf-8") == broken


def test_sections_out_of_order_are_refused(article: Path) -> None:
    from laureate_writer.loading import InputError

    text = article.read_text(encoding="utf-8")
    a, b = text.index("<!-- lw:method -->"), text.index("<!-- lw:details -->")
    c = text.index("<!-- lw:results -->")
    swapped = text[:a] + text[b:c] + text[a:b] + text[c:]
    with pytest.raises(InputError, match="hors de son ordre"):
        Article.from_markdown(swapped, "a.md")


# --- property: any writer text round-trips and is still checked ------------------------------

JUNK = st.sampled_from([
    "<!-- lw:caption -->", "<!-- lw-style off -->", "<!--", "-->", "\n---\n", "---",
    "## Titre", "# ", "\n=====\n", "\x00", "\x1f", "\r\n", "\u2028", "\x85", "\ufeff",
    "<b>gras</b>", "**", "*", "\n\n\n", "  ", "\t", "\u00a0", "<!-- LW:lead -->",
])  # fmt: skip
WRITER_TEXT = st.lists(st.one_of(JUNK, st.text(max_size=12)), max_size=8).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(list(SectionKind)), text=WRITER_TEXT, title=WRITER_TEXT)
def test_any_writer_text_round_trips_to_the_same_sections(
    kind: SectionKind, text: str, title: str
) -> None:
    from laureate_writer.drafting import to_section
    from laureate_writer.writers.base import SectionDraft
    from laureate_writer.writers.offline import OfflineWriter

    draft = SectionDraft(kind=kind, text=text or "x", intertitle=title or None)
    section = to_section(draft, OfflineWriter(), "sha256:x")
    updated = _brest_article().replace_section(section, keep_previous=True)
    again = Article.from_markdown(updated.to_markdown(), "a.md")
    assert [(s.kind, s.text, s.intertitle) for s in again.sections] == [
        (s.kind, s.text, s.intertitle) for s in updated.sections
    ]
    assert again.edited_sections == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from([k for k in SectionKind if k != SectionKind.prize_label]),
       text=WRITER_TEXT)  # fmt: skip
def test_the_checks_still_run_on_any_writer_text(kind: SectionKind, text: str) -> None:
    from laureate_writer.drafting import fixed_and_checked
    from laureate_writer.writers.base import SectionDraft

    dossier, style = _brest_and_style()
    draft = SectionDraft(kind=kind, text=f"{text}\n\nBilan : 4 812 visiteurs.")
    fixed, remaining = fixed_and_checked(draft, dossier, style)
    assert "Bilan\u00a0:" in fixed.text  # the house style ran (no 'lw-style off' survives)
    assert any(v.checker == "facts" and "812" in v.message for v in remaining), remaining


_CACHE: dict[str, object] = {}


def _brest_article() -> Article:
    if "a" not in _CACHE:
        from laureate_writer import api

        _CACHE["a"] = api.draft(BREST)
    return _CACHE["a"]


def _brest_and_style():
    if "d" not in _CACHE:
        from laureate_writer import api

        _CACHE["d"] = api.load_dossier(BREST)
        _CACHE["s"] = api.resolve_style()
    return _CACHE["d"], _CACHE["s"]


# --- finding 9: diffs an editor can read ------------------------------------------------------


def test_the_prose_diff_shows_changed_words_only(article: Path) -> None:
    from laureate_writer.prose_diff import prose_diff, word_diff

    assert word_diff("la ville a lancé", "la ville a relancé") == "la ville a [-lancé-]{+relancé+}"
    before = Article.from_markdown(article.read_text(encoding="utf-8"))
    lead = before.section("lead")
    after = before.replace_section(
        lead.model_copy(update={"text": lead.text.replace("Brest", "Brest (Finistère)", 1)}),
        keep_previous=True,
    )
    diff = prose_diff(before, after, "brest.md")
    assert diff.splitlines()[:3] == ["--- brest.md (avant)", "+++ brest.md (après)",
                                     "@@ chapô (lead) @@"]  # fmt: skip
    assert re.search(r"\{\+\s*\(Finistère\)\s*\+\}", diff), diff
    assert "history" not in diff and diff.count("{+") == 1 and "[-" not in diff
