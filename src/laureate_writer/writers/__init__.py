"""Writers: every way of drafting a section, behind one interface (:mod:`.base`).

``get_writer("offline")`` is the embedded default; model-backed writers are imported
only when asked for, so commands that need no model never load a model client.
"""

from __future__ import annotations

from laureate_writer.writers.base import SectionDraft, SectionRequest, Writer


def get_writer(spec: str | None = None, *, prompts: list[str] | None = None) -> Writer:
    """Return the writer named by ``spec`` ("offline", or a model string later)."""
    if spec in (None, "", "offline"):
        from laureate_writer.writers.offline import OfflineWriter

        return OfflineWriter(prompts=prompts or [])
    raise ValueError(f"unknown writer '{spec}': only 'offline' is available in this version")


__all__ = ["SectionDraft", "SectionRequest", "Writer", "get_writer"]
