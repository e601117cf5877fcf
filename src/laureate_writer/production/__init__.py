"""Production of whole palmarès pages at scale: every section of every laureate scheduled
together (bounded concurrency, optional requests-per-minute limit), a SQLite journal of
finished sections for resuming, progress and cost reports, and the provider Batch API.

Entry points: :func:`laureate_writer.api.apalmares` (library) and ``laureate-writer
palmares`` (command line); :func:`~.scheduler.produce` is the engine both use.
"""

from laureate_writer.production.journal import Journal
from laureate_writer.production.report import Tally
from laureate_writer.production.scheduler import Production, produce

__all__ = ["Journal", "Production", "Tally", "produce"]
