"""Issue 14's schema additions: status, unknown prize, seasons, several dates, role and
co-builders, département/région, result kinds; gender and number inferred."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from laureate_writer.dossier import Dossier, FuzzyDate, ResultKind, Role, Status
from laureate_writer.french import Gender, GrammaticalNumber, NounPhrase, infer_grammar

BASE = {
    "id": "x",
    "award": {"name": "Trophées de l’innovation territoriale", "year": 2022, "edition": 3},
    "laureate": {"name": "Ville de X", "kind": "commune", "territory": "X",
                 "in_text": "la ville de X"},
    "project": {"name": "Repair café", "in_text": "le repair café",
                "what": {"text": "un atelier de réparation"}, "aim": "réparer"},
}  # fmt: skip


def dossier(**changes) -> Dossier:
    data = {**BASE, **changes}
    return Dossier.model_validate(data)


def test_defaults_keep_old_dossiers_meaning():
    d = dossier()
    assert d.status == Status.laureate and d.prize.name is None
    assert d.prize_name == "Trophées de l’innovation territoriale"
    assert d.laureate.role is None and d.project.co_builders == []


@pytest.mark.parametrize(
    ("text", "shown", "adverbial"),
    [
        ("été 2022", "été 2022", "à l’été 2022"),
        ("printemps 2021", "printemps 2021", "au printemps 2021"),
        ("fin 2021", "fin 2021", "fin 2021"),
        ("mi-2019", "mi-2019", "mi-2019"),
        ("avril 2019", "avril 2019", "en avril 2019"),
    ],
)
def test_vague_dates(text, shown, adverbial):
    date = FuzzyDate.model_validate(text)
    assert (str(date), date.adverbial()) == (shown, adverbial)


def test_an_invalid_date_lists_the_accepted_forms():
    with pytest.raises(ValidationError) as info:
        FuzzyDate.model_validate("l’an dernier")
    assert "été 2022" in str(info.value) and "fin 2021" in str(info.value)


def test_initiated_after_launch_is_refused():
    project = {**BASE["project"], "initiated": "fin 2021", "launch": "été 2021"}
    with pytest.raises(ValidationError, match="initiated"):
        dossier(project=project)


def test_co_built_needs_its_co_builders():
    laureate = {**BASE["laureate"], "role": "co-built"}
    with pytest.raises(ValidationError, match="co_builders"):
        dossier(laureate=laureate)
    project = {**BASE["project"], "co_builders": ["l’association Y"]}
    assert dossier(laureate=laureate, project=project).laureate.role == Role.co_built


def test_result_kind_and_status():
    d = dossier(status="nominee", results=[{"label": "bornes", "value": 26, "kind": "means"}])
    assert d.status == Status.nominee and d.results[0].kind == ResultKind.means


@pytest.mark.parametrize(
    ("text", "gender", "number"),
    [
        ("la ville de Brest", "f", "singular"),
        ("le CCAS de Montpellier", "m", "singular"),
        ("l’agglomération du Pays basque", "f", "singular"),
        ("l’hôpital", "m", "singular"),
        ("une plateforme de covoiturage", "f", "singular"),
        ("les tiers-lieux", "m", "plural"),
        ("la plateforme", "f", "singular"),
    ],
)
def test_gender_and_number_inferred_from_article_and_lexicon(text, gender, number):
    inferred = infer_grammar(text)
    assert (inferred.gender.value, inferred.number.value) == (gender, number), inferred.source


def test_a_stated_gender_overrides_the_inference():
    from laureate_writer.dossier import Named

    phrase = NounPhrase.of(Named(in_text="l’Ariège", gender="f"))
    assert phrase.gender == Gender.feminine and phrase.number == GrammaticalNumber.singular
    assert phrase.de == "de l’Ariège"


def test_a_paraphrase_between_guillemets_is_an_unsupported_quote():
    from laureate_writer.facts import check_text

    quote = {"speaker": "Jo Spiegel", "role": "maire",
             "text": "On avance ensemble, pas à pas, avec les habitants."}  # fmt: skip
    verbatim = dossier(quotes=[quote])
    paraphrase = dossier(quotes=[{**quote, "kind": "paraphrase"}])
    assert verbatim.quotes[0].verbatim and not paraphrase.quotes[0].verbatim
    text = "«\u00a0On avance ensemble, pas à pas, avec les habitants\u00a0», dit Jo Spiegel."
    assert check_text(text, verbatim) == []
    assert [v.rule for v in check_text(text, paraphrase)] == ["unsupported-quote"]
    project = {**BASE["project"], "name": "Mené, territoire à énergie positive"}
    name = "La ville a créé «\u00a0Mené, territoire à énergie positive\u00a0»."
    assert check_text(name, dossier(project=project)) == []  # a name between guillemets


def test_targets_and_quote_kinds_are_additive():
    d = dossier(results=[{"label": "objectifs", "value": 38, "kind": "target"}],
                quotes=[{"speaker": "A", "role": "maire", "text": "Oui."}])  # fmt: skip
    assert d.results[0].kind == ResultKind.target and d.quotes[0].kind.value == "verbatim"
    with pytest.raises(ValidationError):
        dossier(quotes=[{"speaker": "A", "role": "maire", "text": "Oui.", "kind": "memory"}])


def test_a_qualifier_after_an_elided_de_is_read():
    from laureate_writer.facts import check_text

    d = dossier(results=[{"label": "professionnels", "value": 120, "qualifier": "environ"}])
    assert check_text("Le village dispose d’environ 120 professionnels.", d) == []
    assert check_text("Le village dispose de 120 professionnels.", d) != []  # nuance lost
