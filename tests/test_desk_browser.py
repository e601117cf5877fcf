"""The desk in a real Chromium (Playwright), offline and with the fake model server: the
journalist's whole loop, the conflict with a change made elsewhere, streamed rewrites,
the palmarès page with progress. The screenshots of docs/desk.md come from here."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("starlette")

from playwright.sync_api import expect

from conftest import EXAMPLES, fake_server_writer, run_cli
from desk_browser import RunningDesk, Screens, browser, chromium
from laureate_writer.operations import Context

NEW = "2020/brest-handibox.yaml"
NEW_AIM = "prêter aux organisateurs de festivals un kit d'accueil des personnes handicapées"


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    chromium()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "ws" / "2020")
    return tmp_path / "ws"


@pytest.fixture
def screens(tmp_path: Path) -> Screens:
    return Screens(tmp_path / "screens")


def _new_dossier_text() -> str:
    """Brest's facts as a second dossier, with a mistake: a negative count."""
    text = (EXAMPLES / "brest.yaml").read_text(encoding="utf-8")
    text = text.replace("id: brest", "id: brest-handibox", 1)
    assert "value: 10" in text
    return text.replace("value: 10", "value: -10")


def test_the_offline_loop(workspace: Path, screens: Screens) -> None:
    with RunningDesk(Context(workspace)) as desk, browser() as context:
        page = context.new_page()
        # --- the workspace -----------------------------------------------------------------
        page.goto(desk.url + "/")
        dossiers = page.locator("#dossiers")
        expect(dossiers).to_contain_text("2020/brest.yaml")
        expect(dossiers).to_contain_text("Ville de Brest")
        expect(page.locator("#editions")).to_contain_text("2020/palmares.yaml")
        expect(page.locator("#editions")).to_contain_text("6 lauréat(s), 0 article(s) rédigé(s)")
        screens.shoot(page, "espace")

        # --- a new dossier with a mistake: the inline error, then the fix in the form ------
        page.get_by_role("link", name="Nouveau dossier").first.click()
        expect(page.get_by_role("heading", name="Nouveau dossier")).to_be_visible()
        page.get_by_label("Fichier du dossier").fill(NEW)
        page.get_by_label("Source YAML").fill(_new_dossier_text())
        error = page.locator("#f-results-1-value-erreur")
        expect(error).to_be_visible()
        expect(error).to_contain_text("doit être ≥ 0 (trouvé : -10)")
        expect(page.locator("#problemes")).to_contain_text(
            f"{NEW}:52:12: results[1].value: doit être ≥ 0 (trouvé : -10)"
        )
        # gender and number left out: what drafting will infer is shown, and can be chosen
        expect(page.locator("#f-laureate-number option").first).to_have_text(
            re.compile("déduit : singular")
        )
        screens.shoot(page, "dossier", focus=error)
        value = page.locator("#f-results-1-value")
        expect(value).to_have_value("-10")
        value.fill("10")
        expect(page.locator("#problemes")).to_contain_text("Dossier valide")
        expect(error).to_be_hidden()
        expect(page.get_by_label("Source YAML")).to_have_value(re.compile(r"value: 10\n"))

        # --- draft -------------------------------------------------------------------------
        page.get_by_role("button", name="Rédiger").click()
        page.wait_for_url(re.compile(r"/article\?chemin=2020%2Fbrest-handibox\.md$"))
        saved = (workspace / NEW).read_text(encoding="utf-8")
        assert "value: 10\n" in saved and saved.startswith(
            "# yaml-language-server"
        )  # comments kept
        article_file = workspace / "2020" / "brest-handibox.md"
        assert article_file.is_file()
        expect(page.locator("#article h1")).to_be_visible()

        # --- a problem marked in place, fixed in one click -------------------------------
        context_section = page.locator("#s-context")
        context_section.get_by_role("button", name="Modifier : contexte").click()
        text_box = page.get_by_label("Texte : contexte")
        text_box.fill(text_box.input_value() + " Le kit s'emprunte auprès de la ville.")
        page.get_by_role("button", name="Enregistrer la section").click()
        mark = context_section.locator("mark")
        expect(mark).to_have_count(1)
        finding = context_section.locator(".remarque", has_text="Apostrophe droite")
        expect(finding).to_be_visible()
        assert "s'emprunte" in article_file.read_text(encoding="utf-8")
        screens.shoot(page, "article", focus=mark)
        finding.get_by_role("button", name=re.compile("^Corriger")).click()
        expect(context_section.locator("mark")).to_have_count(0)
        assert "s’emprunte" in article_file.read_text(encoding="utf-8")
        expect(context_section).to_contain_text("modifiée à la main")

        # --- the dossier changes; the chat rewrites the lead; the diff; accept ---------------
        page.goto(desk.url + f"/dossier?chemin={NEW}")
        page.get_by_label("À quoi il sert").fill(NEW_AIM)
        expect(page.get_by_label("Source YAML")).to_have_value(
            re.compile("prêter aux organisateurs")
        )
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("#alerte")).to_contain_text("Enregistré")
        page.goto(desk.url + "/article?chemin=2020/brest-handibox.md")
        expect(page.locator("#article-info")).to_contain_text("périmé")
        request = page.get_by_label("Votre demande")
        request.fill("Raccourcis le chapô")
        request.press("Control+Enter")  # from the keyboard
        proposal = page.locator("#fil li").last
        expect(proposal).to_contain_text("Proposition pour chapô")
        expect(proposal).to_contain_text("il faut un modèle")  # offline, said plainly
        expect(proposal.locator("ins").first).to_be_visible()
        expect(proposal.locator("del").first).to_be_visible()
        assert "prêter" in proposal.locator("ins").all_inner_texts()[0] + " ".join(
            proposal.locator("ins").all_inner_texts()
        )
        screens.shoot(page, "conversation", focus=proposal)
        assert "prêter aux organisateurs" not in article_file.read_text(encoding="utf-8")
        expect(proposal.get_by_role("button", name="Accepter")).to_be_focused()
        page.keyboard.press("Enter")
        expect(proposal).to_contain_text("Acceptée")
        on_disk = article_file.read_text(encoding="utf-8")
        lead = on_disk.split("<!-- lw:lead -->", 1)[1].split("<!-- lw:", 1)[0]
        assert "prêter aux organisateurs de festivals" in lead
        assert "s’emprunte" in on_disk  # the earlier fix is still there
        expect(page.locator("#s-lead")).to_contain_text("prêter aux organisateurs")

        # --- the palmarès page, offline ------------------------------------------------------
        page.goto(desk.url + "/palmares?chemin=2020/palmares.yaml")
        page.get_by_role("button", name="Construire la page").click()
        expect(page.locator("#progression-texte")).to_contain_text("Page construite")
        expect(page.frame_locator("#apercu").locator("#palmares")).to_be_visible()
        screens.shoot(page, "palmares", focus=page.locator("#progression"))

    assert len(screens.taken) == 10


