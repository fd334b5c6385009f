"""Running an experiment: executor, progress bar, rows as they arrive,
Ctrl-C, and the experiment folder.

The folder (``runs/<scenario>-<kind>-s<seed>-<hash>/`` or ``--out DIR``) is
created first and ``results.csv`` grows a row per finished run, flushed at
once, so even a killed experiment leaves readable rows behind. At the end,
and after Ctrl-C, ``results.csv`` is rewritten atomically sorted by run
index, which makes it identical whatever the executor or the worker count;
``summary.json`` says ``"interrupted": true`` when the experiment was cut
short (the CLI then exits with 130, the shell's code for SIGINT). Wall-clock
figures go to ``timing.json`` only. :func:`finish` is the one way a folder is
finished, whoever writes it (the CLI's experiments, ``backtest``, the API's
``out=``): what completes it is written with stop signals held, then its
incomplete marker goes; if that fails, nothing of it is kept.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from . import designs as experiments
from .executors import ExecutorSpec, batches, open_executor
from .designs import Experiment, Payload, Task, cell, csv_text, log_name
from .shipping import ship_tactics
from .metrics import reference, run_metrics, with_metrics
from ..runtime.interrupts import held, stop_signals
from ..errors import InputError
from ..inputs import config
from ..runs.folder import DISK_ERRNOS, complete, discard, make_folder, write_atomic

RowHook = Callable[[int], None]
T = TypeVar("T")


@dataclass
class Finished:
    """What an experiment left behind."""

    experiment: Experiment
    folder: Path
    rows: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False
    timing: dict[str, Any] = field(default_factory=dict)
    stopped_by: KeyboardInterrupt | None = None  # what interrupted it: Ctrl-C, SIGTERM or SIGHUP
    created: bool = True  # the folder was made by this experiment (not an empty --out the user made)


def head(done: Finished) -> dict[str, Any]:
    """The keys every experiment's ``summary.json`` starts with (here, beside
    :class:`Finished`, so the summaries of every kind read it one way)."""
    exp = done.experiment
    return {"kind": exp.kind, "scenario": exp.scenario.name, "config_hash": exp.scenario.config_hash,
            "seed": exp.seed, "settings": dict(exp.settings), "planned_runs": len(exp.tasks),
            "completed_runs": len(done.rows), "interrupted": done.interrupted}


def measured_rate(task: Any) -> float | None:
    """Runs per second since the runs started: completions over elapsed time.
    Rich's own ``task.speed`` divides by the spread of its latest samples, and
    a batch's rows arrive within microseconds of each other, so it read
    hundreds of runs/s when a few were done; the plain average is honest."""
    elapsed = task.elapsed
    return task.completed / elapsed if task.completed and elapsed else None


class RateColumn(ProgressColumn):
    """Runs per second so far (:func:`measured_rate`)."""

    def render(self, task: Any) -> Text:
        speed = measured_rate(task)
        return Text(f"{speed:,.1f} runs/s" if speed else "… runs/s", style="progress.data.speed")


class EtaColumn(ProgressColumn):
    """Time left at the measured rate."""

    def render(self, task: Any) -> Text:
        speed = measured_rate(task)
        if task.finished:
            return Text("0:00:00", style="progress.remaining")
        if not speed or task.total is None:
            return Text("-:--:--", style="progress.remaining")
        seconds = int(round((task.total - task.completed) / speed))
        return Text(f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}", style="progress.remaining")


def progress_bar(console: Console) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), EtaColumn(),
                    console=console, transient=False)


class RowStream:
    """Appends rows to results.csv as they arrive (header from the first)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: IO[str] | None = None
        self.header: list[str] = []

    def add(self, row: dict[str, Any]) -> None:
        if self.fh is None:
            self.fh = self.path.open("w", newline="", encoding="utf-8")
            self.header = list(row)
            csv.writer(self.fh, lineterminator="\n").writerow(self.header)
        csv.writer(self.fh, lineterminator="\n").writerow([cell(row.get(k)) for k in self.header])
        self.fh.flush()

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


def payloads(exp: Experiment, workers: int, keep_logs: bool) -> list[tuple[Payload, list[Task]]]:
    """Batches of tasks, each with only the variants it needs."""
    out = []
    for batch in batches(exp.tasks, workers):
        used = {t.variant: exp.variants[t.variant] for t in batch}
        out.append((Payload(exp.kind, used, exp.noise, keep_logs, ship_tactics(used)), batch))
    return out


