"""The round log: its records, its schema and the reader downstream uses.

``log.jsonl`` holds one JSON object per line: a ``header``, then ``offer``,
``response``, ``event``, ``ratification`` and ``agreement`` records, each
with ``round`` and calendar ``date``, and a final ``end``. The text depends
only on the scenario and the seed (no wall-clock time, utilities rounded to
6 decimals, keys in a fixed order), so the same run gives the same bytes on
any machine, executor or worker. The model writes it through
:mod:`negotiation.engine.record`; writing the folder that holds it is
:mod:`negotiation.runs.folder`'s job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.record import SCHEMA, SCHEMA_VERSION
from ..errors import InputError
from . import records

# -- reading --------------------------------------------------------------------

@dataclass
class LogContents:
    """The complete records of a log, and what was wrong with its end, if anything."""

    path: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    problem: str | None = None  # set when the log ends early (truncated / no end record)

    @property
    def header(self) -> dict[str, Any]:
        return self.records[0]

    @property
    def end(self) -> dict[str, Any] | None:
        last = self.records[-1] if self.records else None
        return last if last and last.get("type") == "end" else None


def log_path(run: str | Path) -> Path:
    """A run folder or a ``log.jsonl`` path → the log file."""
    run = Path(run)
    path = run / "log.jsonl" if run.is_dir() else run
    if not path.is_file():
        raise InputError(run, "", "a run folder containing log.jsonl, or a log.jsonl file, expected")
    return path


def read_log(run: str | Path) -> LogContents:
    """Read every complete record. A half-written last line or a missing
    ``end`` record is reported in ``problem`` (the run was cut short); a bad
    line anywhere else, a missing header, a newer schema, or a record that
    breaks the schema or names what the header does not list
    (:mod:`.records`) raise InputError naming ``file:line`` and the key."""
    path = log_path(run)
    contents = LogContents(path)
    with path.open("rb") as fh:
        lines = fh.read().split(b"\n")
    complete = lines[:-1]  # text after the last newline is an unfinished line
    tail = lines[-1]
    for number, line in enumerate(complete, start=1):
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict) or "type" not in record:
                raise ValueError("not a record")
        except (ValueError, UnicodeDecodeError):
            raise InputError(f"{path}:{number}", "", "a JSON log record expected (the line is corrupt)") from None
        contents.records.append(record)
    if not contents.records:
        raise InputError(path, "line 1", "a header record expected; the log is empty")
    header = contents.records[0]
    if header.get("type") != "header" or not str(header.get("schema", "")).startswith("negotiation.log/"):
        raise InputError(f"{path}:1", "type", f"a header record of schema {SCHEMA} expected")
    version = str(header["schema"]).rsplit("/", 1)[-1]
    if not version.isdigit() or int(version) > SCHEMA_VERSION:
        raise InputError(f"{path}:1", "schema", f"{header['schema']} is newer than this version reads ({SCHEMA}); "
                                                "upgrade negotiation")
    names = records.check_header(header, f"{path}:1")
    for number, record in enumerate(contents.records[1:], start=2):
        records.check(record, names, f"{path}:{number}")
    last = contents.records[-1]
    if tail.strip():
        contents.problem = (f"truncated: line {len(complete) + 1} is incomplete; the log stops after "
                            f"round {last.get('round', 0)}")
    elif last.get("type") != "end":
        contents.problem = f"truncated: no end record; the log stops after round {last.get('round', 0)}"
    return contents


def read_summary(path: Path) -> dict[str, Any] | None:
    """A run's ``summary.json``: None when there is none, InputError when it
    is not a JSON object."""
    if not path.is_file():
        return None
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError(path, "", "a JSON run summary expected (the file is corrupt)") from None
    if not isinstance(summary, dict):
        raise InputError(path, "", "a JSON object expected")
    return summary
