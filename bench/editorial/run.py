"""Editorial bench of the offline writer: drafts the 2020 examples and the development set
(examples/dev) and measures what a desk editor would flag.

Per entry and in total: crashes; Grammalecte grammar errors per 1 000 words (typography
excluded); 4-word sequences used 3+ times in an entry; sentences of an entry sharing
their opening (first two words); entries of a page sharing a headline pattern or a lead
ending; lead and caption lengths in words; entry length against the reference page's
370–440 words; distortions (status and role verbs against the dossier and its dated
steps, co-builders missing from lead or caption, means or targets presented as results,
results intertitles without an outcome, paraphrases printed as direct quotes, past
events presented as outlook, the project's name missing, slot labels asserting what a
note is when the dossier does not say).

Usage: python bench/editorial/run.py [--set dev|2020|all] [--layout NAME] [--no-grammar]
       [--json FILE] [--export FILE]
``--export FILE`` writes every drafted entry as the page shows it (prize label line,
headline, lead, sections, caption), each after a ``<!-- id -->`` comment: the file to
hand an editor.
Targets on the dev set: 0 crashes, 0 grammar errors, 0 distortions, no 4-gram 3 times
in an entry, leads ≤ 40 words.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETS = {"2020": ROOT / "examples" / "2020", "dev": ROOT / "examples" / "dev"}
ENTRY_WORDS = (370, 440)  # the reference page's entries
LEAD_MAX = 40
TYPOGRAPHY = {"apos", "nbsp", "esp", "unit", "typo", "num", "notype", "maj", "tu"}
WORD = re.compile(r"[\w’'-]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«A-ZÀÂÉÈÊÎÔÛÇ0-9])")
WIN_VERBS = re.compile(
    r"\b(a|ont) (reçu|remporté|obtenu|décroché)\b(?! une mention)|\blauréat", re.I
)
NOMINEE_WORDS = re.compile(r"\bnommée?s? (pour|au|aux)\b|\bfinaliste|\bsélectionnée?s? ", re.I)
CREATION_VERBS = re.compile(r"\b(a|ont) (créé|inventé|imaginé|conçu)e?s?\b", re.I)
# The laureate did not start what it adopted or extended: no active 'a lancé'.
LAUNCH_VERBS = re.compile(r"\b(a|ont) (lancé|fondé)e?s?\b", re.I)
ADOPTION_WORDS = re.compile(r"\b(a|ont) adoptée?s?\b|\badoptée?s? par\b", re.I)
QUOTATION = re.compile(r"«[\s\u00a0\u202f]*(?P<q>[^«»]+?)[\s\u00a0\u202f]*»")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Future tense (3rd person): regular endings and the common irregular stems.
FUTURE = re.compile(  # lower case: a capitalised word ending so is a name ('Terra')
    r"\b(?!(?:opéra|caméra|choléra|extra|ultra)s?\b)"
    r"[a-zàâçéèêëîïôûù]{2,}(?:era|eront|ira|iront|dra|dront|rra|rront)\b"
    r"|\b(?:sera|seront|aura|auront|fera|feront|ira|iront|pourra|pourront|devra|devront)\b"
)
OUTLOOK_FRAMES = re.compile(
    r"\bla suite\b|\bperspectives?\b|\bet ensuite\b|\bà venir\b|\bprochaine étape|"
    r"\bà l['’]avenir\b|\bdésormais prévu",
    re.I,
)
OUTLOOK_TITLES = re.compile(r"perspectives|et ensuite|et après|à suivre|la suite", re.I)
# Titles and words that claim a change for people: only over an outcome.
RESULT_TITLES = re.compile(r"^(premiers résultats|le bilan|ce que le projet change|les résultats"
                           r"|ce que ça change|les effets)", re.I)  # fmt: skip
BILAN = re.compile(r"\bbilan\b", re.I)
# Words that name an objective: a figure counting them is a target, never a result.
OBJECTIVE_WORDS = re.compile(r"^(objectifs?|ambitions?|cibles?|engagements? à tenir)\b", re.I)
# Frames that say what kind of thing a note is (an observation, a principle, a choice):
# the schema does not declare it, so the writer cannot know.
SLOT_LABELS = re.compile(
    r"d['’]un constat|de (?:plusieurs|quelques) constats|\b(?:un|plusieurs) choix\s*:"
    r"|\b(?:un|quelques|plusieurs) principes?\s*:",
    re.I,
)
STEP_TITLES = re.compile(r"^les étapes", re.I)


@dataclass
class Entry:
    name: str
    crash: str | None = None
    sections: dict[str, str] = field(default_factory=dict)
    words: int = 0
    lead_words: int = 0
    caption_words: int = 0
    repeated_4grams: list[str] = field(default_factory=list)
    shared_openings: list[str] = field(default_factory=list)
    grammar: list[str] = field(default_factory=list)
    distortions: list[str] = field(default_factory=list)
    headline_pattern: str = ""
    lead_ending: str = ""
    article: object = None  # the drafted Article, for --export
    titled: set[str] = field(default_factory=set)  # sections whose text opens on a title


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    return [s for p in text.split("\n\n") for s in SENTENCE_END.split(p.strip()) if s]


def draft(path: Path, layout: str | None) -> Entry:
    from laureate_writer import api

    entry = Entry(path.stem)
    try:
        article = api.draft(path, writer=api.make_writer(None, layout=layout))
    except Exception:  # a crash is what this bench counts
        entry.crash = traceback.format_exc(limit=1).strip().splitlines()[-1]
        return entry
    return fill(entry, article)


def fill(entry: Entry, article) -> Entry:
    """The entry's sections from a drafted article: 'intertitle\n\ntext' when titled."""
    entry.article = article
    for section in article.sections:
        text = section.text
        if section.intertitle:
            text = f"{section.intertitle}\n\n{text}"
            entry.titled.add(section.kind.value)
        entry.sections[section.kind.value] = text
    return entry


