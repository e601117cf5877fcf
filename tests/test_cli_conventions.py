"""The command line behaves like the tools newsrooms already script (ruff, Vale, llm):
exit codes from the documented table, a linter's `check`, one configuration file found
by walking up, located configuration errors."""

from __future__ import annotations

import shutil

import pytest

from conftest import EDITION, EXAMPLES, run_cli


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    """What `make demo` writes: the page in Markdown and HTML, one article per laureate."""
    out = tmp_path_factory.mktemp("out")
    for args in (
        ["-o", str(out / "palmares-2020.md"), "--out-dir", str(out / "2020")],
        ["-o", str(out / "palmares-2020.html")],
    ):
        result = run_cli("palmares", str(EDITION), *args)
        assert result.returncode == 0, result.stderr
    return out


# --- check: the product's own outputs, a linter's conventions ---------------------------


def test_check_on_the_whole_demo_output_reports_nothing(demo_out):
    result = run_cli("check", str(demo_out))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr == "aucun problème (8 fichiers vérifiés).\n"


def test_html_is_checked_for_its_text_not_its_css(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>T</title><style>a{color:red;}</style></head>\n"
        "<body><h1>Un titre assez long pour la règle</h1>\n<p>Qui a gagné? La ville.</p></body></html>\n",
        encoding="utf-8",
    )
    result = run_cli("check", str(page), "--fix")
    # located in the HTML file itself; HTML is never rewritten
    assert result.stdout.startswith(f"{page}:3:15: error typo.high-punctuation-space:")
    assert "corrigeable" not in result.stderr and result.returncode == 1
    assert "gagné?" in page.read_text(encoding="utf-8")


def test_page_markdown_is_read_by_its_structure():
    from laureate_writer.style.formats import checkable

    source = (
        "# Titre de la page\n\nIntro.\n\n## Le palmarès 2020\n\n### Prix du Jury : Ville\n\n"
        "#### Un titre\n\n**Le chapô.**\n\nLe contexte.\n\n##### Un intertitre\n\nTexte.\n\n"
        "*La légende.*\n"
    )
    doc = checkable("page.md", source)
    assert doc.kind == "page"
    kinds = [line.split()[1][3:] for line in doc.text.splitlines() if line.startswith("<!--")]
    assert kinds == ["label", "prize_label", "headline", "lead", "context", "method", "caption"]
    assert doc.restore(doc.text) == source
    # findings point at the page's own lines
    assert doc.source_line_col(doc.text.index("Texte.")) == (
        source[: source.index("Texte.")].count("\n") + 1,
        1,
    )


