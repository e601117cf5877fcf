"""Hostile and careless inputs (issue 13): one clear line each, the documented exit code,
nothing written on exit 2, nothing read outside its fence. Run in-process (``run_main``,
through the CLI's top-level guard) to keep the many cases fast."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES
from inprocess import run_main

BREST = (EXAMPLES / "brest.yaml").read_text(encoding="utf-8")
ONE_LINE = re.compile(r"^[^\n]+\n?$")


def _one_line(result, code: int = 2) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert ONE_LINE.match(result.stderr), result.stderr
    return result.stderr.strip()


def _alias_bomb(prefix: str = "") -> str:
    lines = [f'{prefix}a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{prefix}{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


DEEP = 3000


@pytest.fixture(scope="module")
def article_text(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("article")
    shutil.copy(EXAMPLES / "brest.yaml", folder / "brest.yaml")
    result = run_main("draft", str(folder / "brest.yaml"), "-o", str(folder / "brest.md"))
    assert result.returncode in (0, 1), result.stderr
    return (folder / "brest.md").read_text(encoding="utf-8")


def _article(tmp_path: Path, text: str, name: str = "a.md") -> Path:
    shutil.copy(EXAMPLES / "brest.yaml", tmp_path / "brest.yaml")
    text = re.sub(r"(?m)^dossier: .*$", "dossier: brest.yaml", text, count=1)
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# --- the one file reader ----------------------------------------------------------------


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "fifo"])
@pytest.mark.parametrize("command", ["validate", "draft", "check", "facts"])
def test_non_regular_files_are_refused_without_reading(special, command, tmp_path):
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)
    result = run_main(command, special)
    line = _one_line(result)
    assert "pas un fichier ordinaire" in line and f"{special}:1:1:" in line


def test_edition_naming_dev_zero_does_not_hang(tmp_path):
    edition = (EXAMPLES / "palmares.yaml").read_text(encoding="utf-8")
    edition = edition.split("dossiers:")[0] + "dossiers:\n  - /dev/zero\n"
    (tmp_path / "e.yaml").write_text(edition, encoding="utf-8")
    result = run_main("validate", str(tmp_path / "e.yaml"))
    assert _one_line(result).startswith("/dev/zero:1:1: (document): pas un fichier ordinaire")


def test_size_is_counted_while_reading_not_taken_from_stat(tmp_path, monkeypatch):
    from laureate_writer import loading

    path = tmp_path / "d.yaml"
    path.write_text("notes: " + "x" * 5000 + "\n", encoding="utf-8")
    real_fstat = os.fstat

    class Lying:  # what a device or a FIFO reports: size 0
        def __init__(self, st):
            self.st_mode, self.st_size = st.st_mode, 0

    monkeypatch.setattr(loading.os, "fstat", lambda fd: Lying(real_fstat(fd)))
    with pytest.raises(loading.InputError, match="trop volumineux"):
        loading.read_text(path, max_bytes=1000)


@pytest.mark.parametrize(
    ("name", "content", "fragment", "line"),
    [
        ("nul.yaml", BREST.replace("id: brest", "id: br\x00est", 1), "octet NUL", None),
        (
            "deep.yaml",
            "id: x\nproject: " + "[" * DEEP + "]" * DEEP + "\n",
            "imbriqué sur plus de",
            2,
        ),
        (
            "deepmap.yaml",
            "id: x\nproject: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n",
            "imbriqué",
            2,
        ),
        ("deep.json", '{"id": "x", "project": ' + "[" * DEEP + "]" * DEEP + "}", "imbriqué", 1),
        ("bigint.yaml", "id: " + "1" * 5000 + "\n", "valeur illisible", 1),
        ("bigint.json", '{"id": ' + "1" * 5000 + "}", "valeur illisible", 1),
        ("bomb.yaml", _alias_bomb(), "alias YAML", None),
    ],
)
@pytest.mark.parametrize("command", ["validate", "draft"])
def test_hostile_dossiers_one_line(name, content, fragment, line, command, tmp_path):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.md"
    args = (command, str(path)) + (("-o", str(out)) if command == "draft" else ())
    text = _one_line(run_main(*args))
    assert fragment in text and text.startswith(f"{path}:")
    if line is not None:
        assert text.split(":")[1] == str(line)
    assert not out.exists()


def test_block_nesting_deeper_than_the_limit(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("".join("  " * i + "k:\n" for i in range(200)) + "  " * 200 + "v\n")
    assert "imbriqué sur plus de" in _one_line(run_main("validate", str(path)))


def test_crlf_and_nfd_dossiers_read_like_the_plain_one(tmp_path):
    import unicodedata

    from laureate_writer import api

    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(BREST.replace("\n", "\r\n").encode("utf-8"))
    nfd = tmp_path / "nfd.yaml"
    nfd.write_text(unicodedata.normalize("NFD", BREST), encoding="utf-8")
    plain = api.load_dossier(EXAMPLES / "brest.yaml")
    assert api.load_dossier(crlf) == plain
    assert api.load_dossier(nfd) == plain


# --- located messages -----------------------------------------------------------------------


def test_unknown_keys_with_dash_or_bracket_are_named_as_written(tmp_path):
    path = tmp_path / "d.yaml"
    line = BREST.count("\n") + 1
    path.write_text(BREST + "results-notes: x\n'a[0]': y\n", encoding="utf-8")
    result = run_main("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        f"{path}:{line}:1: results-notes: champ inconnu « results-notes » "
        "(vouliez-vous dire « results_notes » ?)"
    )
    assert lines[1].startswith(f"{path}:{line + 1}:1: a[0]: champ inconnu « a[0] »")


def test_nested_unknown_key_never_suggests_itself(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(BREST.replace("project:\n", "project:\n  project-x: 1\n", 1), "utf-8")
    result = run_main("validate", str(path))
    assert "project.project-x: champ inconnu « project-x »" in result.stderr
    assert "vouliez-vous dire « project »" not in result.stderr


@pytest.mark.parametrize("key", ["~", "true", "1.5", "2020-01-01", "null"])
def test_odd_yaml_keys_are_located_as_written(key, tmp_path):
    path = tmp_path / "d.yaml"
    line = BREST.count("\n") + 1
    path.write_text(BREST + f"{key}: 1\n", encoding="utf-8")
    result = run_main("validate", str(path))
    assert f"{path}:{line}:1: {key}: champ inconnu « {key} »" in result.stderr


# --- article front matter -------------------------------------------------------------------


TAMPERED = {
    "headline_text": ("  headline:\n    writer: offline", "  headline: abc\n  x:\n    writer: offline", "sections.headline"),
    "headline_number": ("  headline:\n    writer: offline", "  headline: 5\n  x:\n    writer: offline", "sections.headline"),
    "headline_list": ("  headline:\n    writer: offline", "  headline: [a, b]\n  x:\n    writer: offline", "sections.headline"),
    "history": ("\nsections:\n", "\nhistory: {headline: [{text: 5}]}\nsections:\n", "history.headline[0]"),
    "history_list": ("\nsections:\n", "\nhistory: [1]\nsections:\n", "history"),
    "bomb": ("format: 2\n", "format: 2\n" + _alias_bomb(), "alias YAML"),
    "deep": ("format: 2\n", "format: 2\nx: " + "[" * DEEP + "]" * DEEP + "\n", "imbriqué"),
    "nul": ("prize: Prix", "prize: P\x00rix", "octet NUL"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(TAMPERED))
@pytest.mark.parametrize(
    "command",
    [
        ("regenerate", "--section", "headline", "--dry-run"),
        ("regenerate", "--section", "headline"),
        ("facts",),
        ("check", "--fix"),
    ],
    ids=["regenerate-dry", "regenerate", "facts", "check-fix"],
)
def test_tampered_front_matter_one_line(case, command, article_text, tmp_path):
    old, new, fragment = TAMPERED[case]
    assert old in article_text
    path = _article(tmp_path, article_text.replace(old, new, 1))
    before = path.read_bytes()
    result = run_main(command[0], str(path), *command[1:])
    structural = ("nul",) if command[0] == "check" else ("bomb", "deep", "nul")
    if command[0] in ("check", "facts") and case not in structural:
        # style and facts read the prose: a section's provenance is not their business
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr
        return
    text = _one_line(result)
    assert (fragment if command[0] != "check" else "NUL") in text and f"{path}:" in text
    assert path.read_bytes() == before


def test_crlf_article_file_is_read(article_text, tmp_path):
    path = _article(tmp_path, article_text.replace("\n", "\r\n"))
    result = run_main("regenerate", str(path), "--section", "headline", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert run_main("facts", str(path)).returncode == 0


def test_written_front_matter_has_no_aliases():
    import yaml

    from laureate_writer.article import _DUMPER

    shared = {"rule": "x"}
    text = yaml.dump({"a": [shared], "b": [shared]}, Dumper=_DUMPER)
    assert "&" not in text and "*" not in text


# --- settings and outputs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"model = \n", "erreur de syntaxe TOML"), (b'model = "\xff"\n', "pas en UTF-8 valide")],
)
def test_bad_config_file_is_one_line_even_offline(content, fragment, tmp_path, monkeypatch):
    (tmp_path / "laureate-writer.toml").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "a.md"
    text = _one_line(run_main("draft", str(EXAMPLES / "brest.yaml"), "-o", str(out)))
    assert "laureate-writer.toml:1:" in text and fragment in text
    assert not out.exists()


def test_prompts_setting_not_json(tmp_path, monkeypatch):
    monkeypatch.setenv("LW_PROMPTS", "not json")
    text = _one_line(run_main("draft", str(EXAMPLES / "brest.yaml"), "-o", str(tmp_path / "a")))
    assert text.startswith("$LW_PROMPTS:1:1: prompts:")


def test_unknown_model_provider(tmp_path):
    result = run_main("draft", str(EXAMPLES / "brest.yaml"), "--model", "nosuchprovider:m")
    assert _one_line(result).startswith("--model:1:1: model: cannot use 'nosuchprovider:m'")


@pytest.mark.parametrize("kind", ["folder", "text", "devnull", "other_schema", "readonly"])
def test_cache_path_that_cannot_be_a_cache(kind, tmp_path, monkeypatch):
    import sqlite3

    target = {
        "folder": tmp_path,
        "text": tmp_path / "notes.txt",
        "devnull": Path("/dev/null"),
        "other_schema": tmp_path / "other.sqlite3",
        "readonly": tmp_path / "ro.sqlite3",
    }[kind]
    if kind == "text":
        target.write_text("hello\n")
    if kind == "other_schema":
        with sqlite3.connect(target) as db:
            db.execute("CREATE TABLE responses (a)")
    if kind == "readonly":
        real_connect = sqlite3.connect

        def read_only(path, *args, **kwargs):  # root ignores file modes: ask SQLite itself
            return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

        real_connect(target).close()
        monkeypatch.setattr("laureate_writer.cache.sqlite3.connect", read_only)
    monkeypatch.setenv("LW_CACHE_PATH", str(target))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    out = tmp_path / "a.md"
    result = run_main("draft", str(EXAMPLES / "brest.yaml"), "--model", "openai:m", "-o", str(out))
    assert _one_line(result).startswith("$LW_CACHE_PATH:1:1: cache_path:")
    assert not out.exists()


def test_damaged_cache_row_is_a_miss(tmp_path):
    from laureate_writer.cache import ResponseCache

    cache = ResponseCache(tmp_path / "c.sqlite3")
    cache._db.execute("INSERT INTO responses (key, model, answer) VALUES ('k', 'm', 'not json')")
    assert cache.get("k") is None


@pytest.mark.parametrize("kind", ["folder", "empty", "long"])
@pytest.mark.parametrize("command", ["draft", "palmares", "schema"])
def test_unwritable_output_paths_are_refused_first(kind, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = {"folder": str(tmp_path), "empty": "", "long": "a" * 300 + ".md"}[kind]
    source = {"draft": EXAMPLES / "brest.yaml", "palmares": EXAMPLES / "palmares.yaml"}
    args = [command, *([str(source[command])] if command in source else []), "-o", output]
    text = _one_line(run_main(*args))
    assert ("est un répertoire" in text) if kind != "long" else ("plus de 255 octets" in text)
    assert os.listdir(tmp_path) == []


def test_read_only_output_folder(tmp_path, monkeypatch):
    from laureate_writer import output

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    result = run_main("draft", str(EXAMPLES / "brest.yaml"), "-o", str(tmp_path / "a.md"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("a.md : écriture impossible : droits insuffisants")
    )


# --- the top-level guard -----------------------------------------------------------------------


def test_an_unhandled_error_is_one_line_and_exit_70(monkeypatch):
    from laureate_writer import validation

    def bug(paths):
        raise KeyError("boom")

    monkeypatch.setattr(validation, "validate_files", bug)
    result = run_main("validate", str(EXAMPLES / "brest.yaml"))
    text = _one_line(result, 70)
    assert text.startswith("laureate-writer validate : erreur interne (KeyError)")
    assert "--debug" in text


def test_debug_shows_the_traceback(monkeypatch):
    from laureate_writer import validation

    monkeypatch.setattr(validation, "validate_files", lambda paths: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run_main("validate", "--debug", str(EXAMPLES / "brest.yaml"))


# --- workspace confinement of paths read through a file ------------------------------------------


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root / "2020")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: S3cret-Token-XYZ\nkey_name: 1\n", "utf-8")
    return root


@pytest.mark.parametrize(
    "listed",
    [
        "../../outside/secret.yaml",
        "{outside}/secret.yaml",
        "/etc/hostname",
        "/dev/zero",
        "~/x.yaml",
    ],
)
def test_edition_cannot_reach_outside_the_workspace(listed, workspace):
    from laureate_writer import operations as ops

    listed = listed.format(outside=workspace.parent / "outside")
    edition = (workspace / "2020" / "palmares.yaml").read_text(encoding="utf-8")
    edition = edition.split("dossiers:")[0] + f"dossiers:\n  - brest.yaml\n  - {listed}\n"
    (workspace / "2020" / "evil.yaml").write_text(edition, encoding="utf-8")
    ctx = ops.Context(workspace)
    report = ops.validate(ctx, "2020/evil.yaml")
    joined = "\n".join(report.problems)
    assert not report.ok
    assert "S3cret" not in joined and "key_name" not in joined
    assert "hors de l’espace de travail" in joined or "se termine par" in joined
    with pytest.raises(ops.OperationError) as info:
        ops.build_palmares(ctx, "2020/evil.yaml")
    assert "S3cret" not in str(info.value)
    assert not (workspace / "2020" / "evil-page.md").exists()


def test_edition_dossiers_inside_the_workspace_still_load(workspace):
    from laureate_writer import operations as ops

    report = ops.validate(ops.Context(workspace), "2020/palmares.yaml")
    assert report.ok, report.problems


# --- Unicode: what a person sees --------------------------------------------------------------


def test_nfd_dossier_drafts_exactly_like_the_nfc_one(tmp_path):
    import unicodedata

    for name in ("nfc", "nfd"):
        folder = tmp_path / name
        folder.mkdir()
        text = unicodedata.normalize(name.upper(), BREST.replace("Handibox", "Été Solidaire"))
        (folder / "brest.yaml").write_text(text, encoding="utf-8")
        result = run_main("draft", str(folder / "brest.yaml"), "-o", str(folder / "brest.md"))
        assert result.returncode == 0, result.stderr
        assert run_main("facts", str(folder / "brest.md")).returncode == 0
    nfc, nfd = (
        re.sub(r"created: .*", "", (tmp_path / n / "brest.md").read_text("utf-8"))
        for n in ("nfc", "nfd")
    )
    assert nfc == nfd and "Été Solidaire" in nfc


def test_dossier_given_as_data_is_nfc_too():
    import unicodedata

    from laureate_writer.dossier import Dossier

    data = yaml.safe_load(unicodedata.normalize("NFD", BREST))
    assert Dossier.model_validate(data) == Dossier.model_validate(yaml.safe_load(BREST))


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u00ad", "\u2028", "\ufeff", "\x1b"])
def test_dossier_refuses_hidden_characters_where_they_are(char, tmp_path):
    path = tmp_path / "d.yaml"
    escaped = char.encode("unicode_escape").decode()  # written as a YAML escape
    path.write_text(BREST.replace("  name: Handibox", f'  name: "Handi{escaped}box"'), "utf-8")
    text = _one_line(run_main("validate", str(path)))
    line = BREST.splitlines().index("  name: Handibox") + 1
    assert text.startswith(f"{path}:{line}:") and "project.name" in text
    assert f"U+{ord(char):04X}" in text


def test_names_are_one_line(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(BREST.replace("  in_text: la Handibox", '  in_text: "la\\nHandibox"'), "utf-8")
    assert "doit tenir sur une ligne" in _one_line(run_main("validate", str(path)))


def test_fact_guard_reads_what_a_person_sees(tmp_path):
    from laureate_writer.facts.claims import extract_claims

    assert [c.text for c in extract_claims("la 21e édition")] == ["21e"]
    seen = extract_claims("la \u202e21\u202c e édition")
    assert [c.value for c in seen] == [12]
    assert [c.value for c in extract_claims("2\u200b1 semaines")] == [21]
    # the article says what a reader reads: 12, which the dossier does not support
    text = tmp_path / "t.txt"
    text.write_text("Le jury de la \u202e21\u202c e édition a primé la ville.\n", "utf-8")
    result = run_main("facts", str(text), "--dossier", str(EXAMPLES / "brest.yaml"))
    assert result.returncode == 1 and "12" in (result.stdout + result.stderr)
    text.write_text("Le jury de la 21e édition a primé la ville.\n", "utf-8")
    assert run_main("facts", str(text), "--dossier", str(EXAMPLES / "brest.yaml")).returncode == 0


@pytest.mark.parametrize(
    ("char", "rule", "fixed"),
    [
        ("\u200b", "typo.invisible", ""),
        ("\u00ad", "typo.invisible", ""),
        ("\ufeff", "typo.invisible", ""),
        ("\u2028", "typo.invisible", " "),
        ("\u2029", "typo.invisible", " "),
        ("\u202e", "typo.control", None),
        ("\x1b", "typo.control", None),
    ],
)
def test_check_flags_hidden_characters(char, rule, fixed, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(f"La commune a ouvert le site{char}en 2019.\n", encoding="utf-8")
    result = run_main("check", str(path))
    assert result.returncode == 1 and rule in result.stdout, result.stdout
    run_main("check", "--fix", str(path))
    after = path.read_text(encoding="utf-8")
    if fixed is None:
        assert char in after
    else:
        assert after == f"La commune a ouvert le site{fixed}en 2019.\n"


@pytest.mark.parametrize(
    "protected", ["/etc/passwd", "\x1b[31m", "javascript:alert(1)", "~/notes/2020.md"]
)
def test_safe_fixes_leave_paths_escapes_and_schemes_alone(protected, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(f"Le fichier {protected} reste tel quel ,  mais pas  ceci.\n", "utf-8")
    run_main("check", "--fix", str(path))
    after = path.read_text(encoding="utf-8")
    assert protected in after
    assert "ceci" in after and "  " not in after  # the fixes around it still happen


# --- a model server that does not answer a chat completion -------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<html><body>Connexion requise</body></html>", "text/html"),
        ("not json", "application/json"),
        ('{"choices": 5}', "application/json"),
        ("[]", "application/json"),
    ],
)
@pytest.mark.parametrize("client", ["openai", "langchain"])
def test_a_body_that_is_not_a_completion_is_one_failed_section(
    body, content_type, client, fake_openai_env, tmp_path, monkeypatch
):
    from fake_openai import Behaviour

    monkeypatch.setenv("LW_CLIENT", client)
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    monkeypatch.setenv("LW_MAX_RETRIES", "0")
    fake_openai_env.behave("la section « résultats »", Behaviour.body(body, content_type))
    out = tmp_path / "a.md"
    result = run_main("draft", str(EXAMPLES / "brest.yaml"), "--model", "openai:m", "-o", str(out))
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and "erreur interne" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if "échec" in line]
    assert len(failed) == 1 and "brest/results" in failed[0], result.stderr
    assert "la réponse du serveur n’est pas une complétion de chat" in failed[0]
    assert out.exists()  # the other sections are kept


def test_damaged_journal_rows_are_drafted_again(fake_openai_env, tmp_path, monkeypatch):
    import sqlite3

    monkeypatch.setenv("LW_CACHE", "false")
    journal = tmp_path / "j.sqlite3"
    args = ["palmares", str(EXAMPLES / "palmares.yaml"), "--model", "openai:m"]
    args += ["--journal", str(journal), "-o", str(tmp_path / "p.md")]
    first = run_main(*args)
    assert first.returncode in (0, 1), first.stderr
    with sqlite3.connect(journal) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM sections ORDER BY key")]
        damaged = {keys[0]: "not json", keys[1]: "[1, 2]", keys[2]: '{"kind": 5}'}
        for key, draft in damaged.items():
            db.execute("UPDATE sections SET draft = ? WHERE key = ?", (draft, key))
    calls = fake_openai_env.calls
    again = run_main(*args, "--resume")
    assert again.returncode in (0, 1), again.stderr
    assert "Traceback" not in again.stderr and "erreur interne" not in again.stderr
    assert fake_openai_env.calls - calls >= len(damaged)  # asked again, not trusted


def test_busy_port_for_mcp_http_is_one_line_exit_2(capsys):
    import socket

    from laureate_writer.plugin.command import run_mcp

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = run_mcp(str(EXAMPLES), True, port)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines() == [
        f"laureate-writer : impossible de servir sur 127.0.0.1:{port} : adresse déjà utilisée"
    ]


def test_article_naming_dev_zero_as_its_dossier(article_text, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(re.sub(r"(?m)^dossier: .*$", "dossier: /dev/zero", article_text), "utf-8")
    for args in (("regenerate", str(path), "--section", "lead"), ("facts", str(path))):
        text = _one_line(run_main(*args))
        assert text.startswith("/dev/zero:1:1:") and "pas un fichier ordinaire" in text


def test_check_refuses_a_huge_file_before_reading_it_all(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("Le texte du lauréat. " * 250_000, encoding="utf-8")  # 5 MB
    text = _one_line(run_main("check", str(big)))
    assert str(big) in text and "trop volumineux" in text


def test_plugin_save_section_on_an_alias_bomb_article(article_text, tmp_path):
    from laureate_writer import operations as ops

    path = _article(tmp_path, article_text.replace("format: 2\n", "format: 2\n" + _alias_bomb(), 1))
    ctx = ops.Context(tmp_path)
    with pytest.raises(ops.OperationError, match="alias YAML"):
        ops.save_section(ctx, path.name, "lead", "Un chapô.")


@pytest.mark.parametrize("kind", ["dev_zero", "alias", "deep"])
def test_style_file_read_like_every_file(kind, tmp_path):
    style = {
        "dev_zero": Path("/dev/zero"),
        "alias": tmp_path / "alias.yaml",
        "deep": tmp_path / "deep.yaml",
    }[kind]
    if kind == "alias":
        style.write_text("name: x\nrules: &a []\nextra: *a\n", encoding="utf-8")
    if kind == "deep":
        style.write_text("name: x\nrules: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    text = _one_line(run_main("check", "--style", str(style), str(EXAMPLES / "brest.yaml")))
    assert str(style) in text
    assert {"dev_zero": "pas un fichier ordinaire", "alias": "alias YAML", "deep": "imbriqué"}[
        kind
    ] in text


def test_a_key_holding_line_breaks_is_still_one_line(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"\\r\\r": null}', encoding="utf-8")  # found by make fuzz
    result = run_main("validate", str(path))
    assert result.returncode == 2
    assert all(line.startswith(f"{path}:") for line in result.stderr.strip().splitlines())
    assert "champ inconnu « \\r\\r »" in result.stderr