def measure(entry: Entry, dossier) -> None:
    body = [t for k, t in entry.sections.items() if k != "prize_label"]
    all_text = "\n\n".join(body)
    entry.words = len(words(all_text))
    entry.lead_words = len(words(entry.sections.get("lead", "")))
    entry.caption_words = len(words(entry.sections.get("caption", "")))
    tokens = [w.lower() for w in words(all_text)]
    grams = Counter(" ".join(tokens[i : i + 4]) for i in range(len(tokens) - 3))
    entry.repeated_4grams = [g for g, n in grams.items() if n >= 3]
    openings = Counter(
        " ".join(w.lower() for w in words(s)[:2]) for t in body for s in sentences(t)
    )
    entry.shared_openings = [o for o, n in openings.items() if n >= 2 and o]
    entry.headline_pattern = pattern(entry.sections.get("headline", ""), dossier)
    lead = sentences(entry.sections.get("lead", ""))
    entry.lead_ending = pattern(lead[-1], dossier, keep=3) if len(lead) > 1 else ""
    entry.distortions = distortions(entry, dossier)


def pattern(text: str, dossier, keep: int | None = None) -> str:
    """The words a template chose, with the dossier's own words masked: 'X : N Y'."""
    known = set()
    for value in (
        dossier.project.name,
        dossier.project.in_text,
        dossier.project.what.text,
        dossier.laureate.in_text,
        dossier.laureate.territory,
        dossier.laureate.name,
        *(r.label for r in dossier.results),
    ):
        known.update(w.lower() for w in words(value))
    out: list[str] = []
    for token in re.findall(r"[\w’'-]+|[:,]", text):
        masked = "_" if token.lower() in known or token[0].isdigit() else token.lower()
        if not (masked == "_" and out and out[-1] == "_"):
            out.append(masked)
    return " ".join(out[:keep] if keep else out)


def fold(text: str) -> str:
    """Text modulo typography, for finding the dossier's words in a draft."""
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text.replace("«", "").replace("»", "")).strip(" .").lower()


def dossier_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in dossier_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in dossier_strings(v)]
    return []


