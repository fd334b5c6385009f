"""Writing a run's folder: the files of one ``negotiation run``.

The engine returns the log and the summary; this adds what the reports make
of them (the comparison with the real deal is already in the summary when
the caller made one) and the concession picture, and hands the files to
``runs`` to write atomically.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..inputs import config
from ..inputs.sources import Truth
from ..runs.folder import run_folder_name, write_run

PORTABLE = {"facts": "facts.yaml", "truth": "truth.yaml", "codebook": "codebook.md"}  # key → its copy's name

if TYPE_CHECKING:  # the engine imports Mesa; writing a folder does not need it
    from ..engine.simulate import RunOutput


def save(output: RunOutput, runs_dir: Path = Path("runs"), out: Path | None = None, png: bool = True,
         truth: Truth | None = None) -> Path:
    """Write ``scenario.yaml``, ``log.jsonl``, ``summary.json``, ``timing.json``,
    copies of the scenario's ``facts.yaml``, ``truth.yaml`` and codebook when
    it names them and, with ``png``, ``concessions.png`` (the real deal's dates marked when
    ``truth`` is given)."""
    timing = {**output.timing, "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    files: dict[str, str | bytes] = {}
    copies = {}
    for key, copy in PORTABLE.items():  # the folder holds the files it refers to, by relative name: copied, it
        source = output.scenario.resolved.get(key)  # reruns and compares anywhere
        if source:
            copies[key] = copy
            files[copies[key]] = Path(source).read_bytes()
    summary = output.summary
    if copies.get("truth") and isinstance(summary.get("comparison"), dict):
        summary = {**summary, "comparison": {**summary["comparison"], "truth": copies["truth"]}}
    files.update({
        "scenario.yaml": config.scenario_yaml(output.scenario, output.seed, copies),
        "log.jsonl": output.log_text,
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
        "timing.json": json.dumps(timing, indent=2) + "\n",
    })
    if png:
        from .concessions import concession_png

        real = {f"real {stage}": str(date) for stage, date in
                (("tentative", truth.tentative_date), ("definitive", truth.definitive_date)) if date} if truth else {}
        records = [json.loads(line) for line in output.log_text.splitlines()]
        files["concessions.png"] = concession_png(records, output.summary.get("comparison"), real)
    name = run_folder_name(output.scenario.name, output.seed, output.scenario.config_hash)
    return write_run(files, runs_dir, name, out)
