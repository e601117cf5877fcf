"""The fake OpenAI server, exercised through the real clients (openai 3.x over httpx2 and
langchain-openai's ChatOpenAI) over real HTTP on 127.0.0.1. Nothing leaves the loopback."""

from __future__ import annotations

import asyncio
import io
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import BaseModel

from fake_openai import Behaviour, FakeOpenAI, FakeOpenAIProcess, schema_instance

# the fixtures fake_openai and fake_openai_env (harmless once conftest.py imports them too)

ROOT = Path(__file__).resolve().parents[1]
MSG = [{"role": "user", "content": "Rédige la section results du lauréat de Brest."}]


class Prix(StrEnum):
    grand_prix = "grand prix"
    mention = "mention"


class Jury(BaseModel):
    president: str
    membres: list[str]


class Section(BaseModel):
    intertitle: str
    text: str
    prix: Prix
    rang: int
    jury: Jury
    note: str | None


@pytest.fixture
def oai():
    return pytest.importorskip("openai")


@pytest.fixture
def lc():
    return pytest.importorskip("langchain_openai")


def client(oai, server: FakeOpenAI, **kw):
    kw.setdefault("max_retries", 0)
    return oai.OpenAI(base_url=server.base_url, api_key="test", **kw)


def ask(c, text: str, **kw):
    return c.chat.completions.create(
        model="gpt-test", messages=[{"role": "user", "content": text}], **kw
    )


# --------------------------------------------------------------------------- responder


def test_schema_instance_fills_everything_with_digit_free_french_text():
    schema = Section.model_json_schema()
    instance = schema_instance(schema)
    section = Section.model_validate(instance)
    assert section.prix is Prix.grand_prix and section.rang == 1
    assert len(section.jury.membres) == 1
    strings = [section.intertitle, section.text, section.jury.president, *section.jury.membres]
    assert all(s == "Texte de la section." for s in strings)
    assert not re.search(r"\d", json.dumps({k: v for k, v in instance.items() if k != "rang"}))
    assert schema_instance({"type": "array", "items": {"type": "integer"}, "minItems": 3}) == [
        1,
        1,
        1,
    ]
    assert schema_instance({"type": "integer", "minimum": 5}) == 5
    assert schema_instance({"type": ["null", "boolean"]}) is True
    assert (
        schema_instance({"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 5}]})
        == "Texte"
    )


def test_plain_completion_is_a_realistic_chat_completion(oai, fake_openai):
    completion = ask(client(oai, fake_openai), "Bonjour")
    assert completion.object == "chat.completion" and completion.id.startswith("chatcmpl-")
    assert completion.model == "gpt-test"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert choice.message.content == "Texte de la section." and choice.message.refusal is None
    usage = completion.usage
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens > 0
    (rec,) = fake_openai.requests
    assert rec.path == "/v1/chat/completions" and rec.method == "POST"
    assert rec.headers["authorization"] == "Bearer test"
    assert rec.json["messages"][0]["content"] == "Bonjour" and rec.key == "Bonjour"
    assert fake_openai.calls == 1 and fake_openai.calls_matching("Bonj") == 1


def test_structured_parse_with_a_pydantic_model(oai, fake_openai):
    completion = client(oai, fake_openai).chat.completions.parse(
        model="gpt-test", messages=MSG, response_format=Section
    )
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, Section) and parsed.jury.membres == ["Texte de la section."]
    sent = fake_openai.requests[0].json["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["strict"] is True


def test_rules_are_keyed_by_the_last_user_message_whatever_the_order(oai, fake_openai):
    keys = [f"laureat-{name}" for name in "abcdefgh"]
    for key in keys:
        fake_openai.behave(key, {"text": f"Réponse pour {key}."})
    fake_openai.behave(lambda req: "callable" in json.dumps(req), "par fonction")
    c = client(oai, fake_openai)
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda k: ask(c, f"Section de {k}.").choices[0].message.content, keys)
        )
    assert [json.loads(a)["text"] for a in answers] == [f"Réponse pour {k}." for k in keys]
    assert ask(c, "un appel callable").choices[0].message.content == "par fonction"
    assert ask(c, "sans règle").choices[0].message.content == "Texte de la section."
    assert fake_openai.calls_matching("laureat-") == 8