def figure_of(result) -> str:
    """'38 objectifs', 'trois postes': the figure as the writer prints it, folded."""
    from laureate_writer import french

    amount = french.format_figure(result.value, result.unit, words_below=10)
    return fold(f"{amount} {result.label}")


def has_outcome(dossier) -> bool:
    return bool(dossier.results_notes) or any(r.kind.value == "outcome" for r in dossier.results)


def distortions(entry: Entry, dossier) -> list[str]:
    found = []
    text = "\n\n".join(entry.sections.values())
    found += quote_distortions(text, dossier)
    found += outlook_distortions(entry, dossier)
    found += result_distortions(entry, dossier)
    found += name_distortions(entry, dossier)
    found += label_distortions(entry)
    status = dossier.status.value
    if status != "laureate" and WIN_VERBS.search(text):
        found.append(f"{status} written as a winner: {WIN_VERBS.search(text).group(0)!r}")
    if status == "laureate" and NOMINEE_WORDS.search(text):
        found.append(f"laureate written as a nominee: {NOMINEE_WORDS.search(text).group(0)!r}")
    role = dossier.laureate.role.value if dossier.laureate.role else None
    if role in ("adopted", "deployed", "extended") and CREATION_VERBS.search(text):
        found.append(f"role {role} written as creation: {CREATION_VERBS.search(text).group(0)!r}")
    if role in ("adopted", "extended") and LAUNCH_VERBS.search(text):
        found.append(f"role {role} written as a launch: {LAUNCH_VERBS.search(text).group(0)!r}")
    if role != "adopted" and ADOPTION_WORDS.search(text):
        found.append(f"role {role} written as adoption: {ADOPTION_WORDS.search(text).group(0)!r}")
    for who in dossier.project.co_builders:
        for kind in ("lead", "caption"):
            if who.replace("'", "’").lower() not in entry.sections.get(kind, "").lower():
                found.append(f"co-builder {who!r} missing from the {kind}")
    results = entry.sections.get("results", "")
    for result in dossier.results:
        if result.kind.value == "means" and result.label.replace("'", "’") in results:
            found.append(f"means presented as a result: {result.label!r}")
    return found


def quote_distortions(text: str, dossier) -> list[str]:
    """Between « » only a verbatim quote of the dossier or a name it holds."""
    found = []
    paraphrases = {fold(q.text) for q in dossier.quotes if q.kind.value == "paraphrase"}
    verbatim = [fold(q.text) for q in dossier.quotes if q.kind.value == "verbatim"]
    names = [fold(s) for s in dossier_strings(dossier.model_dump(mode="json", exclude={"quotes"}))]
    for match in QUOTATION.finditer(text):
        inner = fold(match["q"])
        if inner in paraphrases or any(inner and inner in p for p in paraphrases):
            found.append(f"paraphrase printed as a direct quote: «{match['q'][:50]}»")
        elif not any(inner in v for v in verbatim) and not any(inner in n for n in names):
            found.append(f"quotation not in the dossier: «{match['q'][:50]}»")
    return found


def outlook_distortions(entry: Entry, dossier) -> list[str]:
    """A future tense on a year already reached, an outlook frame on a past year."""
    found = []
    year = dossier.award.year
    for kind, section in entry.sections.items():
        if kind in ("prize_label", "caption"):
            continue
        title, body = section.partition("\n\n")[::2] if kind in entry.titled else ("", section)
        outlook_section = bool(title) and bool(OUTLOOK_TITLES.search(title))
        for s in sentences(body):
            years = [int(y) for y in YEAR.findall(s)]
            if not years:
                continue
            future = FUTURE.search(s)
            if future and min(years) <= year:
                found.append(
                    f"future tense on a year already reached ({min(years)}): {future.group(0)!r}"
                )
            elif (outlook_section or OUTLOOK_FRAMES.search(s)) and max(years) < year:
                found.append(f"past event ({max(years)}) presented as outlook: {s[:60]!r}")
    return found


