"""Every bad input: one located line on stderr, exit code 2, no traceback, no output file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLES

BREST = (EXAMPLES / "brest.yaml").read_text(encoding="utf-8")
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<field>\S+): (?P<msg>.+)$")


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    return "\n".join(lines) + "\n"


CASES = {
    # name: (file content or None for special cases, expected line, field, message fragment)
    "syntax": (BREST.replace("  year: 2020\n", "  year: [2020\n", 1), None, "(document)", "erreur de syntaxe YAML"),
    "wrong_type": (BREST.replace("  edition: 21", "  edition: vingt-et-un", 1), 8, "award.edition", "nombre entier"),
    "missing_field": (BREST.replace("  kind: commune\n", "", 1), 13, "laureate.kind", "obligatoire"),
    "unknown_field": (BREST.replace("results:\n", "reslts:\n", 1), None, "reslts", "vouliez-vous dire « results »"),
    "negative": (BREST.replace("    value: 20\n", "    value: -20\n", 1), None, "results[0].value", "≥ 0"),
    "year_range": (BREST.replace("  year: 2020", "  year: 1820", 1), 7, "award.year", "≥ 1900"),
    "empty_name": (BREST.replace("  name: Ville de Brest", "  name: ''", 1), None, "laureate.name", "vide"),
    "empty_file": ("", 1, "(document)", "fichier vide"),
    "list_not_mapping": ("- brest\n- pau\n", 1, "(document)", "trouvé : une liste"),
    "alias_bomb": (_alias_bomb(), 2, "(document)", "alias YAML"),
    "non_utf8": (BREST.encode("utf-8").replace(b"Handibox", b"Handib\xf4x", 1), None, "(document)", "UTF-8"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_dossier_gives_one_located_line(case, tmp_path, cli):
    content, line, field, fragment = CASES[case]
    source = _write(tmp_path, "dossier.yaml", content)
    output = tmp_path / "out" / "article.md"
    result = cli("draft", str(source), "-o", str(output))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    match = LOCATED.match(lines[0])
    assert match, lines[0]
    assert match["file"] == str(source)
    assert match["field"] == field
    assert fragment in match["msg"]
    if line is not None:
        assert int(match["line"]) == line
    assert not output.exists() and not output.parent.exists()
    assert result.stdout == ""


def test_unknown_field_points_at_the_key(tmp_path, cli):
    source = _write(tmp_path, "d.yaml", BREST.replace("results:\n", "reslts:\n", 1))
    expected_line = BREST.splitlines().index("results:") + 1
    result = cli("validate", str(source))
    assert f"{source}:{expected_line}:1: reslts: champ inconnu" in result.stderr


def test_twenty_megabyte_file_is_refused_before_reading(tmp_path, cli):
    big = tmp_path / "big.yaml"
    with big.open("w") as handle:
        handle.write("notes: |\n")
        chunk = "  " + "x" * 98 + "\n"
        handle.write(chunk * 200_000)
    assert big.stat().st_size > 20_000_000
    result = cli("draft", str(big), "-o", str(tmp_path / "a.md"))
    assert result.returncode == 2
    assert re.match(
        rf"^{re.escape(str(big))}:1:1: \(document\): fichier trop volumineux", result.stderr
    )
    assert not (tmp_path / "a.md").exists()


@pytest.mark.parametrize("kind", ["directory", "missing"])
def test_directory_and_missing_path(kind, tmp_path, cli):
    target = tmp_path if kind == "directory" else tmp_path / "nope.yaml"
    result = cli("draft", str(target), "-o", str(tmp_path / "a.md"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = "est un répertoire, pas un fichier" if kind == "directory" else "fichier introuvable"
    assert result.stderr.strip() == f"{target}:1:1: (document): {message}"
    assert not (tmp_path / "a.md").exists()


def test_json_dossier_errors_are_located(tmp_path, cli):
    import json

    import yaml

    data = yaml.safe_load(BREST)
    data["results"][1]["value"] = -3
    source = _write(tmp_path, "d.json", json.dumps(data, ensure_ascii=False, indent=2))
    result = cli("validate", str(source))
    assert result.returncode == 2
    match = LOCATED.match(result.stderr.strip())
    assert match and match["field"] == "results[1].value" and int(match["line"]) > 1


def test_json_syntax_error(tmp_path, cli):
    source = _write(tmp_path, "d.json", '{"id": "x",\n "award": }\n')
    result = cli("validate", str(source))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{source}:2:") and "erreur de syntaxe JSON" in result.stderr


def test_edition_with_a_bad_dossier_names_the_dossier_file(tmp_path, cli):
    bad = _write(tmp_path, "brest.yaml", BREST.replace("    value: 20\n", "    value: -1\n", 1))
    edition = (EXAMPLES / "palmares.yaml").read_text(encoding="utf-8")
    edition = edition.split("dossiers:")[0] + "dossiers:\n  - brest.yaml\n  - missing.yaml\n"
    edition_path = _write(tmp_path, "palmares.yaml", edition)
    result = cli("palmares", str(edition_path), "-o", str(tmp_path / "page.html"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"{bad}:") and "results[0].value" in line for line in lines)
    assert any("missing.yaml:1:1: (document): fichier introuvable" in line for line in lines)
    assert not (tmp_path / "page.html").exists()


def test_validate_json_format_reports_errors(tmp_path, cli):
    import json

    source = _write(tmp_path, "d.yaml", "- a\n")
    result = cli("validate", "--format", "json", str(source), str(EXAMPLES / "pau.yaml"))
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert [r["ok"] for r in report] == [False, True]
    assert report[0]["errors"][0]["line"] == 1


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_libyaml_fast_path_reads_exactly_what_the_careful_pass_reads(name, monkeypatch):
    from laureate_writer import loading

    text = (EXAMPLES / name).read_text(encoding="utf-8")
    fast = loading._parse_yaml_fast(name, text)
    monkeypatch.setattr(loading, "_CLoader", None)
    careful = loading._parse_yaml(name, text)
    assert fast is not None
    assert (fast.data, fast.positions, fast.key_positions) == (
        careful.data,
        careful.positions,
        careful.key_positions,
    )
