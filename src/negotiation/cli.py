"""The ``negotiation`` command: one entry point, one subcommand per task.

Exit status: 0 success, 1 the simulation ran but something downstream failed,
2 bad input (one line naming file, key and what is expected; no traceback).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from .errors import InputError
from .scenario import DEFAULT_SCENARIO, Scenario, load_scenario

app = typer.Typer(
    name="negotiation",
    help="Agent-based simulator of multi-party, multi-clause negotiations (Microsoft–OpenAI 2024–2025 and others).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

ScenarioArg = Annotated[Path | None, typer.Argument(help=f"scenario YAML (default: {DEFAULT_SCENARIO})",
                                                    show_default=False)]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="override a scenario value: dotted.path=value "
                                                                "(repeatable), e.g. parties.openai.strategy.e=0.3")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="random seed (default: the scenario's)")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="write the run folder here (new or empty folder)")]


def handles_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input → one red line on stderr and exit 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            errors.print(f"[bold red]error:[/] {exc.message}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def default_scenario_path() -> Path:
    """``configs/openai_microsoft_2025.yaml`` here, or in the source checkout."""
    here = Path(DEFAULT_SCENARIO)
    if here.exists():
        return here
    checkout = Path(__file__).resolve().parents[2] / DEFAULT_SCENARIO
    return checkout if checkout.exists() else here


def load(scenario: Path | None, sets: list[str] | None = None, seed: int | None = None) -> Scenario:
    return load_scenario(scenario or default_scenario_path(), sets or [], seed)


@app.command()
@handles_input_errors
def run(scenario: ScenarioArg = None, seed: SeedOpt = None, set_: SetOpt = None, out: OutOpt = None,
        runs_dir: Annotated[Path, typer.Option(help="where run folders go")] = Path("runs")) -> None:
    """Run one simulation, print a summary and write a run folder."""
    from .log import check_out_dir
    from .report import run_summary
    from .runner import save, simulate

    spec = load(scenario, set_, seed)
    if out is not None:
        check_out_dir(out)  # refuse before spending time on the run
    output = simulate(spec)
    folder = save(output, runs_dir, out)
    console.print(run_summary(output))
    console.print(f"run folder: {folder}", soft_wrap=True, highlight=False)


@app.command()
@handles_input_errors
def validate(scenario: ScenarioArg = None, set_: SetOpt = None) -> None:
    """Check a scenario and say exactly what is wrong (exit 2), or summarise it."""
    from .report import print_validation

    print_validation(console, load(scenario, set_))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="negotiation")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