def execute(exp: Experiment, spec: ExecutorSpec, console: Console, runs_dir: Path = Path("runs"),
            out: Path | None = None, keep_logs: bool = False, on_row: RowHook | None = None) -> Finished:
    """Run every task, streaming rows into the folder; Ctrl-C (or a
    KeyboardInterrupt from ``on_row``, which tests use) stops cleanly."""
    from . import perturb  # noqa: F401
    from ..engine import simulate as runner  # noqa: F401  (Mesa's import takes a second: not part of the runs' time)

    created = out is None or not out.exists()
    scenarios = exp.scenarios or tuple(v.scenario for v in exp.variants)
    references = [reference(s) for s in scenarios]  # frontier and points once per variant, not per run
    variant_of = {t.run: t.variant for t in exp.tasks}
    folder = make_folder(runs_dir, exp.name, out)
    if keep_logs:
        (folder / "logs").mkdir(exist_ok=True)
    done = Finished(exp, folder)
    stream = RowStream(folder / "results.csv")
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    workers, described, n_batches = 1, spec.kind, 0
    with progress_bar(console) as bar, stop_signals():
        task_id = bar.add_task(f"starting {spec.kind} executor", total=len(exp.tasks))
        try:
            with open_executor(spec) as executor:
                workers, described = executor.workers, executor.describe()
                work = payloads(exp, workers, keep_logs)
                n_batches = len(work)
                bar.update(task_id, description=exp.kind)
                bar.reset(task_id, total=len(exp.tasks))
                started = time.perf_counter()
                for results in executor.map_unordered(experiments.run_batch, work):
                    for run, row, log_text in results:
                        v = variant_of[run]
                        row = with_metrics(row, run_metrics(references[v], scenarios[v], row))
                        done.rows.append(row)
                        stream.add(row)
                        if log_text is not None:
                            name = log_name(run, row["seed"], len(exp.tasks))
                            write_atomic(folder / "logs" / name, log_text)
                            if scenarios[v].priors:  # the drawn scenario beside its log: `run` on it replays it
                                drawn = experiments.draw_priors(exp.variants[v].scenario, row["seed"])[0]
                                write_atomic(folder / "logs" / name.replace(".jsonl", ".yaml"),
                                             config.scenario_yaml(drawn, row["seed"]))
                        bar.advance(task_id)
                        if on_row is not None:
                            on_row(len(done.rows))
        except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM or SIGHUP (interrupts.stop_signals)
            done.interrupted = True
            done.stopped_by = exc
            bar.update(task_id, description=f"[yellow]{exp.kind} interrupted")
        except BaseException as exc:
            # e.g. an unreachable --scheduler, a crashed worker, a full disk: no partial folder stays
            with contextlib.suppress(OSError):
                stream.close()
            _give_up(folder, created, exc)
        finally:
            with contextlib.suppress(OSError):
                stream.close()
    elapsed = time.perf_counter() - started
    done.rows.sort(key=lambda r: r["run"])
    header = _header(stream.header, done.rows)
    try:
        with held():
            write_atomic(folder / "results.csv", csv_text(done.rows, header) if done.rows else ",".join(header) + "\n")
            done.timing = {"executor": spec.kind, "workers": workers, "where": described, "batches": n_batches,
                           "runs": len(done.rows), "seconds": round(elapsed, 3),
                           "runs_per_second": round(len(done.rows) / elapsed, 2) if elapsed > 0 else None,
                           "started_at": started_at}
            write_atomic(folder / "timing.json", json.dumps(done.timing, indent=2) + "\n")
    except BaseException as exc:
        _give_up(folder, created, exc)
    done.created = created
    return done


def finish(done: Finished, write: Callable[[], T]) -> T:
    """Finish ``done``'s folder: ``write`` puts in what completes it (summary,
    scores, PNGs) and may return what it computed; a stop signal waits until
    it is written whole (then takes effect, the folder complete). The
    incomplete marker goes only here: a folder left marked is taken for a
    killed experiment's and removed by the next command in its runs folder.
    If ``write`` fails (a full disk: one line), the folder is discarded."""
    with held():
        try:
            result = write()
        except BaseException as exc:
            _give_up(done.folder, done.created, exc)
        complete(done.folder)
    return result


def _give_up(folder: Path, created: bool, exc: BaseException) -> NoReturn:
    """Remove the folder (or empty an ``--out`` the user made) and re-raise;
    a full disk or a read-only folder as one line, not a traceback."""
    discard(folder, created)
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
        raise InputError(folder.parent, "", f"a writable folder with free space expected "
                                            f"({os.strerror(exc.errno)}); nothing was kept") from None
    raise exc


def _header(streamed: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """Columns of the final table: from the rows in run order, so they do not
    depend on which run happened to finish first."""
    if rows:
        return experiments.columns(rows)
    return streamed or ["run", "seed"]
