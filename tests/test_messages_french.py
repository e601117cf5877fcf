"""One language for people (issue 18): every message a person reads — errors, help,
click's own usage errors, the chat's answers, the plugin's errors and findings — is in
French, after one prefix (``laureate-writer : …``), and a located problem keeps the
``FILE:LINE:COL: …`` form. Identifiers (rule ids, severities, options, paths, class
names) stay as they are: they are neutralised before English words are looked for."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from inprocess import run_main

# Words an English message would hold, in a position no identifier takes.
ENGLISH = re.compile(
    r"\b(?:not found|no such|errors?|stopped|failed|cannot|already exists|interrupted|"
    r"required|invalid|unknown|missing|must|refusing|did you mean|field required|"
    r"extra inputs|input should|should|the|is not|was|were|try|show this|please|"
    r"expected|got|usage:|example|examples|write here|default)\b",
    re.IGNORECASE,
)
IDENTIFIERS = (
    re.compile(r"\b(?:error|warning|suggestion) (?=[a-z]+[.-])"),  # severity before a rule id
    re.compile(r"<[^>\n]*>|\{[^}\n]*\}|\[[^\]\n]*\]"),  # metavars, defaults, list indexes
    re.compile(r"«[^»\n]*»|'[^'\n]*'|\"[^\"\n]*\""),  # quoted input (what the user typed)
    re.compile(r"\S*/\S*"),  # paths
    re.compile(r"\b[\w]+(?:[._-][\w]+)+\b"),  # dotted, hyphenated, snake_case identifiers
    re.compile(r"--?[a-z][\w-]*"),  # options
    re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]*)+\b"),  # class names (APIConnectionError)
    re.compile(r"\$\w+|\b[A-Z_]{3,}\b"),  # environment variables
)
# An error line is located, or says who speaks (or is click's usage block).
LINE_FORMS = re.compile(
    r"^(?:\S+:\d+:\d+: |\S+:\d+: |laureate-writer(?: [a-z]+)? : |Usage : |Aide : |Erreur : |"
    r"\s|[a-z0-9_-]+/[a-z_]+)"
)


def english_in(text: str, *known: str) -> list[str]:
    for path in known:
        text = text.replace(path, "PATH")
    for pattern in IDENTIFIERS:
        text = pattern.sub(" ", text)
    return ENGLISH.findall(text)


def test_the_detector_sees_english_and_spares_identifiers() -> None:
    assert english_in("laureate-writer: stopped: 3 of 6 laureates finished")
    assert english_in("d.yaml:2:1: timout: Extra inputs are not permitted")
    assert english_in("model API error (APIConnectionError)")
    assert english_in("Error: Missing argument 'dossier'.")
    assert not english_in("a.md:1:3: error typo.colon-space: Espace insécable attendue")
    assert not english_in("--min-severity <suggestion|warning|error>  [par défaut : error]")
    assert not english_in("erreur de l’API du modèle (APIConnectionError)")
    assert not english_in("/tmp/the-error/not found.yaml:1:1: (document): fichier introuvable")


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("LW_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "LW_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    brest = (tmp_path / "2020" / "brest.yaml").read_text(encoding="utf-8")
    (tmp_path / "typo.yaml").write_text(brest.replace("results:\n", "reslts:\n", 1), "utf-8")
    (tmp_path / "lacking.yaml").write_text(brest.replace("  kind: commune\n", "", 1), "utf-8")
    (tmp_path / "syntax.yaml").write_text(brest.replace("  year: 2020\n", "  year: [2020\n"))
    (tmp_path / "syntax.json").write_text('{"id": }', encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "style.yaml").write_text(
        "extends: gazette\nrules:\n  - id: x.y\n    type: existence\n    severty: error\n",
        encoding="utf-8",
    )
    (tmp_path / "note.txt").write_text("Texte sans faute.\n", encoding="utf-8")
    return tmp_path


HELP = [
    (),
    ("validate",),
    ("schema",),
    ("draft",),
    ("palmares",),
    ("regenerate",),
    ("check",),
    ("rules",),
    ("facts",),
    ("models",),
    ("mcp",),
    ("chat",),
    ("desk",),
    ("cache",),
    ("cache", "stats"),
    ("cache", "clear"),
    ("dossier",),
    ("dossier", "new"),
    ("dossier", "annotate"),
]

ERRORS = [  # (arguments, exit code)
    (("validate", "nowhere.yaml"), 2),
    (("validate", "typo.yaml"), 2),
    (("validate", "lacking.yaml"), 2),
    (("validate", "syntax.yaml"), 2),
    (("validate", "syntax.json"), 2),
    (("validate", "empty.yaml"), 2),
    (("validate", "2020"), 2),
    (("draft", "nowhere.yaml"), 2),
    (("draft", "2020/brest.yaml", "-o", "out.txt"), 2),
    (("draft", "2020/brest.yaml", "-o", "2020/brest.yaml"), 2),
    (("draft",), 2),
    (("draft", "a", "b"), 2),
    (("draft", "2020/brest.yaml", "--bogus"), 2),
    (("draft", "2020/brest.yaml", "--format", "pdf"), 2),
    (("draft", "2020/brest.yaml", "--layout", "nope"), 2),
    (("palmares", "nowhere.yaml"), 2),
    (("palmares", "2020/palmares.yaml", "--concurrency", "many"), 2),
    (("palmares", "2020/palmares.yaml", "--via", "batch"), 2),
    (("regenerate", "nowhere.md", "--section", "lead"), 2),
    (("regenerate", "2020/brest.md", "--section", "chapo"), 2),
    (("check", "nowhere.md"), 2),
    (("check", "note.txt", "--style", "style.yaml"), 2),
    (("check", "note.txt", "--style", "missing-style.yaml"), 2),
    (("rules", "no.such-rule"), 2),
    (("facts", "nowhere.md"), 2),
    (("facts", "note.txt"), 2),
    (("schema", "nothing"), 2),
    (("dossier", "new", "-o", "2020/brest.yaml"), 2),
    (("dossier", "annotate", "nowhere.yaml"), 2),
    (("mcp", "--workspace", "nowhere"), 2),
    (("desk", ".", "--port", "70000"), 2),
    (("nope",), 2),
]


@pytest.mark.parametrize("args", HELP, ids=lambda a: " ".join(a) or "main")
def test_help_is_french(ws: Path, args: tuple[str, ...]) -> None:
    result = run_main(*args, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage : " in result.stdout and "Affiche cette aide." in result.stdout
    assert not english_in(result.stdout), result.stdout


@pytest.mark.parametrize(
    "args,code", ERRORS, ids=lambda a: " ".join(a) if isinstance(a, tuple) else ""
)
def test_errors_are_french_and_have_one_form(ws: Path, args: tuple[str, ...], code: int) -> None:
    if args[:2] == ("regenerate", "2020/brest.md"):
        assert run_main("draft", "2020/brest.yaml", "-o", "2020/brest.md").returncode == 0
    result = run_main(*args)
    assert result.returncode == code, result.stderr
    assert result.stderr.strip(), "an error says why"
    assert not english_in(result.stderr, str(ws)), result.stderr
    for line in result.stderr.splitlines():
        assert not line or LINE_FORMS.match(line), line


def test_configuration_errors_are_french_with_did_you_mean(ws: Path) -> None:
    (ws / "laureate-writer.toml").write_text('timout = 5\n[check]\nexclde = ["x"]\n', "utf-8")
    result = run_main("models")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "laureate-writer.toml:1:1: timout: champ inconnu « timout » "
        "(vouliez-vous dire « timeout » ?)",
        "laureate-writer.toml:3:1: check.exclde: champ inconnu « exclde » "
        "(vouliez-vous dire « exclude » ?)",
    ]
    (ws / "laureate-writer.toml").write_text("concurrency = 0\nformat = 'pdf'\n", "utf-8")
    result = run_main("models")
    assert "doit être ≥ 1 (trouvé : 0)" in result.stderr
    assert "doit valoir md, html, html-fragment ou json" in result.stderr
    assert not english_in(result.stderr), result.stderr
    (ws / "laureate-writer.toml").write_text("model = \n", "utf-8")
    result = run_main("models")
    assert result.returncode == 2 and not english_in(result.stderr), result.stderr


def test_interrupted_and_internal_errors_are_french(ws: Path, monkeypatch) -> None:
    from laureate_writer import cli, validation

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:  # Ctrl-C outside a command's own handling
        patch.setattr(cli, "click_command", lambda: stop)
        result = run_main("validate", "2020/brest.yaml")
    assert (result.returncode, result.stderr) == (130, "laureate-writer : interrompu\n")

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(validation, "validate_files", crash)
    result = run_main("validate", "2020/brest.yaml")
    assert result.returncode == 70
    assert result.stderr.startswith("laureate-writer validate : erreur interne (RuntimeError)")
    assert not english_in(result.stderr), result.stderr


def _article_with_a_wrong_figure(ws: Path) -> Path:
    article = ws / "2020" / "brest.md"
    assert run_main("draft", "2020/brest.yaml", "-o", str(article)).returncode in (0, 1)
    text = article.read_text(encoding="utf-8")
    marker = "<!-- lw:lead -->\n"
    text = text.replace(marker, marker + "Plus de 9 876 visiteurs l’ont vu. ", 1)
    article.write_text(text, encoding="utf-8")
    return article


def test_facts_and_check_reports_are_french(ws: Path) -> None:
    article = _article_with_a_wrong_figure(ws)
    result = run_main("facts", str(article))
    assert result.returncode == 1
    assert "chiffre introuvable dans le dossier" in result.stdout
    assert "faits : " in result.stdout and "non étayée" in result.stdout
    assert not english_in(result.stdout, str(ws)), result.stdout
    result = run_main("check", "note.txt")
    assert not english_in(result.stdout + result.stderr, str(ws))


def test_chat_and_plugin_texts_are_french(ws: Path) -> None:
    from laureate_writer import operations as ops
    from laureate_writer.chat.session import ChatSession

    _article_with_a_wrong_figure(ws)
    out = io.StringIO()
    session = ChatSession("2020/brest.md", workspace=str(ws), model="offline", out=out)
    for line in ("/help", "/facts", "/check", "/regen chapo", "/show nothing", "/undo"):
        try:
            session.handle(line)
        except ops.OperationError as exc:  # the chat's loop shows it, reworded
            from laureate_writer.chat.session import in_french

            session.say(f"Erreur : {in_french(str(exc))}")
    said = out.getvalue()
    assert "Non étayé par le dossier" in said and "erreur unsupported-number :" in said
    assert not english_in(said, str(ws)), said

    ctx = ops.Context(str(ws))
    facts = ops.check_facts(ctx, "2020/brest.md")
    assert facts.unsupported and all(not english_in(f.message) for f in facts.unsupported)
    refused = []
    for call in (
        lambda: ops.show_article(ctx, "2020/nowhere.md"),
        lambda: ops.regenerate_section(ctx, "2020/brest.md", "chapo"),
        lambda: ops.undo_section(ctx, "2020/brest.md", "lead"),
        lambda: ops.check_facts(ctx, "../outside.md"),
        lambda: ops.draft_article(ctx, "2020/brest.yaml", "2020/brest.md"),
        lambda: ops.check_style(ctx),
    ):
        with pytest.raises(ops.OperationError) as info:
            call()
        refused.append(str(info.value))
    assert all(not english_in(message) for message in refused), refused


def test_stdin_refusals_are_french(cli) -> None:
    result = cli("validate", "-", stdin="id: " + "x" * 1_000_001 + "\n")
    assert result.returncode == 2
    assert result.stderr.startswith("-:1:1: (document): entrée trop volumineuse (limite : 1 Mo)")
    assert not english_in(result.stderr), result.stderr
