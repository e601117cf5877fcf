"""``laureate-writer check`` behaviour through run_check: output forms, exit codes,
atomic --fix, --diff, stdin, bad input."""

from __future__ import annotations

import io
import json
import sys

import pytest

from laureate_writer.style.command import Options, run_check

NB, NN = "\u00a0", "\u202f"
DIRTY = "<!-- lw:context -->\nQui a gagné? La commune de Brest.\n"
CLEAN = "<!-- lw:context -->\nLa commune de Brest a gagné.\n"


def run(*files, **kw):
    out, err = io.StringIO(), io.StringIO()
    code = run_check(list(files), out=out, err=err, **kw)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def dirty(tmp_path):
    p = tmp_path / "article.md"
    p.write_text(DIRTY, encoding="utf-8")
    return p


def test_text_output_and_exit_codes(dirty, tmp_path):
    code, out, err = run(str(dirty))
    assert code == 1
    assert err == "1 problème (1 erreur) dans 1 fichier vérifié, 1 corrigeable avec --fix.\n"
    assert out.splitlines() == [
        f"{dirty}:2:12: error typo.high-punctuation-space: "
        "Espace fine insécable attendue avant « ; », « ! » et « ? » (U+202F)."
    ]
    clean = tmp_path / "clean.md"
    clean.write_text(CLEAN, encoding="utf-8")
    assert run(str(clean)) == (0, "", "aucun problème (1 fichier vérifié).\n")
    assert run(str(clean), options=Options(quiet=True)) == (0, "", "")


def test_min_severity_filters_output_not_exit(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("Un projet innovant et innovant.\n", encoding="utf-8")
    code, out, _ = run(str(p))
    assert code == 0 and "exist.promo" in out
    code, out, _ = run(str(p), min_severity="warning")
    assert code == 0 and out == ""


def test_json_and_github_formats(dirty):
    code, out, _ = run(str(dirty), fmt="json")
    (item,) = json.loads(out)
    assert code == 1
    assert item["file"] == str(dirty) and item["rule"] == "typo.high-punctuation-space"
    assert item["severity"] == "error" and item["line"] == 2 and item["suggestion"] == NN
    code, out, _ = run(str(dirty), fmt="github")
    assert out.startswith(f"::error file={dirty},line=2,col=12,title=typo.high-punctuation-space::")


def test_fix_rewrites_atomically_and_reports_what_remains(dirty):
    before = dirty.stat().st_mode
    code, out, err = run(str(dirty), fix=True)
    assert code == 0 and out == ""
    assert err.splitlines() == [
        f"{dirty} : 1 correction (typo.high-punctuation-space)",
        "1 correction appliquée dans 1 fichier ; aucun problème (1 fichier vérifié).",
    ]
    assert dirty.read_text(encoding="utf-8") == DIRTY.replace("gagné?", f"gagné{NN}?")
    assert dirty.stat().st_mode == before
    assert [p.name for p in dirty.parent.iterdir()] == ["article.md"]  # no temp file left
    assert run(str(dirty), fix=True) == (0, "", "aucun problème (1 fichier vérifié).\n")


def test_diff_without_fix_does_not_write(dirty):
    code, out, err = run(str(dirty), diff=True)
    assert code == 1  # fixes are pending (as ruff --diff)
    assert err.startswith("1 fichier à corriger ; ")
    assert f"+Qui a gagné{NN}? La commune de Brest." in out and out.startswith("--- a/")
    assert dirty.read_text(encoding="utf-8") == DIRTY


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Qui a gagné?\n".encode())))
    code, out, err = run("-", fix=True, options=Options(quiet=True))
    assert (code, out, err) == (0, f"Qui a gagné{NN}?\n", "")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Qui?\n")))
    code, out, _ = run("-")
    assert code == 1 and out.startswith("<stdin>:1:4: error")


@pytest.mark.parametrize(
    ("setup", "kw", "message"),
    [
        ("missing", {}, "a.md:1:1: fichier introuvable"),
        ("latin1", {}, "a.md:2:2: pas en UTF-8 valide"),
        ("ok", {"fmt": "xml"}, "--format doit valoir"),
        ("ok", {"min_severity": "fatal"}, "--min-severity doit valoir"),
        ("ok", {"style": "STYLE"}, ":4: règle x.y : champ inconnu « severty »"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path, setup, kw, message):
    target = tmp_path / "a.md"
    if setup == "latin1":
        target.write_bytes("ok\nd\xe9j\xe0\n".encode("latin-1"))
    elif setup == "ok":
        target.write_text(DIRTY, encoding="utf-8")
    if kw.get("style") == "STYLE":
        style = tmp_path / "house.yaml"
        style.write_text(
            "extends: gazette\nrules:\n  - id: len.headline\n  - id: x.y\n    type: existence\n"
            "    severty: error\n",
            encoding="utf-8",
        )
        kw = {**kw, "style": str(style)}
    code, out, err = run(str(target), **kw)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    if setup == "ok":
        assert target.read_text(encoding="utf-8") == DIRTY


def test_bad_file_among_good_ones_writes_nothing(dirty, tmp_path):
    code, _, err = run(str(dirty), str(tmp_path / "missing.md"), fix=True)
    assert code == 2 and "missing.md" in err
    assert dirty.read_text(encoding="utf-8") == DIRTY


def test_nfd_text_is_checked_like_nfc_with_columns_in_the_file(tmp_path):
    import unicodedata

    line = "La 21ème édition a été primée? Oui, l'équipe a gagné?\n"
    nfc, nfd = tmp_path / "nfc.md", tmp_path / "nfd.md"
    nfc.write_text(line, encoding="utf-8")
    nfd.write_text(unicodedata.normalize("NFD", line), encoding="utf-8")
    _, out_nfc, _ = run(str(nfc), fmt="json")
    code, out_nfd, _ = run(str(nfd), fmt="json")
    found_nfc, found_nfd = json.loads(out_nfc), json.loads(out_nfd)
    rules = [f["rule"] for f in found_nfc]
    assert (
        code == 1 and "typo.ordinal" in " ".join(rules) and rules == [f["rule"] for f in found_nfd]
    )
    decomposed = unicodedata.normalize("NFD", line)
    for a, b in zip(found_nfc, found_nfd, strict=True):
        assert a["line"] == b["line"] == 1
        # the same character, counted in each file's own characters (NFD is longer)
        assert (
            line[a["column"] - 1] == unicodedata.normalize("NFC", decomposed[b["column"] - 1 :])[0]
        )
    marks = [f["column"] for f in found_nfd if f["rule"] == "typo.high-punctuation-space"]
    assert [decomposed[c - 1] for c in marks] == ["?", "?"]
    assert marks[0] == line.index("?") + 1 + 5  # five accents before it, each a mark

    run(str(nfd), fix=True)
    run(str(nfc), fix=True)
    fixed = nfd.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", fixed) and "21e édition" in fixed
    assert fixed == nfc.read_text(encoding="utf-8")