def test_diff_exits_1_when_fixes_are_pending(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("Qui a gagné? La ville.\n", encoding="utf-8")
    result = run_cli("check", str(article), "--diff")
    assert result.returncode == 1 and result.stdout.startswith("--- a/")
    assert result.stderr.startswith("1 fichier à corriger ; ")
    assert run_cli("check", str(article), "--diff", "--exit-zero").returncode == 0


def test_folders_are_walked_with_include_and_exclude(tmp_path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("a.md", "b.txt", "notes.yaml", "drafts/c.md", ".hidden/d.md"):
        (tmp_path / name).write_text("Qui? Oui.\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path), "--exclude", "drafts", "-q")
    files = sorted({line.split(":")[0] for line in result.stdout.splitlines()})
    assert files == [str(tmp_path / "a.md"), str(tmp_path / "b.txt")]
    result = run_cli("check", str(tmp_path), "--include", "*.md", "-q")
    files = sorted({line.split(":")[0] for line in result.stdout.splitlines()})
    assert files == [str(tmp_path / "a.md"), str(tmp_path / "drafts" / "c.md")]


def test_statistics_and_exit_zero(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("Qui? Quoi? Le verdict: oui.\n", encoding="utf-8")
    result = run_cli("check", str(article), "--statistics", "--exit-zero")
    assert result.returncode == 0
    stats = [
        line.split() for line in result.stdout.splitlines() if not line.startswith(str(tmp_path))
    ]
    assert [s[:3] for s in stats] == [
        ["2", "typo.high-punctuation-space", "[*]"],
        ["1", "typo.colon-space", "[*]"],
    ]
    assert result.stderr.startswith(
        "3 problèmes (3 erreurs) dans 1 fichier vérifié, 3 corrigeables"
    )


def test_missing_file_is_one_located_line_exit_2(tmp_path):
    result = run_cli("check", str(tmp_path / "nope.md"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"{tmp_path / 'nope.md'}:1:1: fichier introuvable\n"


def test_rules_lists_and_explains(tmp_path):
    listing = run_cli("rules")
    assert listing.returncode == 0
    assert any(line.startswith("typo.colon-space ") for line in listing.stdout.splitlines())
    one = run_cli("rules", "typo.colon-space")
    assert one.returncode == 0 and "Le verdict~: la commune gagne" in one.stdout
    assert "Imprimerie nationale" in one.stdout  # the rule's own "why"
    wrong = run_cli("rules", "typo.colon-spac")
    assert wrong.returncode == 0 and wrong.stdout.startswith("typo.colon-space ")  # a prefix
    unknown = run_cli("rules", "typo.colon-spaec")
    assert unknown.returncode == 2
    assert "vouliez-vous dire « typo.colon-space »" in unknown.stderr


# --- one configuration file, found by walking up ------------------------------------------


def _house_style(folder):
    (folder / "house.yaml").write_text(
        "extends: gazette\nrules:\n  - id: x.bravo\n    type: existence\n    severity: error\n"
        '    message: "« {match} » : {reason}"\n    tokens:\n      bravo: pas de « bravo ».\n',
        encoding="utf-8",
    )


@pytest.mark.parametrize("where", ["laureate-writer.toml", "pyproject.toml"])
def test_configuration_is_found_walking_up_and_honoured_by_check(tmp_path, where):
    _house_style(tmp_path)
    if where == "pyproject.toml":
        text = '[project]\nname = "x"\n\n[tool.laureate-writer]\nstyle = "house.yaml"\n'
    else:
        text = 'style = "house.yaml"\n'
    (tmp_path / where).write_text(text, encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "t.md").write_text("Un bravo à la ville.\n", encoding="utf-8")
    result = run_cli("check", "t.md", cwd=sub)
    assert result.returncode == 1 and "x.bravo" in result.stdout


def test_every_drafting_command_honours_the_configuration(tmp_path, monkeypatch):
    """style, prompts, layout and the output defaults (format, out_dir) of the file, read
    from a subfolder; flags still win."""
    import json

    for name in ("LW_CONFIG", "LW_MODEL", "LW_LAYOUT", "LW_FORMAT", "LW_OUT_DIR"):
        monkeypatch.delenv(name, raising=False)
    _house_style(tmp_path)
    overlay = tmp_path / "maison" / "offline"
    overlay.mkdir(parents=True)
    (overlay / "headline.md.j2").write_text("Un bravo à {{ d.laureate.in_text }}\n", "utf-8")
    (tmp_path / "laureate-writer.toml").write_text(
        'style = "house.yaml"\nprompts = ["maison"]\nlayout = "magazine"\n'
        'format = "json"\nout_dir = "articles"\n',
        encoding="utf-8",
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    result = run_cli("draft", str(EXAMPLES / "brest.yaml"), cwd=sub)
    assert result.returncode == 1, result.stderr  # the house rule flags the headline
    article = json.loads(result.stdout)  # format = "json"
    sections = {s["kind"]: s for s in article["sections"]}
    assert sections["headline"]["text"] == "Un bravo à la ville de Brest"  # prompts
    assert sections["results"]["intertitle"] == "Et aujourd’hui\u202f?"  # layout
    assert "x.bravo" in result.stderr  # style
    result = run_cli("palmares", str(EDITION), cwd=sub)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["format"] == "laureate-writer/page@1"
    assert len(list((tmp_path / "articles").glob("*.md"))) == 6  # out_dir, from the file
    result = run_cli("draft", str(EXAMPLES / "brest.yaml"), "--format", "md", cwd=sub)
    assert result.stdout.startswith("---\n")  # the flag wins
    from laureate_writer.operations import Context

    monkeypatch.chdir(sub)  # the chat, the plugin and the desk share this context
    ctx = Context(tmp_path)
    assert "x.bravo" in {r.id for r in ctx.style.rules} and ctx.writer.layout == "magazine"


def test_configuration_errors_are_located_with_did_you_mean(tmp_path):
    (tmp_path / "laureate-writer.toml").write_text(
        'model = "openai:x"\ntimout = 3\n\n[check]\nexclde = ["a"]\n', encoding="utf-8"
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    result = run_cli("check", "-", cwd=sub, stdin="Texte.\n")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "../laureate-writer.toml:2:1: timout: champ inconnu « timout » (vouliez-vous dire « timeout » ?)",
        "../laureate-writer.toml:5:1: check.exclde: champ inconnu « exclde » (vouliez-vous dire « exclude » ?)",
    ]


def test_a_model_set_in_the_file_is_reported_at_its_line(tmp_path, monkeypatch):
    (tmp_path / "laureate-writer.toml").write_text(
        '# house settings\nmodel = "openai:gpt-4.1-mini"\n', encoding="utf-8"
    )
    shutil.copy(EXAMPLES / "brest.yaml", tmp_path / "brest.yaml")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("LW_MODEL", raising=False)
    result = run_cli("draft", "brest.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("laureate-writer.toml:2:1: model: pas de clé d’API")


def test_toml_syntax_error_is_located(tmp_path):
    (tmp_path / "laureate-writer.toml").write_text('timeout = 3\nmodel "x"\n', encoding="utf-8")
    result = run_cli("check", "-", cwd=tmp_path, stdin="Texte.\n")
    assert result.returncode == 2
    assert result.stderr.startswith("laureate-writer.toml:2:7: (document): erreur de syntaxe TOML")


# --- outputs for pipelines ---------------------------------------------------------------


def _schema(name):
    import json

    from conftest import ROOT

    return json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_page_json_is_valid_against_its_committed_schema(tmp_path):
    import json

    import jsonschema

    target = tmp_path / "p.json"
    result = run_cli("palmares", str(EDITION), "-o", str(target))
    assert result.returncode == 0, result.stderr
    page = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(page, _schema("page"))
    assert page["format"] == "laureate-writer/page@1" and len(page["articles"]) == 6
    brest = page["articles"][0]
    assert brest["prize_label"].startswith("Prix Coup de cœur")
    kinds = [s["kind"] for s in brest["sections"]]
    assert kinds == ["lead", "context", "method", "details", "results", "caption"]
    assert all(s["intertitle"] for s in brest["sections"] if s["kind"] in ("method", "details"))
    assert brest["sections"][0]["provenance"]["writer"] == "offline"
    assert brest["findings"] == [] and brest["failures"] == {}


def test_article_json_to_stdout_is_valid_against_its_schema():
    import json

    import jsonschema

    result = run_cli("draft", str(EXAMPLES / "brest.yaml"), "--format", "json", "-m", "offline")
    assert result.returncode == 0, result.stderr
    jsonschema.validate(json.loads(result.stdout), _schema("article"))


def test_html_fragment_is_content_only_for_a_cms():
    result = run_cli("palmares", str(EDITION), "--format", "html-fragment")
    assert result.returncode == 0
    text = result.stdout
    assert "<!DOCTYPE" not in text and "<style" not in text and "<head>" not in text
    assert text.lstrip().startswith("<header>") and text.count("<article") == 6


def test_page_with_a_newsroom_template_and_css(tmp_path):
    template = tmp_path / "maison.html.j2"
    template.write_text(
        "<html><head><style>{{ css }}</style>"
        '<meta name="description" content="{{ description }}"></head><body>'
        "<h1>{{ page.title }}</h1>{% for a in page.articles %}"
        '<section class="laureat"><h2>{{ a.text_of("headline") }}</h2></section>'
        "{% endfor %}</body></html>\n",
        encoding="utf-8",
    )
    css = tmp_path / "maison.css"
    css.write_text("h2 { color: teal; }\n", encoding="utf-8")
    (tmp_path / "laureate-writer.toml").write_text(
        'template = "maison.html.j2"\ncss = "maison.css"\n', encoding="utf-8"
    )
    target = tmp_path / "page.html"
    result = run_cli("palmares", str(EDITION), "-o", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert html.count('<section class="laureat">') == 6 and "h2 { color: teal; }" in html
    assert '<meta name="description" content="Créés en 2000' in html
    # the newsroom's page checks as HTML like ours
    assert run_cli("check", str(target)).returncode == 0


def test_template_error_is_located(tmp_path):
    template = tmp_path / "bad.html.j2"
    template.write_text("<h1>{{ page.title }</h1>\n", encoding="utf-8")
    result = run_cli(
        "palmares", str(EDITION), "--template", str(template), "-o", str(tmp_path / "p.html")
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"{template}:1:1: (document): erreur de gabarit")
    assert not (tmp_path / "p.html").exists()


@pytest.mark.parametrize("name", ["p.txt", "p.docx"])
def test_unknown_output_extension_is_one_line_exit_2(tmp_path, name):
    result = run_cli("palmares", str(EDITION), "-o", str(tmp_path / name))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "extension de sortie inconnue" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_html_pages_review_notes_are_not_checked_as_text(tmp_path):
    """A flagged section's « À vérifier » note (the fact guard's words, in English) is for
    the editor, like the Markdown page's comment: only the text is checked."""
    note = (
        '<aside class="flag" role="note"><strong>À vérifier (details)</strong><ul><li>facts '
        "unsupported-money : money “1 million d’euros”: not in the dossier</li></ul></aside>"
    )
    page = tmp_path / "p.html"
    page.write_text(f"<html><body><p>La ville a ouvert un lieu.</p>{note}</body></html>\n", "utf-8")
    result = run_cli("check", str(page), "--grammar", "off")
    assert result.returncode == 0 and result.stdout == "", result.stdout
    page.write_text(f"<html><body><aside>{note[32:]}</body></html>\n", "utf-8")
    assert run_cli("check", str(page), "--grammar", "off").returncode == 1  # other asides


def test_check_on_the_drafted_dev_set_flags_only_writer_faults(tmp_path):
    """The sixteen development dossiers, drafted offline as one page (a throwaway edition
    file) and one article each: `check` finds no typography, grammar, spelling or number
    rule tripping on our own output; what remains is the writer's (lengths, repeated
    openings, an acronym not expanded at first use), being worked on in the planner."""
    import yaml

    dev = EXAMPLES.parent / "dev"
    prizes: list[str] = []
    names = []
    for path in sorted(dev.glob("*.yaml")):
        prize = (yaml.safe_load(path.read_text(encoding="utf-8")).get("prize") or {}).get("name")
        if prize:  # a nominee without a prize has no place on a palmarès page
            prizes += [prize] if prize not in prizes else []
            names.append((prizes.index(prize), path.name))
        shutil.copy(path, tmp_path / path.name)
    edition = {
        "award": {"name": "Trophées de l'action locale", "year": 2023, "edition": 5},
        "prizes": prizes,
        "dossiers": [name for _, name in sorted(names)],
    }
    (tmp_path / "edition.yaml").write_text(yaml.safe_dump(edition, allow_unicode=True), "utf-8")
    out = tmp_path / "out"
    for args in (["-o", str(out / "page.md"), "--out-dir", str(out)], ["-o", str(out / "p.html")]):
        result = run_cli("palmares", str(tmp_path / "edition.yaml"), *args, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
    assert len(list(out.glob("*.md"))) == len(names) + 1
    result = run_cli("check", str(out), "--exit-zero", "--format", "json")
    import json

    rules = {finding["rule"] for finding in json.loads(result.stdout)}
    writer_faults = {"len.headline", "len.sentence", "len.caption", "rep.openings", "acr.first-use"}
    assert rules <= writer_faults, rules - writer_faults