def test_script_and_counted_rules_take_precedence_then_expire(oai, fake_openai):
    fake_openai.behave("lead", "persistant")
    fake_openai.script("premier", "second", match="lead")
    fake_openai.responder = lambda req: "du répondeur"
    c = client(oai, fake_openai)
    got = [ask(c, "le lead").choices[0].message.content for _ in range(3)]
    assert got == ["premier", "second", "persistant"]
    assert ask(c, "autre chose").choices[0].message.content == "du répondeur"
    fake_openai.reset()
    assert fake_openai.calls == 0
    fake_openai.responder = None
    assert ask(c, "le lead").choices[0].message.content == "Texte de la section."


# --------------------------------------------------------------------------- faults


def test_429_is_retried_after_the_retry_after_delay(oai, fake_openai):
    fake_openai.behave("results", Behaviour.rate_limit(retry_after=1), times=2)
    c = client(oai, fake_openai, max_retries=2)
    start = time.perf_counter()
    completion = ask(c, "Section results, s'il vous plaît.")
    elapsed = time.perf_counter() - start
    assert completion.choices[0].message.content == "Texte de la section."
    # the SDK's own backoff would be <= 0.5 + 1.0 s: >= 2 s proves Retry-After was honoured
    assert elapsed >= 2.0
    assert fake_openai.calls_matching("results") == 3
    assert [r.status for r in fake_openai.chat_requests] == [429, 429, 200]

    fake_openai.behave("results", Behaviour.rate_limit(retry_after=7), times=1)
    with pytest.raises(oai.RateLimitError) as info:
        ask(client(oai, fake_openai), "results encore")
    assert info.value.response.headers["retry-after"] == "7"
    assert info.value.code == "rate_limit_exceeded"


def test_500_and_503_are_retried(oai, fake_openai):
    fake_openai.script(Behaviour.server_error(500), Behaviour.unavailable(retry_after=0.1))
    completion = ask(client(oai, fake_openai, max_retries=2), "Bonjour")
    assert completion.choices[0].finish_reason == "stop"
    assert [r.status for r in fake_openai.chat_requests] == [500, 503, 200]

    fake_openai.fail(None, 500, times=1)
    with pytest.raises(oai.InternalServerError):
        ask(client(oai, fake_openai), "Bonjour")


def test_slow_answer_raises_api_timeout_and_stop_does_not_wait_for_it(oai, fake_openai):
    # Bounds far from both the timeout and the answer's delay: the point is "did not wait
    # for the 60 s answer", which a loaded machine cannot turn into a false failure.
    fake_openai.behave("lent", Behaviour.slow(60))
    c = client(oai, fake_openai, timeout=0.3)
    start = time.perf_counter()
    with pytest.raises(oai.APITimeoutError):
        ask(c, "un appel lent")
    assert time.perf_counter() - start < 30
    start = time.perf_counter()
    fake_openai.stop()  # a handler is still sleeping on the slow answer
    assert time.perf_counter() - start < 30


def test_disconnect_raises_connection_error(oai, fake_openai):
    fake_openai.script(Behaviour.disconnect())
    with pytest.raises(oai.APIConnectionError):
        ask(client(oai, fake_openai), "Bonjour")
    assert ask(client(oai, fake_openai), "Bonjour").choices[0].message.content


def test_malformed_length_and_refusal_through_parse(oai, fake_openai):
    c = client(oai, fake_openai)

    def parse():
        return c.chat.completions.parse(model="gpt-test", messages=MSG, response_format=Section)

    fake_openai.script(Behaviour.refusal())
    message = parse().choices[0].message
    assert message.refusal == "Je ne peux pas répondre à cette demande."
    assert message.content is None and message.parsed is None

    fake_openai.script(Behaviour.length())
    with pytest.raises(oai.LengthFinishReasonError):
        parse()

    fake_openai.script(Behaviour.malformed())
    with pytest.raises(ValueError, match="Invalid JSON"):  # pydantic.ValidationError
        parse()
    fake_openai.script(Behaviour.malformed())
    raw = ask(c, "brut")
    assert raw.choices[0].message.content == '{"text": "coupé'

    fake_openai.script(Behaviour.length({"text": "Une phrase complète et longue."}))
    cut = ask(c, "brut", max_tokens=7).choices[0]
    assert cut.finish_reason == "length" and cut.message.content == '{"text": "Une phrase '


