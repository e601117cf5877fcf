"""Prompt size and calls per article for model-backed drafting (issue 5).

For the six 2020 examples: tokens of the rendered prompt (system + user messages) for
each section, counted with tiktoken's o200k_base encoding; and model calls per article
when drafting through the OpenAI-compatible fake server (a clean run, and one whose
results section needs a revise round).

tiktoken downloads its encodings at first use; this machine has no route to that host,
so the official o200k_base file is taken from the bpe-openai package (same SHA-256 as
tiktoken expects) and placed in tiktoken's cache.
Usage: python bench/prompts/run.py
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
O200K_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"


def o200k():
    import tiktoken

    default_cache = str(Path(tempfile.gettempdir()) / "lw-tiktoken")
    cache = Path(os.environ.setdefault("TIKTOKEN_CACHE_DIR", default_cache))
    target = cache / hashlib.sha1(O200K_URL.encode()).hexdigest()
    if not target.exists():
        import bpe_openai

        data = gzip.decompress((Path(bpe_openai.__file__).parent / "data" /
                                "o200k_base.tiktoken.gz").read_bytes())  # fmt: skip
        if hashlib.sha256(data).hexdigest() != O200K_SHA256:
            raise SystemExit("bpe-openai's o200k_base differs from tiktoken's: not used")
        cache.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return tiktoken.get_encoding("o200k_base")


def prompt_tokens() -> None:
    from laureate_writer import api
    from laureate_writer.article import SectionKind
    from laureate_writer.writers.base import SectionRequest
    from laureate_writer.writers.chat import ChatModelWriter

    enc = o200k()
    style = api.resolve_style()
    writer = ChatModelWriter(None, "bench", style_summary=api.style_summary(style))
    kinds = [SectionKind.context, SectionKind.method, SectionKind.details, SectionKind.results,
             SectionKind.lead, SectionKind.headline, SectionKind.caption]  # fmt: skip
    dossiers = sorted(p for p in (ROOT / "examples" / "2020").glob("*.yaml")
                      if p.name != "palmares.yaml")  # fmt: skip
    print("prompt tokens (o200k_base) per section, system + user:")
    print(f"  {'dossier':16s}" + "".join(f"{k.value:>9s}" for k in kinds) + "    total")
    totals = []
    for path in dossiers:
        dossier = api.load_dossier(path)
        offline = api.draft(path, style=None)
        body = {k: offline.text_of(k) for k in kinds[:4]}
        row = []
        for kind in kinds:
            drafted = body if kind in kinds[4:] else {}
            messages = writer.messages(SectionRequest(dossier=dossier, kind=kind, drafted=drafted))
            row.append(sum(len(enc.encode(m["content"])) for m in messages))
        totals.append(sum(row))
        print(f"  {path.stem:16s}" + "".join(f"{n:9d}" for n in row) + f"{sum(row):9d}")
    print(f"  mean per article: {statistics.mean(totals):.0f} prompt tokens over 7 calls")


def calls_per_article() -> None:
    from fake_openai import FakeOpenAI
    from laureate_writer import api
    from model_answers import brest_responder

    brest = ROOT / "examples" / "2020" / "brest.yaml"
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI() as fake:
        fake.responder = brest_responder
        writer = api.make_writer("openai:bench", base_url=fake.base_url, api_key="x",
                                 cache_path=Path(tmp) / "c.sqlite3")  # fmt: skip
        outcome = asyncio.run(api.adraft(brest, writer=writer))
        first = fake.calls
        asyncio.run(api.adraft(brest, writer=writer))
        print("model calls per article (Brest, fake server):")
        print(f"  first draft: {first} calls (7 sections + revise rounds; label is offline),"
              f" partial={outcome.partial}")  # fmt: skip
        print(f"  same request again: {fake.calls - first} calls (served from the cache)")


if __name__ == "__main__":
    prompt_tokens()
    calls_per_article()
