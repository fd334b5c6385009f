"""``negotiation calibrate``: global structural parameters (noise scale σ,
loss aversion λ, a multiplier on the concession exponent e) estimated on a
library of cases by a grid posterior, each case scored out of sample
(``backtest/calibrate.py``).
"""

from pathlib import Path
from typing import Annotated

import typer

from .common import SetOpt, app, console, errors, handles_input_errors
from .experiments import ExecutorOpt, ExpOutOpt, ExpSeedOpt, RunsDirOpt, SchedulerOpt, WorkersOpt


@app.command()
@handles_input_errors
def calibrate(library: Annotated[list[Path], typer.Argument(help="a library folder (its library.yaml, else "
                                                                  "*/scenario.yaml) or two or more scenarios")],
              grid: Annotated[list[str] | None, typer.Option("--grid", help="NAME=v1,v2,… for sigma, lambda or "
                                                                            "e_scale (repeatable; the others stay "
                                                                            "at 0.1, 1, 1)")] = None,
              runs: Annotated[int, typer.Option("--runs", help="runs per case at each grid point")] = 200,
              epsilon: Annotated[float, typer.Option("--epsilon", help="weight of the uniform floor mixed into "
                                                     "every forecast, as in backtest")] = 0.05,
              seed: ExpSeedOpt = None, set_: SetOpt = None, out: ExpOutOpt = None,
              executor: ExecutorOpt = "processes", workers: WorkersOpt = None, scheduler: SchedulerOpt = None,
              runs_dir: RunsDirOpt = Path("runs")) -> None:
    """Fit σ, λ and a multiplier on e over a library, leave one case out: calibration.json and calibration.png."""
    import json

    from ..backtest import calibrate as cal
    from ..backtest.command import check_epsilon
    from ..experiments.execute import execute
    from ..experiments.executors import ExecutorSpec
    from ..runs.folder import check_out_dir, complete, write_atomic

    check_epsilon(epsilon)
    from ..service.scenarios import values_of

    exp = cal.prepare(cal.case_paths(library), cal.parse_axes(grid or []), designs_positive(runs), seed,
                      values_of(set_ or []))
    if out is not None:
        check_out_dir(out)
    spec = ExecutorSpec("dask" if scheduler and executor == "processes" else executor, workers, scheduler)
    done = execute(exp, spec, console, runs_dir, out)
    record = cal.with_structure(exp, cal.calibrate(cal.real_probabilities(exp, done.rows, epsilon), exp.thetas,
                                                   exp.on_grid, exp.cases), epsilon)
    record["interrupted"] = done.interrupted
    write_atomic(done.folder / "calibration.json", json.dumps(record, indent=2) + "\n")
    write_atomic(done.folder / "calibration.png", cal.calibration_png(record))
    complete(done.folder)
    console.print(cal_table(record))
    console.print(f"experiment folder: {done.folder}", soft_wrap=True, highlight=False)
    if done.interrupted:
        errors.print(f"interrupted: {len(done.rows):,} of {len(exp.tasks):,} runs scored; kept in {done.folder}",
                     highlight=False, soft_wrap=True)
        raise typer.Exit(130)


def designs_positive(runs: int) -> int:
    from ..errors import InputError

    if runs < 1:
        raise InputError("--runs", str(runs), "a positive whole number expected")
    return runs


def cal_table(record: dict) -> object:
    """Per case, out of sample: the log score per clause uncalibrated and
    calibrated, the gain, and the point the other cases favour; then the
    pooled row and the library's posterior."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Calibration, leave one case out (log score per clause)", title_justify="left")
    for name, justify in (("case", "left"), ("n", "right"), ("uncal.", "right"), ("calib.", "right"),
                          ("gain", "right"), ("others' MAP σ/λ/e×", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in record["loco"]:
        m = c["map"]
        table.add_row(c["case"][:24], str(c["clauses"]), f"{c['uncalibrated']:.3f}", f"{c['calibrated']:.3f}",
                      f"{c['gain']:+.3f}", f"{m['sigma']:g}/{m['lambda']:g}/{m['e_scale']:g}")
    p = record["pooled"]
    interval = "" if p["interval"] is None else f" [{p['interval'][0]:+.3f}, {p['interval'][1]:+.3f}]"
    table.add_row("pooled", str(p["clauses"]), f"{p['uncalibrated']:.3f}", f"{p['calibrated']:.3f}",
                  f"{p['gain']:+.3f}", "")
    post = record["posterior"]
    lines = [Text(f"gain 90% interval over cases{interval}: {p['verdict']}")]
    for axis, shares in post["marginals"].items():
        if len(shares) > 1:
            lines.append(Text(f"posterior of {axis} (all cases): " +
                              ", ".join(f"{v}: {s:.2f}" for v, s in shares.items())))
    return Group(table, *lines)
