"""Palmarès production at scale, against the fake OpenAI server over real HTTP: faults,
kill and resume, Ctrl-C, the Batch API, the journal, the bounds and the report."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import EDITION, ROOT, fake_server_writer
from generic_answers import answer

pytest.importorskip("langchain_openai")

from fake_openai import Behaviour

SECTIONS = 42  # six laureates × seven drafted sections; the generic answers need no revise
INTRO = 1  # the page intro, written by the model once the laureates are done


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("LW_CACHE_PATH", str(tmp_path / "cache.sqlite3"))
    monkeypatch.delenv("LW_MODEL", raising=False)


def _writer(fake, max_retries=6, **flags):
    return fake_server_writer(fake, "openai:gpt-4.1-mini", max_retries=max_retries, **flags)


def _run(writer, **options):
    from laureate_writer import api

    return api.palmares_outcome(EDITION, writer=writer, **options)


@pytest.mark.parametrize("client", ["openai", "langchain"])
def test_all_sections_complete_with_ten_percent_faults(client, fake_openai, tmp_path):
    from laureate_writer.production import Journal

    fake_openai.responder = answer
    fake_openai.fault_rate = 0.1
    fake_openai.fault_retry_after = 0.01
    fake_openai.latency = 0.05
    fake_openai.seed = 7
    writer = _writer(fake_openai, cache=False, client=client)
    assert writer.name == client
    result = _run(writer, concurrency=8, journal=Journal(tmp_path / "j.sqlite3"),
                  out_dir=tmp_path / "a")  # fmt: skip
    assert fake_openai.faults_injected >= 2
    assert not result.partial and not result.interrupted and result.unresolved == 0
    assert len(result.page.articles) == 6
    assert fake_openai.calls == SECTIONS + INTRO + fake_openai.faults_injected
    assert result.production.tally.count("ok") == SECTIONS
    assert 4 < fake_openai.peak_concurrency <= 8
    assert sorted(p.stem for p in (tmp_path / "a").iterdir()) == sorted(
        a.id for a in result.page.articles
    )


def test_a_resumed_run_takes_finished_sections_from_the_journal(fake_openai, tmp_path):
    from laureate_writer.production import Journal

    fake_openai.responder = answer
    fake_openai.behave("« légende »", Behaviour.error(400, "bad"))  # caption fails everywhere
    path = tmp_path / "j.sqlite3"
    # drafted through LangChain, resumed through the openai SDK: the journal keys the
    # request, not the client
    first = _run(_writer(fake_openai, cache=False, max_retries=0, client="langchain"),
                 journal=Journal(path))  # fmt: skip
    assert first.partial and set().union(*(o.failures for o in first.outcomes)) == {"caption"}
    assert len(Journal(path)) == SECTIONS - 6 + INTRO  # the page intro is journaled too
    fake_openai.reset()
    fake_openai.responder = answer
    again = _run(_writer(fake_openai, cache=False, client="openai"), journal=Journal(path))
    assert fake_openai.calls == 6  # only the six captions: the intro is in the journal
    assert not again.partial and again.production.tally.count(restored=True) == SECTIONS - 6
    texts = [s.text for o in again.outcomes for s in o.article.sections if s.kind != "caption"]
    assert texts == [s.text for o in first.outcomes for s in o.article.sections
                     if s.kind != "caption"]  # fmt: skip
    assert all(s.provenance.tokens_in for o in again.outcomes for s in o.article.sections
               if s.kind != "prize_label")  # fmt: skip


def test_a_fresh_journal_forgets_and_the_gate_orders_laureates(fake_openai, tmp_path):
    from laureate_writer.production import Journal

    fake_openai.responder = answer
    path = tmp_path / "j.sqlite3"
    _run(_writer(fake_openai, cache=False), journal=Journal(path), concurrency=2)
    assert len(Journal(path)) == SECTIONS + INTRO and len(Journal(path, fresh=True)) == 0
    # with two slots, laureates are drafted in page order: brest's caption before pau starts
    order = [r.json["messages"][-1]["content"] for r in fake_openai.chat_requests]
    first_pau = next(i for i, m in enumerate(order) if "Lons" in m or '"id": "pau"' in m)
    brest_caption = next(i for i, m in enumerate(order)
                         if "« légende »" in m and "\"id\": \"brest\"" in m)  # fmt: skip
    assert brest_caption < first_pau


def _cli(*args, env):
    return subprocess.Popen(
        [sys.executable, "-m", "laureate_writer", "palmares", str(EDITION), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _env(fake, tmp_path):
    return {**os.environ, "OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-test",
            "LW_CACHE_PATH": str(tmp_path / "cache.sqlite3"), "PYTHONIOENCODING": "utf-8"}  # fmt: skip


def test_killed_then_resumed_pays_only_for_sections_in_flight(fake_openai, tmp_path):
    fake_openai.responder = answer
    fake_openai.latency = 0.15
    env = _env(fake_openai, tmp_path)
    common = ["--model", "gpt-4.1-mini", "--no-cache", "--concurrency", "4",
              "--journal", str(tmp_path / "j.sqlite3"), "--out-dir", str(tmp_path / "a")]  # fmt: skip
    proc = _cli(*common, "-o", str(tmp_path / "page.md"), env=env)
    assert fake_openai.wait_for_calls(18, timeout=30)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL and not (tmp_path / "page.md").exists()
    killed = fake_openai.calls
    assert killed < SECTIONS
    # the page intro is asked during the run and journaled like a section
    with sqlite3.connect(tmp_path / "j.sqlite3") as db:
        intro_kept = db.execute("SELECT COUNT(*) FROM sections WHERE section = 'page_intro'")
        intro_kept = intro_kept.fetchone()[0]
    proc = _cli(*common, "--resume", "-o", str(tmp_path / "page.md"),
                "--report", str(tmp_path / "r.json"), env=env)  # fmt: skip
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    restored = report["sections"]["restored"] + intro_kept
    in_flight = killed - restored  # asked before the kill, not finished in time
    assert 0 <= in_flight <= 4
    assert fake_openai.calls == SECTIONS + INTRO + in_flight
    assert (tmp_path / "page.md").read_text(encoding="utf-8").count("\n### ") == 6


def test_ctrl_c_stops_cleanly_keeps_finished_work_and_exits_130(fake_openai, tmp_path):
    fake_openai.responder = answer
    fake_openai.latency = 0.2
    env = _env(fake_openai, tmp_path)
    proc = _cli("--model", "gpt-4.1-mini", "--concurrency", "4", "--out-dir",
                str(tmp_path / "a"), "-o", str(tmp_path / "page.md"),
                "--journal", str(tmp_path / "j.sqlite3"), env=env)  # fmt: skip
    deadline = time.monotonic() + 30
    while not (tmp_path / "a").is_dir() and time.monotonic() < deadline:  # a laureate is done
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "arrêté :" in err and "--resume" in err and "Traceback" not in err
    assert "interrompu" not in err  # why it stopped is said once
    written = sorted(p.stem for p in (tmp_path / "a").iterdir())
    assert written and len(written) < 6
    page = (tmp_path / "page.md").read_text(encoding="utf-8")
    assert page.count("\n### ") == len(written)
    from laureate_writer.production import Journal

    assert len(Journal(tmp_path / "j.sqlite3")) >= 7 * len(written)


@pytest.mark.parametrize("client", ["openai", "langchain"])
def test_batch_round_trip_through_files_and_batches(client, fake_openai, tmp_path):
    from laureate_writer.production import Journal
    from laureate_writer.production.batch import BatchWriter

    fake_openai.responder = answer
    fake_openai.batch_polls = 2
    # one line comes back as a 500 in the batch: it is re-queued interactively
    fake_openai.behave('"id": "pau"', Behaviour.error(500), times=1)
    journal = Journal(tmp_path / "j.sqlite3")
    writer = BatchWriter(_writer(fake_openai, cache=False, client=client), journal=journal,
                         poll_interval=0.01, concurrency=4)  # fmt: skip
    result = _run(writer, journal=journal, concurrency=writer.gate_limit)
    assert not result.partial and len(result.page.articles) == 6
    stats = fake_openai.stats()
    assert stats["batch_calls"] == SECTIONS and stats["http_calls"] == 1, (stats, writer.stats())
    assert writer.stats()["batches"] == 2 and writer.stats()["requeued"] == 1
    paths = [r.path for r in fake_openai.requests]
    assert paths.count("/v1/files") == 2 and paths.count("/v1/batches") == 2
    assert journal.open_batches() == []
    lines = [r for r in fake_openai.chat_requests if r.via == "batch"]
    assert all(r.json["response_format"]["type"] == "json_schema" for r in lines)


def test_batch_left_open_by_a_killed_run_is_collected_not_resubmitted(fake_openai, tmp_path):
    from laureate_writer.production import Journal
    from laureate_writer.production.batch import BatchWriter

    fake_openai.responder = answer
    fake_openai.batch_polls = 3
    journal = Journal(tmp_path / "j.sqlite3")
    first = BatchWriter(_writer(fake_openai, cache=False), journal=journal, poll_interval=30)

    async def until_submitted():
        task = asyncio.create_task(_apalmares(first, journal))
        while not journal.open_batches():
            await asyncio.sleep(0.01)
        task.cancel()  # as if killed while polling: the batch stays open at the provider
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(until_submitted())
    assert len(journal.open_batches()) == 1
    second = BatchWriter(_writer(fake_openai, cache=False), journal=journal, poll_interval=0.01)
    result = _run(second, journal=journal, concurrency=second.gate_limit)
    assert not result.partial
    assert second.stats()["batches"] == 1  # only the framing sections: the body was collected
    assert fake_openai.stats()["batch_calls"] == SECTIONS


async def _apalmares(writer, journal):
    from laureate_writer import api

    return await api.apalmares(EDITION, writer=writer, journal=journal, concurrency=10**6)


@pytest.mark.parametrize("client", ["openai", "langchain"])
def test_rpm_limiter_spaces_requests(client, fake_openai):
    fake_openai.responder = answer
    start = time.perf_counter()
    _run(_writer(fake_openai, cache=False, client=client), concurrency=8, rpm=600)  # 1 per 0.1 s
    assert time.perf_counter() - start >= (SECTIONS - 1) * 0.1 * 0.95
    # Arrival times at the server jitter with the machine's load, so the rate is judged
    # over the whole run here, and on the limiter's own release times below.


def test_token_bucket_never_releases_early():
    from laureate_writer.production.limits import TokenBucket

    bucket = TokenBucket(per_minute=1200)  # one every 0.05 s

    async def main():
        start = time.monotonic()
        released = []

        async def one():
            await bucket.aacquire()
            released.append(time.monotonic() - start)

        await asyncio.gather(*(one() for _ in range(12)))
        return sorted(released)

    released = asyncio.run(main())
    # The k-th request is released no earlier than its reserved instant k × interval.
    assert all(t >= k * 0.05 - 1e-3 for k, t in enumerate(released))
    assert bucket.waited > 0


def test_priority_gate_bounds_and_orders():
    from laureate_writer.production.limits import PriorityGate

    async def main():
        gate = PriorityGate(2)
        order, active = [], [0, 0]

        async def job(priority):
            async with gate.slot(priority):
                active[0] += 1
                active[1] = max(active[1], active[0])
                order.append(priority)
                await asyncio.sleep(0.01)
                active[0] -= 1

        await asyncio.gather(*(job(p) for p in [5, 4, 3, 2, 1, 0]))
        return order, active[1], gate.in_use

    order, peak, in_use = asyncio.run(main())
    assert peak == 2 and in_use == 0
    assert order[:2] == [5, 4] and order[2:] == [0, 1, 2, 3]


def test_price_table_and_unknown_model():
    from laureate_writer.production.report import Tally, estimate_cost

    assert estimate_cost("openai:gpt-4.1-mini", 1_000_000, 0, batch=False) == pytest.approx(0.4)
    assert estimate_cost("gpt-4.1-mini-2025-04-14", 0, 1_000_000, batch=True) == pytest.approx(0.8)
    tally = Tally([("x", "X")], model="llama3:8b")
    assert tally.cost() is None and tally.as_json()["cost"]["estimated"] is None
    assert "inconnu" in tally.summary_line()


def test_cli_report_json_and_plain_progress(fake_openai, tmp_path):
    fake_openai.responder = answer
    fake_openai.behave("« légende »", Behaviour.error(400, "bad"))
    env = {**_env(fake_openai, tmp_path), "LW_MAX_RETRIES": "0"}
    proc = _cli("--model", "gpt-4.1-mini", "-o", str(tmp_path / "p.html"),
                "--report", str(tmp_path / "r.json"), env=env)  # fmt: skip
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err
    assert "palmarès : 42/42 sections (100 %), 6 en échec" in err  # plain lines: not a terminal
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["exit_code"] == 3 and report["sections"]["failed"] == 6
    brest = report["laureates"][0]["sections"]
    assert brest["caption"]["status"] == "failed" and "400" in brest["caption"]["reason"]
    assert brest["lead"]["status"] == "ok" and brest["lead"]["tokens_in"] > 0
    assert report["cost"]["estimated"] > 0 and report["tokens"]["input"] > 0


def _intro_model(intro_text):
    from fake_chat import FakeStructuredChat

    def reply(prompt):
        if "<edition>" in prompt:
            return {"text": intro_text}
        return answer({"messages": [{"role": "user", "content": prompt}]})

    return FakeStructuredChat(answer=reply)


def test_the_model_writes_the_page_intro_from_the_edition_facts():
    from laureate_writer.writers.chat import ChatModelWriter

    text = "Créés en 2000, les Prix Territoriaux distinguent chaque année des collectivités: voici la 21e édition."
    result = _run(ChatModelWriter(_intro_model(text), "fake"))
    assert result.intro_note is None
    assert (
        result.page.intro.startswith("Créés en 2000")
        and "collectivités\u00a0:" in result.page.intro
    )


def test_an_intro_with_an_invented_figure_is_replaced_by_the_offline_one():
    from laureate_writer.writers.chat import ChatModelWriter

    invented = (
        "Plus de 4\u202f812 collectivités ont concouru à la 21e édition des Prix Territoriaux."
    )
    result = _run(ChatModelWriter(_intro_model(invented), "fake"))
    assert "4\u202f812" not in result.page.intro and "2000" in result.page.intro
    assert result.intro_note and "4" in result.intro_note