def result_distortions(entry: Entry, dossier) -> list[str]:
    """Targets and means are not results; a results title or a 'bilan' needs an outcome."""
    found = []
    shown = "\n\n".join(entry.sections.get(k, "") for k in ("headline", "lead", "results"))
    for result in dossier.results:
        if result.kind.value == "target" and figure_of(result) in fold(shown):
            found.append(f"target presented as a result: {result.label!r}")
        if result.kind.value in ("outcome", "output") and OBJECTIVE_WORDS.match(result.label):
            found.append(f"objectives counted as a result (kind: target): {result.label!r}")
    if not has_outcome(dossier):
        title = entry.sections.get("results", "").partition("\n\n")[0]
        if "results" in entry.titled and RESULT_TITLES.match(title):
            found.append(f"results intertitle without an outcome: {title!r}")
        body = "\n\n".join(t for k, t in entry.sections.items() if k != "caption")
        if match := BILAN.search(body):
            found.append(f"results claimed without an outcome: {match.group(0)!r}")
    return found


def name_distortions(entry: Entry, dossier) -> list[str]:
    """The project's name in the lead or the first paragraph after it, and the caption."""
    name = fold(dossier.project.name)
    found = []
    opening = entry.sections.get("lead", "")
    body = [k for k in entry.sections if k not in ("prize_label", "headline", "lead", "caption")]
    if body:
        paragraphs = entry.sections[body[0]].split("\n\n")
        opening += " " + paragraphs[1 if body[0] in entry.titled and len(paragraphs) > 1 else 0]
    if name not in fold(opening):
        found.append(
            f"project name {dossier.project.name!r} missing from the lead and first paragraph"
        )
    if name not in fold(entry.sections.get("caption", "")):
        found.append(f"project name {dossier.project.name!r} missing from the caption")
    return found


def label_distortions(entry: Entry) -> list[str]:
    """Frames and intertitles that say what a note is when the dossier cannot say."""
    found = []
    for kind, section in entry.sections.items():
        if match := SLOT_LABELS.search(section):
            found.append(f"slot label the dossier does not declare: {match.group(0)!r}")
        if kind not in entry.titled:
            continue
        title, _, body = section.partition("\n\n")
        if STEP_TITLES.match(title) and not YEAR.search(body):
            found.append(f"intertitle {title!r} over a section with no dated step")
    return found


def grammar(entries: list[Entry]) -> bool:
    exe = shutil.which("grammalecte-cli")
    if exe is None:
        return False
    paragraphs: list[tuple[Entry, str]] = []
    for entry in entries:
        for kind, text in entry.sections.items():
            if kind != "prize_label":
                paragraphs += [(entry, p) for p in text.split("\n\n") if p.strip()]
    if not paragraphs:  # every entry crashed: nothing to check, and grammalecte says nothing
        return True
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write("\n".join(p.replace("\n", " ") for _, p in paragraphs) + "\n")
    out = subprocess.run([exe, "-f", f.name, "-j"], capture_output=True, text=True, timeout=600)
    Path(f.name).unlink()
    for para in json.loads(out.stdout)["data"]:
        entry, text = paragraphs[para["iParagraph"] - 1]
        for error in para["lGrammarErrors"]:
            if error["sType"] in TYPOGRAPHY:
                continue
            entry.grammar.append(f"{text[error['nStart'] : error['nEnd']]!r} ({error['sRuleId']})")
    return True


