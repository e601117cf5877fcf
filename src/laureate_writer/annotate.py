"""What the offline writer infers from a dossier, for the journalist to check
(``laureate-writer dossier annotate FILE``), and a commented dossier skeleton
(``laureate-writer dossier new``).

Gender and number of every name come from its article or the lexicon unless the dossier
states them; each note is a sentence (kept as written) or a fragment (gathered into a
sentence by the planner). Showing both lets a journalist override only what is wrong.
"""

from __future__ import annotations

from importlib import resources

from laureate_writer.dossier import Dossier, Named, Phrase


def _names(dossier: Dossier) -> list[tuple[str, Named | Phrase]]:
    found: list[tuple[str, Named | Phrase | None]] = [
        ("award.short", dossier.award.short),
        ("laureate", dossier.laureate),
        ("laureate.short", dossier.laureate.short),
        ("project", dossier.project),
        ("project.short", dossier.project.short),
        ("project.what", dossier.project.what),
    ]
    return [(path, named) for path, named in found if named is not None]


def annotate(dossier: Dossier) -> list[str]:
    """One line per inferred or stated grammar fact and per note's form."""
    from laureate_writer.french import infer_grammar
    from laureate_writer.writers.planner import dated_before, is_clause

    lines = []
    for path, named in _names(dossier):
        text = named.text if isinstance(named, Phrase) else named.in_text
        inferred = infer_grammar(text)
        gender = named.gender.value if named.gender else inferred.gender.value
        number = named.number.value if named.number else inferred.number.value
        how = "stated" if named.gender and named.number else f"inferred ({inferred.source})"
        if named.gender and not named.number:
            how = f"gender stated, number inferred ({inferred.source})"
        elif named.number and not named.gender:
            how = f"number stated, gender inferred ({inferred.source})"
        lines.append(f"{path}: « {text} » — {gender}, {number} — {how}")
    project = dossier.project
    for field, notes in (
        ("project.context", project.context),
        ("project.method", project.method),
        ("project.details", project.details),
        ("results_notes", dossier.results_notes),
        ("outlook", dossier.outlook),
    ):
        for index, note in enumerate(notes):
            form = "sentence, kept as written" if is_clause(note) else "fragment, gathered"
            if field == "outlook" and dated_before(note, dossier.award.year):
                form += f", dated before {dossier.award.year}: told as history, not outlook"
            lines.append(f"{field}[{index}]: {form}: {note}")
    for index, quote in enumerate(dossier.quotes):
        how = "between « »" if quote.verbatim else "as reported speech, never between « »"
        lines.append(f"quotes[{index}]: {quote.kind.value}, written {how}: {quote.speaker}")
    role = dossier.laureate.role.value if dossier.laureate.role else "unstated (neutral verb)"
    lines.append(f"status: {dossier.status.value}; laureate.role: {role}")
    return lines


def skeleton() -> str:
    """A commented dossier to fill in."""
    source = resources.files("laureate_writer") / "data" / "dossier-skeleton.yaml"
    return source.read_text(encoding="utf-8")