def test_tool_calls_scripted_and_forced(oai, fake_openai):
    fake_openai.script(
        Behaviour.tool_call("check_style", {"section": "lead"}), "Le style est conforme."
    )
    c = client(oai, fake_openai)
    first = ask(c, "vérifie le style").choices[0]
    assert first.finish_reason == "tool_calls" and first.message.content is None
    call = first.message.tool_calls[0]
    assert call.type == "function" and call.function.name == "check_style"
    assert json.loads(call.function.arguments) == {"section": "lead"}
    assert ask(c, "vérifie le style").choices[0].message.content == "Le style est conforme."

    tool = {
        "type": "function",
        "function": {
            "name": "regenerate_section",
            "parameters": {
                "type": "object",
                "properties": {
                    "section": {"enum": ["results", "lead"]},
                    "instruction": {"type": "string"},
                },
                "required": ["section", "instruction"],
            },
        },
    }
    forced = ask(c, "régénère", tools=[tool], tool_choice="required").choices[0].message
    assert json.loads(forced.tool_calls[0].function.arguments) == {
        "section": "results",
        "instruction": "Texte de la section.",
    }
    assert ask(c, "régénère", tools=[tool]).choices[0].message.tool_calls is None  # auto


def test_streaming_chunks_done_and_usage(oai, fake_openai):
    fake_openai.behave("long", "Un texte assez long pour être découpé en plusieurs morceaux.")
    c = client(oai, fake_openai)
    chunks = list(ask(c, "un texte long", stream=True, stream_options={"include_usage": True}))
    assert all(ch.object == "chat.completion.chunk" for ch in chunks)
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    assert text == "Un texte assez long pour être découpé en plusieurs morceaux."
    assert [ch.choices[0].finish_reason for ch in chunks if ch.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
    assert all(ch.usage is None for ch in chunks[:-1])

    fake_openai.script(Behaviour.tool_call("check_facts", {"section": "results"}))
    chunks = list(ask(c, "outil", stream=True))
    deltas = [d for ch in chunks for d in (ch.choices[0].delta.tool_calls or [])]
    assert deltas[0].function.name == "check_facts"
    assert json.loads("".join(d.function.arguments for d in deltas)) == {"section": "results"}
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    assert chunks[-1].usage is None  # not asked for


def test_seeded_random_faults_are_deterministic_and_order_independent(oai):
    prompts = [f"demande numéro {i}" for i in range(30)]

    def outcomes(order, **kw):
        with FakeOpenAI(fault_rate=0.3, seed=1, fault_kinds=("429", "500", "503"), **kw) as s:
            c = client(oai, s)
            result = {}
            for p in order:
                try:
                    ask(c, p)
                    result[p] = 200
                except oai.APIStatusError as exc:
                    result[p] = exc.status_code
            return result, s.faults_injected

    forward, faults = outcomes(prompts)
    backward, _ = outcomes(list(reversed(prompts)))
    assert forward == backward and 3 <= faults <= 20
    assert set(forward.values()) <= {200, 429, 500, 503}
    once = {"fault_rate": 0.99, "fault_kinds": ("429",), "max_faults_per_request": 1}
    with FakeOpenAI(**once, fault_retry_after=0.01) as s:
        for p in prompts[:3]:  # every first attempt fails, every retry succeeds
            ask(client(oai, s, max_retries=1), p)
        assert s.calls == 6 and s.faults_injected == 3


# --------------------------------------------------------------------------- files and batches


def test_files_and_batches_round_trip(oai, fake_openai):
    fake_openai.fail("caption", 500, times=1)  # one line lands in the error file
    lines = [
        {
            "custom_id": f"brest:{section}:h",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {
                "model": "gpt-test",
                "messages": [{"role": "user", "content": f"Section {section}."}],
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                        "name": "Section",
                        "strict": True,
                        "schema": Section.model_json_schema(),
                    },
                },
            },
        }
        for section in ("results", "lead", "caption")
    ]
    jsonl = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    c = client(oai, fake_openai)
    uploaded = c.files.create(file=("entree.jsonl", io.BytesIO(jsonl)), purpose="batch")
    assert uploaded.purpose == "batch" and uploaded.bytes == len(jsonl)
    assert c.files.retrieve(uploaded.id).filename == "entree.jsonl"
    assert c.files.content(uploaded.id).content == jsonl
    batch = c.batches.create(
        input_file_id=uploaded.id,
        endpoint="/v1/chat/completions",
        completion_window="24h",
        metadata={"run": "palmares"},
    )
    statuses = [batch.status]
    for _ in range(10):  # bounded polling
        batch = c.batches.retrieve(batch.id)
        statuses.append(batch.status)
        if batch.status == "completed":
            break
    assert statuses == ["validating", "validating", "in_progress", "completed"]
    assert batch.request_counts.total == 3 and batch.request_counts.failed == 1
    assert batch.metadata == {"run": "palmares"}
    out = [json.loads(x) for x in c.files.content(batch.output_file_id).text.splitlines()]
    assert sorted(o["custom_id"] for o in out) == ["brest:lead:h", "brest:results:h"]
    for o in out:
        assert o["error"] is None and o["response"]["status_code"] == 200
        body = oai.types.chat.ChatCompletion.model_validate(o["response"]["body"])
        Section.model_validate_json(body.choices[0].message.content)
    (err,) = [json.loads(x) for x in c.files.content(batch.error_file_id).text.splitlines()]
    assert err["custom_id"] == "brest:caption:h" and err["response"]["status_code"] == 500
    assert fake_openai.calls_matching("Section", via="batch") == 3
    assert fake_openai.calls_matching("Section", via="http") == 0

    other = c.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    assert c.batches.cancel(other.id).status == "cancelling"
    assert c.batches.retrieve(other.id).status == "cancelled"
    with pytest.raises(oai.NotFoundError):
        c.files.retrieve("file-inconnu")
    with pytest.raises(oai.BadRequestError):
        c.batches.create(
            input_file_id="file-inconnu", endpoint="/v1/chat/completions", completion_window="24h"
        )


