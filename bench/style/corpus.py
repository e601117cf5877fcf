"""Synthetic article corpus for the house-style benchmark.

Deterministic (seeded) articles in the laureate-writer Markdown format — front matter,
``<!-- lw:KIND -->`` markers, headline, lead, context, three body sections with
intertitles, caption — about invented local-authority projects. Roughly a third of the
typographic slots are written wrong on purpose (straight apostrophes, missing
non-breaking spaces, 3000, 21ème, coeur, 18h30, 63%, "quotes"...), and every article
carries things that must never be touched (URL, e-mail, phone number, postal code,
inline code), so the benchmark exercises both the findings and the protections.

    python bench/style/corpus.py OUT_DIR [--articles 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

COMMUNES = [
    ("Brest", "29200", "Finistère"),
    ("Quimper", "29000", "Finistère"),
    ("Montpellier", "34000", "Hérault"),
    ("Pau", "64000", "Pyrénées-Atlantiques"),
    ("Lille", "59000", "Nord"),
    ("Saint-Étienne", "42000", "Loire"),
    ("Aix-en-Provence", "13100", "Bouches-du-Rhône"),
    ("Villeneuve-d’Ascq", "59650", "Nord"),
    ("Foix", "09000", "Ariège"),
    ("Rennes", "35000", "Ille-et-Vilaine"),
]
PROJECTS = [
    ("Handibox", "un kit d’accueil des personnes handicapées"),
    ("Histologe", "une plateforme de signalement du mal-logement"),
    ("Qioz", "une plateforme d’apprentissage des langues"),
    ("Curious Lab", "un laboratoire d’idées avec les étudiants"),
    ("Répar’Café", "un atelier de réparation solidaire"),
    ("Cap Emploi", "un guichet unique pour l’emploi des jeunes"),
    ("Mobi’Bus", "un service de transport à la demande"),
    ("Jardins partagés", "un réseau de jardins partagés"),
]
PRIZES = ["Prix Coup de cœur", "Prix du Jury", "Prix GMF", "Prix La Gazette"]
APOS_WORDS = ["l’accueil", "d’habitants", "l’équipe", "qu’elle", "jusqu’à", "l’outil", "d’usagers"]


def _maybe(rng: random.Random, good: str, bad: str, p: float = 0.33) -> str:
    return bad if rng.random() < p else good


def _apos(rng: random.Random, text: str) -> str:
    return text.replace("’", "'") if rng.random() < 0.3 else text


def article(rng: random.Random, i: int) -> str:
    commune, postal, dept = rng.choice(COMMUNES)
    project, what = rng.choice(PROJECTS)
    prize = rng.choice(PRIZES)
    year = rng.choice([2019, 2020, 2021, 2022, 2023])
    users = rng.choice([1200, 3000, 12500, 160000, 48000, 891])
    pct = rng.randint(12, 95)
    budget = rng.choice([15000, 250000, 1200000, 45000])
    edition = rng.randint(2, 30)
    nb = "\u00a0"
    nn = "\u202f"

    def num(n: int) -> str:
        good = f"{n:,}".replace(",", nn)
        bad = rng.choice([str(n), f"{n:,}".replace(",", " ")])
        return _maybe(rng, good, bad) if n >= 1000 else str(n)

    colon = _maybe(rng, nb + ":", rng.choice([" :", ":"]))
    q = _maybe(rng, nb + "?", rng.choice([" ?", "?"]))
    g_open, g_close = (
        _maybe(rng, "«" + nb, rng.choice(["« ", "«"])),
        _maybe(rng, nb + "»", rng.choice([" »", "»"])),
    )
    ordinal = _maybe(rng, f"{edition}e", f"{edition}ème")
    coeur = _maybe(rng, "cœur", "coeur", 0.2)
    hours = _maybe(rng, f"8{nb}h à 18{nb}h{nb}30", "8h à 18h30")
    percent = _maybe(rng, f"{pct}{nb}%", rng.choice([f"{pct}%", f"{pct} %"]))
    euros = _maybe(rng, f"{num(budget)}{nb}€", f"{budget}€")
    quote = _maybe(rng, f"{g_open}guide pratique{g_close}", '"guide pratique"', 0.2)
    ellipsis = _maybe(rng, "…", "...", 0.2)
    apos_words = ", ".join(_apos(rng, w) for w in rng.sample(APOS_WORDS, 3))
    lines = [
        "---",
        f"dossier: dossiers/{i:04d}-{commune.lower()}.yaml",
        f"year: {year}",
        "writer: offline",
        f"hash: sha256:{rng.getrandbits(64):016x}",
        "---",
        "",
        "<!-- lw:prize_label -->",
        f"**{prize}{colon} Ville de {commune}**",
        "",
        "<!-- lw:headline -->",
        f"# Avec {project}, {commune} facilite la vie de ses habitants",
        "",
        "<!-- lw:lead -->",
        _apos(
            rng,
            f"**La ville de {commune} a lancé en {year} {project}, {what}, pour simplifier "
            f"l’accès de tous aux services publics et rapprocher l’administration des usagers.**",
        ),
        "",
        "<!-- lw:context -->",
        _apos(
            rng,
            f"À {commune} ({postal} {commune}), la question n’est pas nouvelle{colon} "
            f"{percent} des habitants interrogés déclaraient avoir renoncé à une démarche "
            f"faute d’accompagnement. La municipalité a donc imaginé {project}, {what}, "
            f"avec le soutien du conseil départemental du {dept}{ellipsis} Comment toucher "
            f"ceux qui ne viennent jamais en mairie{q}",
        ),
        "",
        "<!-- lw:method -->",
        "## Une démarche construite avec les usagers",
        "",
        _apos(
            rng,
            f"Les agents ont mené des ateliers avec {num(users)} usagers et les associations "
            f"du quartier. Un {quote} a été rédigé pour les agents d’accueil, et les "
            f"participants ont testé chaque étape du parcours, {apos_words}. Le code source "
            f"est publié (`git clone https://forge.example.org/{project.lower()}`).",
        ),
        "",
        "<!-- lw:details -->",
        "## Un service ouvert à tous",
        "",
        _apos(
            rng,
            f"Le service est ouvert du lundi au vendredi de {hours}, sur place ou au "
            f"05 34 140 140. Les habitants peuvent aussi écrire à contact@{commune.lower()}.fr "
            f"ou consulter https://www.{commune.lower()}.fr/{project.lower()}. Le budget "
            f"total atteint {euros}, dont la moitié financée par l’État.",
        ),
        "",
        "<!-- lw:results -->",
        "## Des résultats encourageants",
        "",
        _apos(
            rng,
            f"En un an, {num(users * 3)} démarches ont été accompagnées et le délai moyen est "
            f"passé de 12 à 4 jours. Pour la {ordinal} édition des Prix Territoriaux, le jury "
            f"a salué un projet qui a du {coeur}. Une extension est prévue en {year + 1}.",
        ),
        "",
        "<!-- lw:caption -->",
        f"*{project}, {what} de la ville de {commune}, a reçu le {prize} des Prix "
        f"Territoriaux {year}.*",
        "",
    ]
    return "\n".join(lines)


def write_corpus(out: Path, articles: int = 1000, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(articles):
        p = out / f"article-{i:04d}.md"
        p.write_text(article(rng, i), encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    paths = write_corpus(args.out, args.articles, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} articles, {size / 1e6:.2f} MB in {args.out}")


if __name__ == "__main__":
    main()