def report(name: str, entries: list[Entry], checked_grammar: bool) -> dict:
    print(f"\n## {name}: {len(entries)} entries\n")
    columns = ["entry", "crash", "words", "in 370–440", "lead", "caption", "gram/1000", "4g×3",
               "same opening", "distortions"]  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    total_words = sum(e.words for e in entries)
    for e in entries:
        if e.crash:
            print(f"| {e.name} | {e.crash[:60]} | | | | | | | | |")
            continue
        per_k = 1000 * len(e.grammar) / e.words if e.words else 0
        inside = "yes" if ENTRY_WORDS[0] <= e.words <= ENTRY_WORDS[1] else "no"
        print(
            f"| {e.name} | 0 | {e.words} | {inside} | {e.lead_words} | {e.caption_words} | "
            f"{per_k:.1f} | {len(e.repeated_4grams)} | {len(e.shared_openings)} | "
            f"{len(e.distortions)} |"
        )
    ok = [e for e in entries if not e.crash]
    headlines = Counter(e.headline_pattern for e in ok)
    endings = Counter(e.lead_ending for e in ok if e.lead_ending)
    shared_headlines = sum(n for n in headlines.values() if n > 1)
    shared_endings = sum(n for n in endings.values() if n > 1)
    grammar_errors = sum(len(e.grammar) for e in ok)
    totals = {
        "entries": len(entries),
        "crashes": sum(1 for e in entries if e.crash),
        "grammar_errors": grammar_errors if checked_grammar else None,
        "grammar_per_1000_words": round(1000 * grammar_errors / total_words, 2)
        if checked_grammar and total_words
        else None,
        "entries_with_4gram_x3": sum(1 for e in ok if e.repeated_4grams),
        "sentences_sharing_an_opening": sum(len(e.shared_openings) for e in ok),
        "entries_sharing_a_headline_pattern": shared_headlines,
        "entries_sharing_a_lead_ending": shared_endings,
        "leads_over_40_words": sum(1 for e in ok if e.lead_words > LEAD_MAX),
        "max_lead_words": max((e.lead_words for e in ok), default=0),
        "entries_in_370_440": sum(1 for e in ok if ENTRY_WORDS[0] <= e.words <= ENTRY_WORDS[1]),
        "mean_words": round(total_words / len(ok)) if ok else 0,
        "distortions": sum(len(e.distortions) for e in ok),
    }
    print("\nTotals: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    for e in ok:
        for item in e.grammar:
            print(f"  grammar {e.name}: {item}")
        for item in e.distortions:
            print(f"  distortion {e.name}: {item}")
        for item in e.repeated_4grams:
            print(f"  4-gram×3 {e.name}: {item}")
    for pat, n in headlines.items():
        if n > 1:
            print(f"  headline pattern ×{n}: {pat}")
    for pat, n in endings.items():
        if n > 1:
            print(f"  lead ending ×{n}: {pat}")
    return totals


def export(entry: Entry) -> str:
    """One entry as the page shows it: the prize label line, then the article's body."""
    from laureate_writer.article import SectionKind
    from laureate_writer.palmares import article_body_markdown

    if entry.crash:
        return f"<!-- {entry.name} -->\n\n(crash: {entry.crash})"
    label = entry.article.text_of(SectionKind.prize_label)
    body = article_body_markdown(entry.article, level=4)
    return f"<!-- {entry.name} -->\n\n### {label}\n\n{body}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=["dev", "2020", "all"], default="all")
    parser.add_argument("--layout", default=None)
    parser.add_argument("--no-grammar", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the totals here")
    parser.add_argument(
        "--export", type=Path, help="write the drafts as the page shows them, for an editor"
    )
    options = parser.parse_args()
    from laureate_writer.dossier import Dossier
    from laureate_writer.loading import load

    names = ["2020", "dev"] if options.set == "all" else [options.set]
    all_totals = {}
    exported: list[str] = []
    for name in names:
        paths = sorted(p for p in SETS[name].glob("*.yaml") if p.name != "palmares.yaml")
        entries = []
        for path in paths:
            entry = draft(path, options.layout)
            if not entry.crash:
                measure(entry, load(Dossier, path))
            entries.append(entry)
        checked = False if options.no_grammar else grammar([e for e in entries if not e.crash])
        if not checked and not options.no_grammar:
            print("(grammalecte-cli not found: grammar not checked)", file=sys.stderr)
        all_totals[name] = report(name, entries, checked)
        exported += [export(e) for e in entries]
    if options.export:
        header = f"# Offline drafts ({', '.join(names)}; layout {options.layout or 'default'})"
        options.export.write_text("\n\n---\n\n".join([header, *exported]) + "\n", "utf-8")
    if options.json:
        options.json.write_text(json.dumps(all_totals, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
