"""Style files (extends, overrides, errors), article scopes, protected spans,
house space settings with exact code points."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from laureate_writer.style import check_markdown, fix_markdown, load_style
from laureate_writer.style.document import MASK, Document
from laureate_writer.style.engine import StyleError

NB, NN = "\u00a0", "\u202f"
ARTICLE = textwrap.dedent(
    """\
    ---
    dossier: brest.yaml
    note: "ceci: n'est pas vérifié"
    ---

    <!-- lw:prize_label -->
    **Prix Coup de cœur : Ville de Brest**

    <!-- lw:headline -->
    # Handibox facilite l'accès à la culture.

    <!-- lw:lead -->
    **Avec sa Handibox, la ville de Brest lève les freins pratiques à l’accueil des personnes handicapées.**

    <!-- lw:context -->
    À Brest, 3000 personnes : voir https://brest.fr/a:b?x=1;y=2 ou écrire à contact@brest.fr.

    <!-- lw:method -->
    ## Un atelier participatif.

    Le code `x = 'a' ; y` reste intact, comme le 05 34 140 140 et 29200 Brest.

    ```
    fenced: 'code' ; 3000
    ```

    <!-- lw:caption -->
    *La Handibox a reçu le Prix coup de cœur des Prix Territoriaux 2020.*
    """
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


# ----------------------------------------------------------------- scopes
def test_markers_map_to_scopes():
    doc = Document(ARTICLE)
    scopes = {doc.text[s.start : s.end].strip("*# "): s.scope for s in doc.segments}
    assert scopes["Prix Coup de cœur : Ville de Brest"] == "label"
    assert scopes["Handibox facilite l'accès à la culture."] == "headline"
    assert scopes["Un atelier participatif."] == "intertitle"
    assert any(v == "lead" for v in scopes.values())
    assert any(v == "caption" for v in scopes.values())
    assert [doc.section_kind(s) for s in doc.segments][:3] == ["prize_label", "headline", "lead"]


def test_plain_text_is_body_and_headings_are_titles():
    doc = Document("# Titre\n\n## Inter\n\nTexte.\n")
    assert [s.scope for s in doc.segments] == ["headline", "intertitle", "body"]
    assert [s.scope for s in Document("Un texte.\n\nDeux.").segments] == ["body", "body"]


def test_scoped_rules_follow_sections():
    found = {v.rule for v in check_markdown(ARTICLE)}
    assert "typo.headline-period" in found  # headline and intertitle end with "."
    periods = [v for v in check_markdown(ARTICLE) if v.rule == "typo.headline-period"]
    assert {v.section for v in periods} == {"headline", "method"}
    # the prize label is only checked by scope-all rules: cap.local-bodies is scoped
    assert not any(v.section == "prize_label" and v.rule.startswith("cap.") for v in periods)


def test_check_api_with_scope_and_positions():
    style = load_style()
    found = style.check("Qui a gagné?", "lead")
    (v,) = [v for v in found if v.rule == "typo.high-punctuation-space"]
    assert (v.start, v.end, v.line, v.column) == (11, 11, 1, 12)
    assert v.suggestion == NN and v.fixable and v.severity.name == "error"
    assert style.fix("Qui a gagné?", "lead") == f"Qui a gagné{NN}?"
    with pytest.raises(ValueError):
        style.check("x", "nowhere")


# --------------------------------------------------------- protected spans
def test_nothing_protected_is_reported_or_changed():
    fixed = fix_markdown(ARTICLE)
    for keep in [
        'note: "ceci: n\'est pas vérifié"',
        "https://brest.fr/a:b?x=1;y=2",
        "contact@brest.fr",
        "`x = 'a' ; y`",
        "05 34 140 140",
        "29200 Brest",
        "fenced: 'code' ; 3000",
        "<!-- lw:method -->",
        "# Handibox",
        "## Un atelier",
        "**Avec sa Handibox",
        "*La Handibox",
    ]:
        assert keep in fixed, keep
    doc = Document(ARTICLE)
    for v in check_markdown(ARTICLE):
        assert MASK not in doc.masked[v.start : v.end], v
    # prose around them is fixed
    assert f"3{NN}000 personnes{NB}:" in fixed
    assert "l’accès à la culture\n" in fixed
    assert fixed.count("\n") == ARTICLE.count("\n")


def test_lw_style_off_region_is_exempt():
    text = "Bravo!\n\n<!-- lw-style off -->\nCitation brute: «ok»\n<!-- lw-style on -->\n"
    rules = {v.line for v in check_markdown(text)}
    assert rules == {1}


def test_phone_postal_years_references_never_grouped():
    style = load_style()
    text = (
        "Appelez le 05 34 140 140 ou le 0534140140, +33 5 34 14 01 40. 29200 Brest. "
        "En 2020 et en 1789, article 1246, décret n° 2020-1234, NF EN 1090, 12345 euros."
    )
    fixed = style.fix(text, "body")
    assert "05 34 140 140" in fixed and "0534140140" in fixed and "+33 5 34 14 01 40" in fixed
    assert "29200 Brest" in fixed and "2020" in fixed and "1789" in fixed
    assert "article 1246" in fixed and "2020-1234" in fixed and "1090" in fixed
    assert f"12{NN}345 euros" in fixed


# ----------------------------------------------------------- style files
def test_extends_override_disable_and_settings(tmp_path):
    path = write(
        tmp_path,
        "house.yaml",
        """\
        extends: gazette
        settings:
          lenient: true
          thousands: nbsp
        disable: [exist.promo]
        rules:
          - id: len.headline
            max: 30
          - id: house.banned
            type: existence
            severity: error
            message: "« {match} » est interdit."
            tokens: [vivre-ensemble]
        """,
    )
    style = load_style(path)
    assert "exist.promo" not in style.by_id
    assert style.by_id["len.headline"].options["max"] == 30
    assert style.by_id["len.headline"].severity == "warning"  # inherited
    assert style.check("le vivre-ensemble", "body")[0].rule == "house.banned"
    # lenient: U+00A0 accepted where U+202F is expected; thousands now U+00A0
    assert style.check(f"Qui{NB}? Et 3{NB}000", "body") == []
    assert load_style().check(f"Qui{NB}?", "body")[0].rule == "typo.high-punctuation-space"
    assert style.fix("3000 euros", "body") == f"3{NB}000 euros"


def test_space_kinds_are_exact_code_points():
    style = load_style()
    fixed = style.fix('Le jury: "oui"; bravo! Qui? 63% de 3000 à 18h30', "body")
    assert (
        fixed
        == f"Le jury{NB}: «{NB}oui{NB}»{NN}; bravo{NN}! Qui{NN}? 63{NB}% de 3{NN}000 à 18{NB}h{NB}30"
    )


@pytest.mark.parametrize(
    ("content", "line", "rule", "problem"),
    [
        (
            "rules:\n  - id: a.b\n    type: typography\n    severty: error\n",
            2,
            "a.b",
            "champ inconnu « severty »",
        ),
        (
            "rules:\n  - id: a.b\n    type: nope\n    severity: error\n    message: m\n",
            2,
            "a.b",
            "type de règle inconnu",
        ),
        (
            "rules:\n  - id: a.b\n    type: existence\n    severity: fatal\n    message: m\n    tokens: [x]\n",
            2,
            "a.b",
            "severity doit valoir",
        ),
        (
            "rules:\n  - id: a.b\n    type: typography\n    severity: error\n    message: m\n    pattern: '(['\n",
            2,
            "a.b",
            "expression régulière invalide",
        ),
        (
            "rules:\n  - id: a.b\n    type: existence\n    severity: error\n    message: m\n    scope: footer\n    tokens: [x]\n",
            2,
            "a.b",
            "portée inconnue",
        ),
        (
            "extends: gazette\nrules:\n  - id: len.headline\n    type: existence\n",
            3,
            "len.headline",
            "ne peut pas changer le type",
        ),
        ("extends: gazette\ndisable: [no.such]\n", 1, "no.such", "règle inconnue"),
        (
            "rules:\n  - id: a.b\n    type: typography\n  bad indent: [\n",
            None,
            None,
            "YAML invalide",
        ),
        ("extends: nowhere-style\n", 1, None, "introuvable"),
        ("settings:\n  colon: wide\n", 2, None, "réglage colon"),
    ],
)
def test_invalid_style_files_name_line_and_rule(tmp_path, content, line, rule, problem):
    path = write(tmp_path, "bad.yaml", content)
    with pytest.raises(StyleError) as info:
        load_style(path)
    err = info.value
    assert problem in err.problem
    if line is not None:
        assert err.line == line
    assert err.rule_id == rule
    assert "\n" not in str(err) and str(err).startswith(str(path))


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(StyleError, match="circulaire"):
        load_style(tmp_path / "a.yaml")


# --------------------------------------------------------------- behaviour
def test_fix_only_changes_characters_and_spacing_except_substitutions():
    style = load_style()
    text = 'Le jury  a dit: "bravo" à l\'équipe de Brest , en 2020...'
    fixed = style.fix(text, "body")
    assert fixed == f"Le jury a dit{NB}: «{NB}bravo{NB}» à l’équipe de Brest, en 2020…"


def test_doubled_word_and_openings_are_reported_not_fixed():
    style = load_style()
    assert style.fix("Le le jury a tranché.", "body") == "Le le jury a tranché."
    assert [v.suggestion for v in style.check("Le le jury", "body") if v.rule == "rep.doubled"] == [
        "Le"
    ]


def test_acronym_known_and_defined():
    style = load_style()
    text = "Le centre communal d’action sociale (CCAS) de Brest. Le CCAS et la SNCF. Le SDIS aussi."
    found = [v for v in style.check(text, "body") if v.rule == "acr.first-use"]
    assert [v.excerpt for v in found] == ["SDIS"]
    assert found[0].suggestion == "service départemental d’incendie et de secours (SDIS)"


def test_style_module_imports_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, laureate_writer.style, laureate_writer.style.command;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('langchain','openai','langchain_core','yaml')];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