def test_a_change_made_elsewhere_is_refused_and_nothing_is_lost(workspace: Path) -> None:
    ctx = Context(workspace)
    from laureate_writer.desk.service import Desk

    Desk(ctx).draft("2020/brest.yaml")
    article_file = workspace / "2020" / "brest.md"
    dossier = workspace / "2020" / "brest.yaml"
    with RunningDesk(ctx) as desk, browser() as context:
        page = context.new_page()
        page.goto(desk.url + "/article?chemin=2020/brest.md")
        dossier.write_text(
            dossier.read_text(encoding="utf-8").replace("faciliter l'accès", "ouvrir l'accès", 1),
            encoding="utf-8",
        )
        page.get_by_label("Votre demande").fill("/regen chapô")
        page.get_by_role("button", name="Envoyer").click()
        proposal = page.locator("#fil li").last
        expect(proposal.get_by_role("button", name="Accepter")).to_be_visible()
        # meanwhile, in a terminal: the same section is regenerated
        done = run_cli("regenerate", str(article_file), "--section", "lead", cwd=workspace)
        assert done.returncode == 0, done.stderr
        theirs = article_file.read_text(encoding="utf-8")
        proposal.get_by_role("button", name="Accepter").click()
        alert = page.locator("#alerte")
        expect(alert).to_contain_text("modifié ailleurs depuis l’ouverture de la page")
        expect(alert.get_by_role("button", name="Recharger")).to_be_visible()
        expect(proposal).not_to_contain_text("Acceptée")
        assert article_file.read_text(encoding="utf-8") == theirs  # nothing overwritten
        # the page's own proposal is still on screen, to copy or ask again after a reload
        expect(proposal.locator(".diff")).to_be_visible()
        alert.get_by_role("button", name="Recharger").click()
        expect(page.locator("#s-lead")).to_contain_text("ouvrir l’accès")


