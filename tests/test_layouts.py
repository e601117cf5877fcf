"""Layouts as data (2020 default, 2023, magazine), chosen with --layout or the edition
file; the `dossier annotate` and `dossier new` helpers."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, ROOT
from laureate_writer import api
from laureate_writer.article import SectionKind

DEV = ROOT / "examples" / "dev"


def draft(path, layout):
    return api.draft(path, writer=api.make_writer(None, layout=layout))


def test_2023_layout_label_headline_and_first_intertitle():
    article = draft(DEV / "gers.yaml", "2023")
    assert article.text_of(SectionKind.prize_label) == "Prix de la citoyenneté"
    assert "Gers" in article.text_of(SectionKind.headline)
    assert article.section(SectionKind.context).intertitle  # right after the lead
    default = draft(DEV / "gers.yaml", None)
    assert (
        default.text_of(SectionKind.prize_label)
        == "Prix de la citoyenneté\u00a0: Département du Gers"
    )
    assert default.section(SectionKind.context).intertitle is None


def test_magazine_layout_quotes_and_closing_section():
    article = draft(DEV / "kingersheim.yaml", "magazine")
    text = " ".join(s.text for s in article.sections)
    # the dossier marks the quote as a paraphrase: the leader's position, reported speech
    assert "Jo Spiegel, maire de Kingersheim de 1989 à 2020, la démocratie" in text
    assert "«\u00a0La démocratie" not in text
    assert article.section(SectionKind.results).intertitle == "Et aujourd’hui\u202f?"


def test_magazine_closing_section_holds_the_outlook():
    article = draft(DEV / "landes-village-alzheimer.yaml", "magazine")
    results = article.section(SectionKind.results)
    assert results.intertitle == "Et aujourd’hui\u202f?"
    assert "premiers résultats du programme de recherche attendus" in results.text
    # an outlook note dated before the award year is history, not what comes next
    article = draft(DEV / "saillans.yaml", "magazine")
    assert article.section(SectionKind.results) is None
    assert "réélue en 2020" in article.section(SectionKind.context).text


def test_unknown_layout_is_one_line_and_exit_2(cli):
    result = cli("draft", str(DEV / "gers.yaml"), "--layout", "nope")
    assert result.returncode == 2 and "mise en page inconnue « nope »" in result.stderr
    assert "Traceback" not in result.stderr


def _edition_copy(folder, layout=None):
    folder.mkdir(exist_ok=True)
    for path in EXAMPLES.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    if layout is not None:
        with (folder / "palmares.yaml").open("a", encoding="utf-8") as f:
            f.write(f"layout: '{layout}'\n")
    return folder / "palmares.yaml"


def _label_line(text):  # the 2020 label names the laureate, the 2023 one does not
    return "Prix Coup de cœur\u00a0: Ville de Brest" in text


def test_configured_layout_is_honoured_below_the_edition_and_the_flag(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("LW_CONFIG", raising=False)
    monkeypatch.delenv("LW_LAYOUT", raising=False)
    monkeypatch.delenv("LW_MODEL", raising=False)
    (tmp_path / "laureate-writer.toml").write_text('layout = "2023"\n', encoding="utf-8")
    sub = tmp_path / "sub"  # the configuration is found walking up
    sub.mkdir()
    brest = str(EXAMPLES / "brest.yaml")
    result = cli("draft", brest, cwd=sub)
    assert result.returncode == 0, result.stderr
    assert not _label_line(result.stdout)  # config: 2023
    result = cli("draft", brest, "--layout", "2020", cwd=sub)
    assert _label_line(result.stdout)  # the flag wins over the configuration
    plain = _edition_copy(tmp_path / "plain")
    result = cli("palmares", str(plain), cwd=sub)
    assert result.returncode == 0 and not _label_line(result.stdout)  # config: 2023
    chosen = _edition_copy(tmp_path / "chosen", "2020")
    result = cli("palmares", str(chosen), cwd=sub)
    assert _label_line(result.stdout)  # the edition file wins over the configuration
    result = cli("palmares", str(chosen), "--layout", "2023", cwd=sub)
    assert not _label_line(result.stdout)  # and the flag over both
    with monkeypatch.context() as env:  # the chat, the plugin and the desk draft with it
        env.chdir(sub)
        assert api.make_writer(None).layout == "2023"


def test_unknown_layout_is_located_with_a_suggestion_wherever_it_is_set(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("LW_CONFIG", raising=False)
    monkeypatch.delenv("LW_LAYOUT", raising=False)
    monkeypatch.delenv("LW_MODEL", raising=False)
    (tmp_path / "laureate-writer.toml").write_text('timeout = 5\nlayout = "magazin"\n', "utf-8")
    out = tmp_path / "brest.md"
    result = cli("draft", str(EXAMPLES / "brest.yaml"), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 2 and not out.exists()
    assert result.stderr == (
        "laureate-writer.toml:2:1: layout: mise en page inconnue « magazin » "
        "(vouliez-vous dire « magazine » ? au choix : 2020, 2023, magazine)\n"
    )
    edition = _edition_copy(tmp_path / "ed", "2032")
    result = cli("palmares", str(edition), "-o", str(out), cwd=tmp_path)
    line = len(edition.read_text(encoding="utf-8").splitlines())
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.startswith(f"{edition}:{line}:1: layout: mise en page inconnue « 2032 » ")
    assert "vouliez-vous dire « 2023 » ?" in result.stderr and result.stderr.count("\n") == 1
    result = cli("draft", str(EXAMPLES / "brest.yaml"), "--layout", "magasine", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("--layout:1:1: layout: ")
    assert "vouliez-vous dire « magazine » ?" in result.stderr


def test_edition_file_chooses_the_layout(cli, tmp_path):
    edition = (EXAMPLES / "palmares.yaml").read_text(encoding="utf-8")
    for path in EXAMPLES.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "palmares.yaml").write_text(edition + "layout: '2023'\n", encoding="utf-8")
    result = cli("palmares", str(tmp_path / "palmares.yaml"), "-o", str(tmp_path / "p.md"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert not _label_line(page) and "Prix Coup de cœur" in page


def test_dossier_annotate_shows_inferences(cli):
    result = cli("dossier", "annotate", str(DEV / "pipriac.yaml"))
    assert result.returncode == 0, result.stderr
    assert (
        "laureate: « la commune de Pipriac » — f, singular — inferred (article « la »)"
        in result.stdout
    )
    assert "project.context[0]: fragment, gathered" in result.stdout


def test_dossier_new_writes_a_skeleton_that_validates_once_filled(cli, tmp_path):
    target = tmp_path / "new.yaml"
    assert cli("dossier", "new", "-o", str(target)).returncode == 0
    assert "role:" in target.read_text(encoding="utf-8")
    assert cli("validate", str(target)).returncode == 0
    again = cli("dossier", "new", "-o", str(target))
    assert again.returncode == 2 and "existe déjà" in again.stderr


@pytest.mark.parametrize("layout", ["2020", "2023", "magazine"])
def test_every_layout_drafts_the_dev_set(layout):
    for path in sorted(DEV.glob("*.yaml")):
        article = draft(path, layout)
        assert all(s.text.strip() for s in article.sections)
