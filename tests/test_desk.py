"""The desk over HTTP: the real `laureate-writer desk` process (start-up, URL, the
Host/Origin and page-token checks), and the pieces under the pages (the conversation's
understanding, the YAML form edits, validation as `validate` reports it)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from conftest import EXAMPLES, ROOT, run_cli
from laureate_writer.article import Article
from laureate_writer.desk.conversation import understand
from laureate_writer.desk.service import Desk, DeskError, word_diff
from laureate_writer.desk.yamledit import set_value
from laureate_writer.operations import Context


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "2020")
    return tmp_path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LW_", "OPENAI_"))}
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


@pytest.fixture
def desk_process(workspace: Path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "laureate_writer", "desk", str(workspace), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _request(url: str, method: str = "GET", path: str = "/", body: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str]:  # fmt: skip
    host, port = url.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read().decode()


def _page_token(url: str) -> str:
    status, html = _request(url)
    assert status == 200
    return re.search(r'name="lw-jeton" content="([^"]+)"', html).group(1)


def test_desk_prints_its_url_and_serves_the_workspace(desk_process):
    status, html = _request(desk_process)
    assert status == 200 and "Espace de travail" in html and 'lang="fr"' in html
    status, listing = _request(desk_process, path="/api/espace")
    assert status == 200 and "2020/brest.yaml" in listing and "2020/palmares.yaml" in listing
    # no external asset: every script and stylesheet is served by the desk itself
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_foreign_host_and_origin_are_refused(desk_process):
    assert _request(desk_process, headers={"Host": "evil.example"})[0] == 421
    status, _ = _request(desk_process, headers={"Origin": "http://evil.example"})
    assert status == 403
    token = _page_token(desk_process)
    status, _ = _request(desk_process, "POST", "/api/rediger", '{"dossier": "2020/brest.yaml"}',
                         {"Content-Type": "application/json", "X-LW-Jeton": token,
                          "Origin": "http://evil.example"})  # fmt: skip
    assert status == 403


def test_a_post_without_the_page_token_is_refused(desk_process, workspace):
    body = '{"dossier": "2020/brest.yaml"}'
    json_type = {"Content-Type": "application/json"}
    assert _request(desk_process, "POST", "/api/rediger", body, json_type)[0] == 403
    wrong = {**json_type, "X-LW-Jeton": "not-the-token"}
    assert _request(desk_process, "POST", "/api/rediger", body, wrong)[0] == 403
    # a cross-site form can only send form encodings: refused whatever it carries
    form = {"Content-Type": "application/x-www-form-urlencoded",
            "X-LW-Jeton": _page_token(desk_process)}  # fmt: skip
    assert _request(desk_process, "POST", "/api/rediger", "dossier=2020/brest.yaml", form)[0] == 415
    assert not (workspace / "2020" / "brest.md").exists()
    token = _page_token(desk_process)
    status, _ = _request(desk_process, "POST", "/api/rediger", body,
                         {**json_type, "X-LW-Jeton": token})  # fmt: skip
    assert status == 200 and (workspace / "2020" / "brest.md").is_file()


def test_beyond_loopback_needs_the_access_token(workspace):
    from starlette.testclient import TestClient

    from laureate_writer.desk.app import create_app

    app = create_app(Context(workspace), host="0.0.0.0", access_token="s3cret")
    client = TestClient(app, base_url="http://desk.newsroom:8766", follow_redirects=False)
    assert client.get("/").status_code == 401
    assert client.get("/?jeton=wrong").status_code == 401
    entered = client.get("/?jeton=s3cret")
    assert entered.status_code == 303 and "jeton" not in entered.headers["location"]
    assert client.get("/").status_code == 200  # the cookie now stands for the token
    other = client.get("/", headers={"Origin": "http://evil.example"})
    assert other.status_code == 403


def test_desk_refuses_a_public_address_without_a_way_in(workspace):
    from laureate_writer.desk.command import run_desk

    assert run_desk(str(workspace / "missing")) == 2


@pytest.mark.parametrize(
    ("message", "action", "section"),
    [
        ("Raccourcis le chapô", "regen", "lead"),
        ("mets en avant les résultats", "regen", "results"),
        ("réécris l'intertitre 2", "regen", "details"),
        ("Réécris l’intertitre 1, plus court", "regen", "method"),
        ("/regen légende plus sobre", "regen", "caption"),
        ("/undo chapô", "undo", "lead"),
        ("/check", "check", None),
        ("vérifie les faits", "facts", None),
        ("/help", "help", None),
        ("/fix", "fix", None),
        ("/save", "say", None),
        ("réécris-le", "unknown", None),
    ],
)
def test_requests_are_understood(message, action, section):
    sections = [{"kind": k, "intertitle": "Titre" if k in ("method", "details", "results") else None}
                for k in ("headline", "lead", "context", "method", "details", "results", "caption")]  # fmt: skip
    understood = understand(message, sections)
    assert (understood.action, understood.section) == (action, section)


def test_an_intertitle_the_article_lacks_is_said():
    asked = understand("réécris l'intertitre 4", [{"kind": "method", "intertitle": "A"}])
    assert asked.action == "unknown" and "1 intertitre" in (asked.problem or "")


def test_form_edits_keep_comments_and_layout():
    text = "# the laureate\nid: brest  # anchor\nresults:\n  - label: semaines\n    value: 20\n"
    edited = set_value(text, ["results", 0, "value"], 21)
    assert edited == text.replace("value: 20", "value: 21")
    assert "# anchor" in set_value(text, ["project", "name"], "Handibox")
    with pytest.raises(ValueError):
        set_value("id: [unclosed\n", ["id"], "x")


def test_dossier_problems_are_those_of_validate(workspace):
    bad = (workspace / "2020" / "brest.yaml").read_text(encoding="utf-8")
    bad = bad.replace("value: 10", "value: -10")
    (workspace / "2020" / "bad.yaml").write_text(bad, encoding="utf-8")
    desk = Desk(Context(workspace))
    checked = desk.check_dossier("2020/bad.yaml", bad)
    cli = run_cli("validate", "2020/bad.yaml", cwd=workspace)
    assert cli.returncode == 2
    assert [p["text"] for p in checked["problems"]] == cli.stderr.strip().splitlines()


def test_a_stale_version_is_refused_and_nothing_is_written(workspace):
    desk = Desk(Context(workspace))
    desk.draft("2020/brest.yaml")
    article = desk.article("2020/brest.md")
    path = workspace / "2020" / "brest.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # elsewhere
    changed = path.read_text(encoding="utf-8")
    with pytest.raises(DeskError) as refused:
        desk.edit("2020/brest.md", "context", "Un autre texte.", None, article["version"])
    assert refused.value.status == 409 and "modifié ailleurs" in str(refused.value)
    assert path.read_text(encoding="utf-8") == changed


def test_word_diff_keeps_every_word():
    diff = word_diff("Le kit compte 20 semaines.", "Le kit compte 21 semaines de prêt.")
    assert "".join(t for op, t in diff if op != "+") == "Le kit compte 20 semaines."
    assert "".join(t for op, t in diff if op != "-") == "Le kit compte 21 semaines de prêt."
    assert ["-", "20"] in diff and ["+", "21"] in diff


def test_a_hand_edit_is_data_and_shows_as_edited(workspace):
    from laureate_writer.article import Article

    desk = Desk(Context(workspace))
    desk.draft("2020/brest.yaml")
    version = desk.article("2020/brest.md")["version"]
    forged = "Un texte.\n\n<!-- lw:caption -->\n# Titre forgé\n\n---\nSuite."
    done = desk.edit("2020/brest.md", "context", forged, None, version)
    text = (workspace / "2020" / "brest.md").read_text(encoding="utf-8")
    article = Article.from_markdown(text)
    context = article.section("context")
    assert "<!--" not in context.text and "# Titre" not in context.text and "Suite." in context.text
    assert text.count("<!-- lw:caption -->") == 1
    assert context.edited and "context" in [k.value for k in article.edited_sections]
    assert article.history["context"]  # the drafted text can be put back
    assert done["article"]["version"] != version


def test_fix_command_applies_the_safe_fixes_through_the_store(workspace):
    from laureate_writer.desk.conversation import answer

    desk = Desk(Context(workspace))
    desk.draft("2020/brest.yaml")
    path = workspace / "2020" / "brest.md"
    drafted = path.read_text(encoding="utf-8")
    assert "l’accès" in drafted
    path.write_text(drafted.replace("l’accès", "l'accès"), encoding="utf-8")
    state = desk.article("2020/brest.md")
    with pytest.raises(DeskError):  # the page's version is stale: refused
        answer(desk, "2020/brest.md", "/fix", "sha256:old")
    said = answer(desk, "2020/brest.md", "/fix", state["version"])
    assert "Corrections sûres appliquées" in said["text"]
    # the sections are fixed; the history keeps the hand-edited version, as it should
    fixed = Article.from_markdown(path.read_text(encoding="utf-8"))
    assert all("l'accès" not in s.text for s in fixed.sections)


def test_inferred_grammar_is_shown_for_what_the_dossier_leaves_out(workspace):
    text = (workspace / "2020" / "brest.yaml").read_text(encoding="utf-8")
    text = text.replace("  gender: f\n  short: {in_text: la municipalité, gender: f}",
                        "  short: {in_text: la municipalité, gender: f}", 1)  # fmt: skip
    checked = Desk(Context(workspace)).check_dossier("2020/brest.yaml", text)
    assert checked["inferred"]["laureate"]["gender"] == "f"
    assert "la" in checked["inferred"]["laureate"]["source"]


def test_a_hand_edited_section_is_not_rewritten_unless_forced(workspace):
    desk = Desk(Context(workspace))
    desk.draft("2020/brest.yaml")
    version = desk.article("2020/brest.md")["version"]
    version = desk.edit("2020/brest.md", "lead", "Un chapô écrit à la main.", None, version)[
        "article"
    ]["version"]
    with pytest.raises(DeskError) as refused:
        desk.propose("2020/brest.md", "lead", None, version)
    assert "/regen chapô --force" in str(refused.value)
    offered = desk.propose("2020/brest.md", "lead", None, version, force=True)
    assert offered["before"] == "Un chapô écrit à la main." and not offered["same"]


ALIAS_BOMB = (
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "id: brest\n"
)


@pytest.fixture
def desk_client(workspace):
    from starlette.testclient import TestClient

    from laureate_writer.desk.app import create_app

    client = TestClient(create_app(Context(workspace)), base_url="http://127.0.0.1:8766")
    token = re.search(r'name="lw-jeton" content="([^"]+)"', client.get("/").text).group(1)

    def post(route: str, /, **payload):
        headers = {"X-LW-Jeton": token, "Origin": "http://127.0.0.1:8766"}
        return client.post(route, json=payload, headers=headers)

    post.raw = lambda path, body: client.post(  # type: ignore[attr-defined]
        path, content=body, headers={"X-LW-Jeton": token, "Content-Type": "application/json"}
    )
    return post


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (ALIAS_BOMB, "alias YAML"),
        ("id: " + "[" * 40 + "x" + "]" * 40 + "\n", "imbriqué sur plus de 32"),
        ("id: brest\nnotes: a\x00b\n", "NUL"),
        ("base: &x {id: brest}\n<<: *x\n", "alias YAML"),
        ("id: brest\n" + "notes: " + "x" * 1_000_001 + "\n", "trop volumineux"),
    ],
)
def test_the_form_edit_goes_through_the_shared_reader(desk_client, text, refused):
    answer = desk_client("/api/dossier/champ", text=text, loc=["id"], value="pau")
    assert answer.status_code == 400 and refused in answer.json()["error"], answer.text
    with pytest.raises(ValueError, match=refused):
        set_value(text, ["id"], "pau")


def test_the_form_edit_reads_nfd_as_nfc_and_bounds_the_value(desk_client):
    answer = desk_client("/api/dossier/champ", text="nom: Ville de Be\u0301ziers\n",
                         loc=["id"], value="beziers")  # fmt: skip
    assert answer.status_code == 200
    assert answer.json()["text"] == "nom: Ville de Béziers\nid: beziers\n"
    deep: list = []
    for _ in range(40):
        deep = [deep]
    answer = desk_client("/api/dossier/champ", text="id: x\n", loc=["notes"], value=deep)
    assert answer.status_code == 400 and "imbriquée" in answer.json()["error"]
    # a request body nested beyond the JSON parser's recursion is refused, not a crash
    answer = desk_client.raw("/api/dossier/champ", b"[" * 100_000)
    assert answer.status_code == 400


def test_checking_and_saving_a_dossier_use_the_shared_reader(desk_client):
    checked = desk_client("/api/dossier/verifier", path="2020/x.yaml", text=ALIAS_BOMB)
    assert checked.status_code == 200 and not checked.json()["ok"]
    assert "alias YAML" in checked.json()["problems"][0]["message"]
    nul = desk_client("/api/dossier/verifier", path="2020/x.yaml", text="id: a\x00\n")
    assert "NUL" in nul.json()["problems"][0]["message"]
    saved = desk_client("/api/dossier/enregistrer", path="2020/x.yaml", text="id: a\x00\n",
                        version="absent")  # fmt: skip
    assert saved.status_code == 400 and "NUL" in saved.json()["error"]
