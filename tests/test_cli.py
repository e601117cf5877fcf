"""The CLI as users run it: formats, atomic output, help, version, schema, start-up."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EDITION, EXAMPLES, ROOT

MODEL_PACKAGES = ("langchain", "langchain_core", "langchain_openai", "openai", "langgraph", "mcp",
                  "pyrealb")  # fmt: skip  # the realiser too: only drafting loads it


def test_version(cli):
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("laureate-writer ")


@pytest.mark.parametrize(
    "command",
    [
        "validate",
        "schema",
        "draft",
        "palmares",
        "regenerate",
        "check",
        "rules",
        "facts",
        "mcp",
        "chat",
    ],
)
def test_every_command_has_help_with_an_example(command, cli):
    result = cli(*command.split(), "--help")
    assert result.returncode == 0
    assert "Exemple :" in result.stdout and "Usage :" in result.stdout


def test_validate_examples(cli):
    result = cli("validate", *sorted(str(p) for p in EXAMPLES.glob("*.yaml")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok ") == 7


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_draft_formats(fmt, cli, tmp_path):
    target = tmp_path / f"brest.{fmt}"
    result = cli("draft", str(EXAMPLES / "brest.yaml"), "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    if fmt == "md":
        assert text.startswith("---\n") and "<!-- lw:results -->" in text
    elif fmt == "json":
        assert json.loads(text)["id"] == "brest"
    else:
        assert text.startswith("<!DOCTYPE html>") and "Handibox" in text
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_article_file_points_back_to_its_dossier(cli, tmp_path):
    from laureate_writer.article import Article

    target = tmp_path / "articles" / "pau.md"
    assert cli("draft", str(EXAMPLES / "pau.yaml"), "-o", str(target)).returncode == 0
    article = Article.from_markdown(target.read_text(encoding="utf-8"))
    assert (target.parent / article.dossier).resolve() == (EXAMPLES / "pau.yaml").resolve()


def test_draft_to_stdout(cli):
    result = cli("draft", str(EXAMPLES / "ariege.yaml"), "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["laureate"] == "SDIS de l’Ariège"


def test_palmares_writes_page_and_article_files(cli, tmp_path):
    page = tmp_path / "page.md"
    result = cli("palmares", str(EDITION), "-o", str(page), "--out-dir", str(tmp_path / "a"))
    assert result.returncode == 0, result.stderr
    assert page.read_text(encoding="utf-8").count("\n### ") == 6
    assert sorted(p.stem for p in (tmp_path / "a").iterdir()) == [
        "ariege", "brest", "hauts-de-seine", "ile-de-france", "montpellier", "pau",
    ]  # fmt: skip


def test_output_is_atomic_when_drafting_fails(cli, tmp_path):
    target = tmp_path / "page.html"
    target.write_text("previous page", encoding="utf-8")
    bad_edition = tmp_path / "ed.yaml"
    bad_edition.write_text(EDITION.read_text(encoding="utf-8").replace("  year: 2020", "  year: x"))
    result = cli("palmares", str(bad_edition), "-o", str(target))
    assert result.returncode == 2
    assert target.read_text(encoding="utf-8") == "previous page"


def test_schema_is_valid_json_schema_and_committed_copies_are_current(cli):
    for kind in ("dossier", "edition", "page", "article"):
        result = cli("schema", kind)
        assert result.returncode == 0
        schema = json.loads(result.stdout)
        assert schema["type"] == "object" and "properties" in schema
        committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == result.stdout, f"run `make schema` to refresh schema/{kind}.schema.json"
    assert "additionalProperties" in json.dumps(json.loads(cli("schema").stdout))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["validate", str(EXAMPLES / "brest.yaml")],
        ["schema"],
        ["validate", "--help"],
        ["check", str(ROOT / "README.md")],
        ["check", "--help"],
    ],
)
def test_commands_without_a_model_never_import_model_clients(args):
    code = (
        "import sys\n"
        f"sys.argv = ['laureate-writer', *{args!r}]\n"
        "from laureate_writer.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {MODEL_PACKAGES!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


# What each command must not load at start-up (bench/startup.py measures the time):
# --help needs no pydantic at all; no command without a model loads the article model
# (regenerate's --section choices come from laureate_writer.sections); settings are read
# without pydantic-settings.
STARTUP_UNWANTED = {
    "--help": (
        "pydantic",
        "laureate_writer.article",
        "laureate_writer.settings",
        "pydantic_settings",
    ),
    "validate": (
        "laureate_writer.article",
        "laureate_writer.settings",
        "pydantic_settings",
        "jinja2",
        "markdown_it",
    ),
    "check": ("laureate_writer.article", "pydantic_settings", "jinja2", "markdown_it", "rich"),
}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("--help", ["--help"]),
        ("validate", ["validate", str(EXAMPLES / "brest.yaml")]),
        ("check", ["check", "--grammar", "off", str(ROOT / "README.md")]),
    ],
)
def test_start_up_loads_only_what_the_command_needs(name, args):
    unwanted = STARTUP_UNWANTED[name]
    code = (
        "import sys\n"
        f"sys.argv = ['laureate-writer', *{args!r}]\n"
        "from laureate_writer.cli import app\n"
        "try:\n    app()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
        f"print(sorted(m for m in {unwanted!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)  # fmt: skip
    lines = result.stdout.strip().splitlines()
    assert lines[-2] in ("exit 0", "exit 1"), result.stdout + result.stderr
    assert lines[-1] == "[]", result.stdout