def test_a_model_rewrite_streams_into_the_page(workspace: Path, fake_openai) -> None:
    shorter = "La ville de Brest prête la Handibox, un kit d’accueil, depuis début 2019."
    fake_openai.latency = 0.05
    fake_openai.behave("chapô", {"text": shorter})
    writer = fake_server_writer(fake_openai, "openai:gpt-4.1-mini", max_retries=0)
    ctx = Context(workspace, writer=writer)
    from laureate_writer.desk.service import Desk

    Desk(Context(workspace)).draft("2020/brest.yaml")
    with RunningDesk(ctx) as desk, browser() as context:
        page = context.new_page()
        page.goto(desk.url + "/article?chemin=2020/brest.md")
        page.evaluate(
            """() => { window.deltas = 0; const O = window.EventSource;
            window.EventSource = function (url) { const s = new O(url);
              s.addEventListener("delta", () => { window.deltas += 1; }); return s; }; }"""
        )
        page.get_by_label("Votre demande").fill("Raccourcis le chapô")
        page.get_by_role("button", name="Envoyer").click()
        proposal = page.locator("#fil li").last
        expect(proposal).to_contain_text("Proposition pour chapô", timeout=30_000)
        assert page.evaluate("window.deltas") > 1  # the text came in pieces
        expect(proposal.locator("ins").first).to_be_visible()
        requests = [r for r in fake_openai.chat_requests if json.loads(r.body).get("stream")]
        assert requests, "the rewrite was not streamed"
        proposal.get_by_role("button", name="Accepter").click()
        expect(proposal).to_contain_text("Acceptée")
        lead = (workspace / "2020" / "brest.md").read_text(encoding="utf-8")
        assert shorter in lead.split("<!-- lw:lead -->", 1)[1].split("<!-- lw:", 1)[0]


def test_a_palmares_page_is_built_with_progress(workspace: Path, fake_openai) -> None:
    fake_openai.latency = 0.02
    writer = fake_server_writer(fake_openai, "openai:gpt-4.1-mini", max_retries=0)
    with RunningDesk(Context(workspace, writer=writer)) as desk, browser() as context:
        page = context.new_page()
        page.goto(desk.url + "/palmares?chemin=2020/palmares.yaml")
        page.evaluate(
            """() => { window.steps = []; const O = window.EventSource;
            window.EventSource = function (url) { const s = new O(url);
              s.addEventListener("progress", (e) => window.steps.push(JSON.parse(e.data).done));
              return s; }; }"""
        )
        page.get_by_role("button", name="Construire la page").click()
        expect(page.locator("#progression-texte")).to_contain_text(
            "Page construite", timeout=60_000
        )
        steps = page.evaluate("window.steps")
        assert len(steps) > 3 and steps == sorted(steps) and steps[-1] == 42
        frame = page.frame_locator("#apercu")
        expect(frame.locator("#palmares")).to_contain_text("Le palmarès 2020")
        with page.expect_download() as download:
            page.get_by_role("link", name="Exporter en Markdown").click()
        markdown = Path(download.value.path()).read_text(encoding="utf-8")
        assert markdown.startswith("# ") and "## Le palmarès 2020" in markdown
        assert download.value.suggested_filename == "palmares.md"
        with page.expect_download() as download:
            page.get_by_role("link", name="Exporter en HTML").click()
        assert "<!DOCTYPE html>" in Path(download.value.path()).read_text(encoding="utf-8")