def test_models_and_api_key(oai):
    with FakeOpenAI(api_key="sk-bon") as s:
        assert [m.id for m in oai.OpenAI(base_url=s.base_url, api_key="sk-bon").models.list()]
        with pytest.raises(oai.AuthenticationError):
            client(oai, s).models.list()


def test_env_fixture_points_default_clients_at_the_fake(oai, fake_openai_env):
    completion = ask(oai.OpenAI(max_retries=0), "Bonjour")
    assert completion.choices[0].message.content == "Texte de la section."
    assert fake_openai_env.requests[0].headers["authorization"].startswith("Bearer sk-test")


# --------------------------------------------------------------------------- LangChain


def test_langchain_structured_output_json_schema_include_raw(lc, fake_openai):
    llm = lc.ChatOpenAI(
        model="gpt-test", base_url=fake_openai.base_url, api_key="test", max_retries=1
    )
    structured = llm.with_structured_output(Section, method="json_schema", include_raw=True)
    fake_openai.behave("lead", Behaviour.rate_limit(retry_after=0.2), times=1)
    out = structured.invoke("Rédige le lead.")
    assert isinstance(out["parsed"], Section) and out["parsing_error"] is None
    assert out["raw"].usage_metadata["total_tokens"] > 0
    assert fake_openai.calls_matching("lead") == 2  # the 429 was retried by the SDK
    sent = fake_openai.chat_requests[-1].json["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["name"] == "Section"

    fake_openai.script(Behaviour.refusal())
    out = structured.invoke("Rédige le lead.")
    assert out["parsed"] is None and type(out["parsing_error"]).__name__ == "OpenAIRefusalError"


def test_langchain_malformed_and_truncated_output(lc, fake_openai):
    """Pins langchain-openai 1.7 / openai 3.x behaviour the drafting code must handle:
    with a pydantic schema the SDK parses inside the call, so malformed JSON *raises*
    pydantic.ValidationError and a cut answer raises LengthFinishReasonError, even with
    include_raw=True; with a dict schema non-JSON lands in ``parsing_error`` but truncated
    JSON is silently completed by the partial JSON parser."""
    from pydantic import ValidationError

    oai = pytest.importorskip("openai")
    llm = lc.ChatOpenAI(
        model="gpt-test", base_url=fake_openai.base_url, api_key="test", max_retries=0
    )
    by_model = llm.with_structured_output(Section, method="json_schema", include_raw=True)
    schema = {
        "title": "Lead",
        "type": "object",
        "properties": {"text": {"type": "string"}},
        "required": ["text"],
        "additionalProperties": False,
    }
    by_dict = llm.with_structured_output(schema, method="json_schema", include_raw=True)

    fake_openai.script(Behaviour.malformed())
    with pytest.raises(ValidationError):
        by_model.invoke("x")
    fake_openai.script(Behaviour.length())
    with pytest.raises(oai.LengthFinishReasonError):
        by_model.invoke("x")

    fake_openai.script(Behaviour.malformed("Voici le chapô, sans JSON."))
    out = by_dict.invoke("x")
    assert out["parsed"] is None and type(out["parsing_error"]).__name__ == "OutputParserException"
    assert out["raw"].content == "Voici le chapô, sans JSON."
    fake_openai.script(Behaviour.malformed())
    out = by_dict.invoke("x")
    assert out["parsing_error"] is None and out["parsed"] == {"text": "coupé"}
    assert out["raw"].response_metadata["finish_reason"] == "stop"


def test_eight_concurrent_async_calls_overlap(oai, lc, fake_openai):
    fake_openai.latency = 0.2
    for i in range(8):
        fake_openai.behave(
            f"lauréat {i}.", {"intertitle": f"Lauréat {'I' * (i + 1)}", "text": "Texte."}
        )

    async def raw_calls():
        c = oai.AsyncOpenAI(base_url=fake_openai.base_url, api_key="test", max_retries=0)
        async with c:
            return await asyncio.gather(
                *(
                    c.chat.completions.create(
                        model="gpt-test", messages=[{"role": "user", "content": f"lauréat {i}."}]
                    )
                    for i in range(8)
                )
            )

    answers = asyncio.run(raw_calls())
    # Overlap is read from the server's own in-flight count, not from wall time (which
    # flakes on a loaded machine): all eight were in progress at once.
    assert [json.loads(a.choices[0].message.content)["intertitle"] for a in answers] == [
        f"Lauréat {'I' * (i + 1)}" for i in range(8)
    ]
    assert fake_openai.peak_concurrency == 8

    class Titre(BaseModel):
        intertitle: str
        text: str

    llm = lc.ChatOpenAI(
        model="gpt-test", base_url=fake_openai.base_url, api_key="test", max_retries=0
    )
    chain = llm.with_structured_output(Titre, method="json_schema", include_raw=True)
    fake_openai.reset()
    fake_openai.latency = 0.2
    for i in range(8):
        fake_openai.behave(
            f"lauréat {i}.", {"intertitle": f"Lauréat {'I' * (i + 1)}", "text": "Texte."}
        )
    outs = asyncio.run(
        chain.abatch([f"lauréat {i}." for i in range(8)], config={"max_concurrency": 8})
    )
    assert fake_openai.peak_concurrency == 8
    assert [o["parsed"].intertitle for o in outs] == [f"Lauréat {'I' * (i + 1)}" for i in range(8)]


# --------------------------------------------------------------------------- standalone process


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


def test_standalone_process_with_control_endpoints(oai):
    faults = ("--fault-rate", "0.1", "--fault-kinds", "429", "--fault-retry-after", "0.01")
    with FakeOpenAIProcess("--latency-ms", "20", *faults, "--seed", "1") as proc:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", proc.base_url)
        root = proc.base_url.removesuffix("/v1")
        rule = {"match": "refuse", "times": 1, "behaviour": Behaviour.refusal().to_dict()}
        req = urllib.request.Request(
            root + "/_fake/rules", json.dumps(rule).encode(), {"Content-Type": "application/json"}
        )
        urllib.request.urlopen(req, timeout=5).close()
        c = client(oai, proc, max_retries=3)
        assert ask(c, "refuse ceci").choices[0].message.refusal
        assert ask(c, "normal").choices[0].message.content == "Texte de la section."
        stats = proc.stats()
        assert stats["calls"] >= 2 and stats["by_status"]["200"] == 2
        assert [r["key"] for r in proc.recorded() if r["status"] == 200] == [
            "refuse ceci",
            "normal",
        ]


def test_module_entry_point_prints_url_and_stops_on_sigterm():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fake_openai.server",
            "--port",
            "0",
            "--latency-ms",
            "200",
            "--fault-rate",
            "0.1",
            "--seed",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", url)
        assert [m["id"] for m in _get(url + "/models")["data"]]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert json.loads(proc.stderr.read())["requests"] == 1
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=5)
        proc.stdout.close()
        proc.stderr.close()


def test_only_loopback():
    with pytest.raises(ValueError, match="loopback"):
        FakeOpenAI(host="0.0.0.0")


def test_wait_for_calls_and_many_servers_start():
    servers = [FakeOpenAI().start() for _ in range(5)]
    try:
        assert len({s.port for s in servers}) == 5
        assert not servers[0].wait_for_calls(1, timeout=0.05)
    finally:
        for s in servers:
            s.stop()


def test_a_raising_responder_is_reported_not_hidden(oai):
    def broken(request_json):
        raise RuntimeError("bogue du répondeur")

    with FakeOpenAI(responder=broken) as s:
        with pytest.raises(oai.APIConnectionError):
            ask(client(oai, s), "Bonjour")
        assert s.errors == ["RuntimeError('bogue du répondeur')"]
        assert s.stats()["handler_errors"] == 1
