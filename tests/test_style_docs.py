"""The generated rule reference is up to date."""

from __future__ import annotations

from pathlib import Path

from laureate_writer.style.docgen import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "style-reference.md"


def test_style_reference_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/style-reference.md is stale: run "
        "`python -m laureate_writer.style.docgen > docs/style-reference.md`"
    )


def test_reference_documents_every_rule():
    from laureate_writer.style.engine import load_style

    text = DOC.read_text(encoding="utf-8")
    for rule in load_style(include_disabled=True).rules:
        assert f"### `{rule.id}`" in text
