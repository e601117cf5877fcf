"""The fact report, its JSON form, and ``run_facts`` (the ``facts`` command)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from laureate_writer.dossier import Dossier
from laureate_writer.facts import FactReport, check_sections
from laureate_writer.facts.command import run_facts
from laureate_writer.loading import load

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "2020"
SECTIONS = {
    "prize_label": "Prix du Jury : CCAS de Montpellier",
    "lead": "Le CCAS de Montpellier a ouvert mi-octobre 2018 le CEIS, un tiers-lieu numérique.",
    "results": (
        "Plus de 3\u202f000 personnes se sont inscrites en 2020, dont 891 en accompagnement "
        "numérique et 1\u202f629 aux ateliers. L’offre a été multipliée par deux depuis "
        "septembre 2019."
    ),
}


@pytest.fixture(scope="module")
def montpellier() -> Dossier:
    return load(Dossier, EXAMPLES / "montpellier.yaml")


def test_report_sections_coverage_and_json(montpellier) -> None:
    report = check_sections(SECTIONS, montpellier)
    assert report.ok and report.full_coverage and report.unsupported == []
    assert report.counts.sections == 3 and report.counts.results_mentioned == 4
    assert {c.path: c.sections for c in report.coverage}["results[0]"] == ["results"]
    data = report.model_dump(mode="json")
    assert json.loads(json.dumps(data)) == data and data["ok"] is True
    assert FactReport.model_validate(data).model_dump(mode="json") == data

    bad = check_sections(
        [("lead", "Ouvert mi-novembre 2018."), ("results", "Près de 4 812 inscrits.")], montpellier
    )
    assert not bad.ok and not bad.full_coverage
    assert [(u.section, u.kind, u.text) for u in bad.unsupported] == [
        ("lead", "date", "mi-novembre 2018"),
        ("results", "number", "4 812"),
    ]
    assert bad.unsupported[0].closest == "mi-octobre 2018"
    assert [m.path for m in bad.missing_results] == [f"results[{i}]" for i in range(4)]
    violations = bad.violations()
    assert [v.section for v in violations] == ["lead", "results"]
    assert all(v.checker == "facts" and v.rule.startswith("unsupported-") for v in violations)


def write_article(folder: Path, sections: dict[str, str], dossier: str | None) -> Path:
    front = f"dossier: {dossier}\n" if dossier else "id: x\n"
    body = "".join(f"<!-- lw:{kind} -->\n{text}\n\n" for kind, text in sections.items())
    path = folder / "article.md"
    path.write_text(f"---\nformat: 1\n{front}---\n\n{body}", encoding="utf-8")
    return path


def run(*args, **kw) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_facts(*args, out=out, err=err, **kw)
    return code, out.getvalue(), err.getvalue()


def test_command_exit_codes_and_locations(tmp_path: Path) -> None:
    dossier = str(EXAMPLES / "montpellier.yaml")
    sections = {
        "prize_label": SECTIONS["prize_label"],
        "headline": "# Plus de 3\u202f000 inscrits au CEIS",
        "lead": f"**{SECTIONS['lead']}**",
        "results": "## Un franc succès\n\n" + SECTIONS["results"],
        "caption": "*Le CEIS a reçu le Prix du jury des Prix Territoriaux 2020.*",
    }
    good = write_article(tmp_path, sections, dossier)
    code, out, err = run(str(good), None, "text")
    assert (code, err) == (0, "")
    assert "couverture : 4/4" in out and "toutes étayées" in out

    sections["results"] = sections["results"].replace("1\u202f629", "1\u202f692")
    bad = write_article(tmp_path, sections, dossier)
    code, out, _ = run(str(bad), None, "text")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{bad}:") and "error unsupported-number" in first
    line, col = (int(x) for x in first.split(":")[1:3])
    assert (
        bad.read_text(encoding="utf-8").splitlines()[line - 1][col - 1 :].startswith("1\u202f692")
    )

    code, out, _ = run(str(bad), None, "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["unsupported"][0]["section"] == "results"


def test_command_relative_dossier_plain_text_and_edition(tmp_path: Path) -> None:
    article = write_article(tmp_path, {"lead": SECTIONS["lead"]}, "../dossiers/montpellier.yaml")
    (tmp_path.parent / "dossiers").mkdir(exist_ok=True)
    (tmp_path.parent / "dossiers" / "montpellier.yaml").write_text(
        (EXAMPLES / "montpellier.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert run(str(article), None, "text")[0] == 0
    plain = tmp_path / "plain.txt"
    plain.write_text("Créés en 2000, les Prix Territoriaux en sont à la 21e édition.\n")
    assert run(str(plain), str(EXAMPLES / "palmares.yaml"), "text")[0] == 0
    text = "Créés en 2000, les Prix Territoriaux en sont à la 23e édition.\n"
    plain.write_text(text, encoding="utf-8")
    code, out, _ = run(str(plain), str(EXAMPLES / "palmares.yaml"), "text")
    column = text.index("23e") + 1
    assert code == 1 and out.startswith(f"{plain}:1:{column}: error unsupported-ordinal")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("---\nformat: 1\n---\n\n<!-- lw:lead -->\nTexte.\n", ":1:1: dossier: pas de dossier"),
        (
            "---\ndossier: [a\n---\n<!-- lw:lead -->\nx\n",
            ":3:1: (document): erreur de syntaxe YAML du front matter",
        ),
        (
            "---\ndossier: d.yaml\n---\n<!-- lw:chapo -->\nx\n",
            ":4:1: (document): marqueur de section inconnu",
        ),
        (
            "---\ndossier: 12\n---\n<!-- lw:lead -->\nx\n",
            ":2:1: dossier: doit être un chemin de fichier",
        ),
        (
            "---\ndossier: nowhere.yaml\n---\n<!-- lw:lead -->\nx\n",
            "nowhere.yaml:1:1: (document): fichier introuvable",
        ),
    ],
)
def test_command_bad_input_is_one_located_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(str(path), None, "text")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err and "Traceback" not in err


def test_command_bad_dossier_is_located(tmp_path: Path) -> None:
    broken = tmp_path / "d.yaml"
    source = (EXAMPLES / "pau.yaml").read_text(encoding="utf-8")
    assert "\nid: pau\n" in source
    broken.write_text(source.replace("\nid: pau\n", "\nid: Pau Agglo\n"), encoding="utf-8")
    line = source.split("\nid: pau\n")[0].count("\n") + 2
    article = write_article(tmp_path, {"lead": "Texte."}, "d.yaml")
    code, out, err = run(str(article), None, "json")
    assert code == 2 and out == ""
    assert err.startswith(f"{broken}:{line}:") and ": id: format invalide" in err
    assert run(str(tmp_path / "missing.md"), None, "text")[0] == 2
    assert run(str(article), None, "xml")[0] == 2
