"""``negotiation calibrate``: global structural parameters (noise scale σ,
loss aversion λ, a multiplier on the concession exponent e) estimated on a
library of cases by a grid posterior, each case scored out of sample
(``backtest/calibrate.py``).
"""

from pathlib import Path
from typing import Annotated

import typer

from .common import SetOpt, app, console, errors, handles_input_errors
from .experiments import ExecutorOpt, ExpOutOpt, ExpSeedOpt, RunsDirOpt, SchedulerOpt, WorkersOpt, where


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
    from ..service import execution
    from ..service.scenarios import values_of

    result = execution.calibrate(library, execution.axes_of(grid or []), runs, epsilon, seed, values_of(set_ or []),
                                 where(executor, workers, scheduler, out, runs_dir))
    console.print(cal_table(result.summary))
    console.print(f"experiment folder: {result.done.folder}", soft_wrap=True, highlight=False)
    if result.interrupted:
        errors.print(f"interrupted: {len(result.rows):,} of {len(result.experiment.tasks):,} runs scored; kept in "
                     f"{result.done.folder}", highlight=False, soft_wrap=True)
        raise typer.Exit(130)


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
