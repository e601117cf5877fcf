"""The dossier form: the dossier's JSON Schema plus French labels and help (a data file,
``aide.yaml``), which ``desk.js`` turns into fields, lists and choices."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def form_schema() -> dict[str, Any]:
    from laureate_writer.dossier import Dossier

    help_text = yaml.safe_load((Path(__file__).parent / "aide.yaml").read_text(encoding="utf-8"))
    return {"schema": Dossier.model_json_schema(), "help": help_text}
