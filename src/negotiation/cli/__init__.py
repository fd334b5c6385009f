"""The ``negotiation`` command: one entry point, one subcommand per task.

This module holds the application, the options commands share, and the
commands about one run or one scenario (run, compare, validate, replay,
analyze, import-genius); :mod:`negotiation.cli.experiments` holds the
commands that play many runs.

Exit status: 0 success, 1 the simulation ran but something downstream failed,
2 bad input (one line naming file, key and what is expected; no traceback).

No ``from __future__ import annotations`` here or in ``experiments.py``: typer
reads every command's signature at each start, and string annotations cost it
11 ms of eval (4 % of a ``validate``). Names imported for type checking are quoted.
"""

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import InputError
from ..runtime.terminal import SafeConsole
from ..runtime import collector
from ..runtime.environment import command_defaults
from ..inputs import DEFAULT_SCENARIO
from ..reports.score_rule import SCORE_RULE
from . import llm  # run's options for language-model parties (imports typer only)

if TYPE_CHECKING:  # the commands import what they need: `--help` must not pay for numpy, Mesa or Dask
    from ..inputs.scenario import Scenario


def _hide_flag_types(command: Any, ctx: Any) -> None:
    """A flag takes no value, so its help row shows no type: typer's rich help
    prints ``<bool>`` there (its plain help does not)."""
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""


class _OneLineUsage:
    """A mistake on the command line (``--executor thread``) is one line, exit 2, as other bad input
    (cli/usage.py, imported only then)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes ``args``; the bad value is looked up in this copy
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except Exception as exc:
            if getattr(exc, "exit_code", None) == 2:  # click's UsageError (help and --version exit 0)
                from .usage import report

                report(exc, self, ctx, given)  # exits 2 on a usage mistake, else returns
            raise


class Command(_OneLineUsage, TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _hide_flag_types(self, ctx)
        super().format_help(ctx, formatter)


class Group(_OneLineUsage, TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _hide_flag_types(self, ctx)
        super().format_help(ctx, formatter)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:
            if getattr(exc, "exit_code", None) == 2:
                from .usage import report_command

                report_command(exc, ctx, args)
            raise


app = typer.Typer(
    name="negotiation",
    cls=Group,
    help="Agent-based simulator of multi-party, multi-clause negotiations (Microsoft–OpenAI 2024–2025 and others).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command = functools.partial(app.command, cls=Command)  # type: ignore[method-assign]
console = SafeConsole()
errors = SafeConsole(stderr=True)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        console.print(f"negotiation {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(ctx: typer.Context,
             version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                   help="print the version and exit")] = False) -> None:
    """Agent-based simulator of multi-party, multi-clause negotiations (Microsoft–OpenAI 2024–2025 and others)."""
    if ctx.invoked_subcommand not in ("validate", "compare", "schema", "replay"):  # these only read and print
        collector.resume()  # the others run models, which leave cycles behind

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
            result = command(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, not in click's exit handler
            return result
        except InputError as exc:
            from .usage import fail

            fail(exc)  # the names in it as written (``[bold]x.yaml`` is a file name, not markup), on one line
        except BrokenPipeError:
            # The reader left (``| head -1``): what it wanted was written. Point
            # stdout at /dev/null so the final flush cannot fail again (Python
            # docs, "Note on SIGPIPE"), and succeed.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None

    return wrapper


def default_scenario_path() -> Path:
    """``configs/openai_microsoft_2025.yaml`` here, or in the source checkout."""
    here = Path(DEFAULT_SCENARIO)
    if here.exists():
        return here
    checkout = Path(__file__).resolve().parents[3] / DEFAULT_SCENARIO
    return checkout if checkout.exists() else here


def load(scenario: Path | None, sets: list[str] | None = None, seed: int | None = None) -> "Scenario":
    from ..inputs.scenario import load_scenario

    return load_scenario(scenario or default_scenario_path(), sets or [], seed)


@app.command()
@handles_input_errors
def run(scenario: ScenarioArg = None, seed: SeedOpt = None, set_: SetOpt = None, out: OutOpt = None,
        runs_dir: Annotated[Path, typer.Option(help="where run folders go")] = Path("runs"),
        png: Annotated[bool, typer.Option("--png/--no-png", help="draw concessions.png")] = True,
        llm_cache: llm.CacheOpt = None, llm_cache_only: llm.CacheOnlyOpt = False) -> None:
    """Run one simulation, print a summary and write a run folder."""
    from ..runtime.interrupts import exit_code, stop_signals
    from ..runs.folder import check_out_dir
    from ..reports.summary import comparison_table, run_summary
    from ..engine.simulate import simulate
    from ..inputs.scenario import scenario_truth
    from ..reports.compare import scenario_comparison
    from ..reports.run_folder import save

    spec = load(scenario, set_, seed)
    if out is not None:
        check_out_dir(out)  # refuse before spending time on the run
    truth = scenario_truth(spec)
    try:
        with stop_signals(), llm.llm_run(llm_cache, llm_cache_only):  # SIGTERM/SIGHUP as Ctrl-C: the folder
            output = simulate(spec)  # is written whole or not at all; a language model failing: none (cli/llm.py)
            if truth is not None:
                output.summary["comparison"] = scenario_comparison(output.summary, spec, truth)
            folder = save(output, runs_dir, out, png=png, truth=truth)
    except KeyboardInterrupt as exc:
        errors.print("interrupted: no run folder written", highlight=False)
        raise typer.Exit(exit_code(exc)) from None
    console.print(run_summary(output))
    if output.summary.get("comparison"):
        from ..backtest.evaluate import baseline_line

        comparison = output.summary["comparison"]
        console.print(comparison_table(comparison))
        console.print(baseline_line(spec, comparison["matched"], comparison["total"]), highlight=False)
    if spec.priors:  # inputs/priors.py: a prior is about an experiment's runs
        console.print(f"{len(spec.priors)} priors played at their values (montecarlo, whatif, sweep and backtest "
                      "draw them per run)", style="dim", highlight=False)
    console.print(f"run folder: {folder}", soft_wrap=True, highlight=False)


@app.command(help=f"Compare a run with the real deal: per clause, timing in days, one score.\n\n{SCORE_RULE}")
@handles_input_errors
def compare(run: Annotated[Path, typer.Argument(help="a run folder, or its log.jsonl")],
            truth: Annotated[Path | None, typer.Option(help="real-deal file (default: the `truth` of the "
                                                            "run's scenario.yaml; seeds/real_deal.yaml for a "
                                                            "log without one)")] = None) -> None:
    from ..reports.compare import compare_run
    from ..reports.summary import comparison_table

    comparison = compare_run(run, truth, Path(DEFAULT_SCENARIO).parent.parent / "seeds" / "real_deal.yaml")
    console.print(comparison_table(comparison))


@app.command()
@handles_input_errors
def validate(scenario: ScenarioArg = None, set_: SetOpt = None) -> None:
    """Check a scenario and say exactly what is wrong (exit 2), or summarise it."""
    from ..reports.summary import print_validation

    print_validation(console, load(scenario, set_))


@app.command(help="Print the JSON Schema (Draft 2020-12) of scenario files, for editors and validators.\n\n"
             "Point an editor at it with a first line '# yaml-language-server: $schema=PATH' in the YAML "
             "(schema/scenario.schema.json in this repository). --overlay gives the schema of partial "
             "scenarios (what-if overlays): every key optional, null deleting it.")
@handles_input_errors
def schema(out: Annotated[Path | None, typer.Option("--out", help="write it to FILE (a new file, or a schema "
                                                                  "written before) instead of printing it")] = None,
           overlay: Annotated[bool, typer.Option("--overlay", help="the schema of what-if overlays")] = False) -> None:
    from ..inputs.models import schema_text
    from ..runs.folder import write_atomic

    text = schema_text(overlay=overlay)
    if out is None:
        sys.stdout.write(text)
        return
    if out.exists() and not _is_schema(out):
        raise InputError("--out", str(out), "a new file or a JSON Schema written before expected; "
                                            "it holds something else")
    write_atomic(out, text)


def _is_schema(path: Path) -> bool:
    import json

    try:
        return "$schema" in json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False


@app.command()
@handles_input_errors
def replay(run: Annotated[Path, typer.Argument(help="a run folder, or its log.jsonl")],
           round_: Annotated[int | None, typer.Option("--round", help="jump to round K and stop there")] = None,
           from_: Annotated[int | None, typer.Option("--from", help="first round to show")] = None,
           to: Annotated[int | None, typer.Option("--to", help="last round to show")] = None,
           party: Annotated[str | None, typer.Option("--party", help="only what this party did and saw")] = None,
           speed: Annotated[float, typer.Option("--speed", help="seconds per round when animating")] = 0.4,
           no_animate: Annotated[bool, typer.Option("--no-animate", help="print everything at once")] = False,
           ) -> None:
    """Replay a run's log round by round (read from the log; nothing is re-run).

    Animated in a terminal; plain text when piped. Exit 2 if the log is
    truncated (after showing every complete record) or corrupt."""
    from ..reports.replay.state import check_range, load_replay
    from ..reports.replay.view import play

    if round_ is not None and (from_ is not None or to is not None):
        raise InputError("--round", str(round_), "either --round or --from/--to expected, not both")
    if speed < 0:
        raise InputError("--speed", str(speed), "a number of seconds >= 0 expected")
    shown = load_replay(run)
    if round_ is not None:
        first, last = check_range(shown, round_, round_, ("--round", "--round"))
    else:
        first, last = check_range(shown, from_, to)
    if party is not None:
        shown = shown.seen_by(party)
    try:
        play(shown, console, first, last, animate=console.is_terminal and not no_animate, speed=speed)
    except KeyboardInterrupt:
        errors.print("replay stopped", highlight=False)
        raise typer.Exit(130) from None
    if shown.problem:
        raise InputError(shown.path, "", shown.problem)


@app.command(help="Pareto frontier, Nash, Kalai–Smorodinsky, utilitarian and egalitarian points; "
                  "with --run, the run's outcome and the real deal placed against them. Prints a table, "
                  "writes a PNG (and JSON with --json).")
@handles_input_errors
def analyze(scenario: ScenarioArg = None,
            run: Annotated[Path | None, typer.Option("--run", help="a run folder (or its log.jsonl) to place "
                                                     "against the points; without SCENARIO, its scenario.yaml")] = None,
            json_out: Annotated[Path | None, typer.Option("--json", help="write the analysis as JSON here")] = None,
            png: Annotated[Path | None, typer.Option("--png", help="PNG path (default: frontier.png beside the run, "
                                                     "else runs/analysis-<scenario>.png)")] = None,
            no_png: Annotated[bool, typer.Option("--no-png", help="do not draw the PNG")] = False,
            x: Annotated[str | None, typer.Option("--x", help="party on the x axis (default: the first)")] = None,
            y: Annotated[str | None, typer.Option("--y", help="party on the y axis (default: the second)")] = None,
            colour: Annotated[str | None, typer.Option("--colour", help="with 3+ parties, party whose utility "
                                                       "colours the frontier (default: the third)")] = None,
            set_: SetOpt = None) -> None:
    """Bargaining analysis of a scenario (lazy imports: numpy work only here)."""
    from ..reports.analysis.report import analyse_scenario, report, to_json
    from ..runs.folder import write_atomic

    if scenario is None and run is not None:
        folder = run if run.is_dir() else run.parent
        scenario = folder / "scenario.yaml" if (folder / "scenario.yaml").is_file() else None
    spec = load(scenario, set_)
    from ..domain.clausewise import searched_clausewise

    if searched_clausewise(spec.space):  # too large to enumerate: the exact frontier, searched clause by clause
        from ..reports.analysis.large import command

        command(console, spec, run, json_out)
        return
    sa = analyse_scenario(spec, run)
    from ..reports.analysis.plots import pick_parties

    pick_parties(sa, x, y, colour)  # bad --x/--y/--colour: exit 2 before printing anything
    console.print(report(sa))
    if json_out is not None:
        import json

        write_atomic(json_out, json.dumps(to_json(sa), indent=2, ensure_ascii=False) + "\n")
        console.print(f"JSON: {json_out}", soft_wrap=True, highlight=False)
    if not no_png:
        from ..reports.analysis.plots import frontier_png

        if png is None:
            png = ((run if run.is_dir() else run.parent) / "frontier.png" if run is not None
                   else Path("runs") / f"analysis-{spec.name}.png")
        console.print(f"PNG: {frontier_png(sa, png, x, y, colour)}", soft_wrap=True, highlight=False)


@app.command("import-genius", help="Turn a GENIUS domain and its linear additive profiles (discrete issues) into "
                                   "a scenario YAML. A discount factor below 1 is not modelled: it is noted in "
                                   "the description and warned about.")
@handles_input_errors
def import_genius(domain: Annotated[Path, typer.Argument(help="the GENIUS domain XML")],
                  profiles: Annotated[list[Path], typer.Argument(help="two or more GENIUS utility profiles")],
                  out: Annotated[Path | None, typer.Option("-o", "--out", help="scenario YAML to write "
                                                           "(default: configs/<name>.yaml)")] = None,
                  names: Annotated[str | None, typer.Option("--names", help="party names, comma-separated "
                                                            "(default: the profiles' file names)")] = None,
                  name: Annotated[str | None, typer.Option("--name", help="scenario name (default: from the "
                                                           "domain's file name)")] = None,
                  rounds: Annotated[int, typer.Option("--rounds", help="daily rounds in the calendar")] = 60,
                  force: Annotated[bool, typer.Option("--force", help="replace an existing file")] = False) -> None:
    """Import GENIUS XML files into scenario YAML, validated before it is written."""
    from ..inputs import genius
    from ..runs.folder import write_atomic

    names_list = names.split(",") if names is not None else None
    target = out or Path("configs") / "pending.yaml"
    text, notes = genius.import_genius(domain, profiles, target, names_list, name, rounds)
    if out is None:
        from ..inputs.config import safe_load

        target = Path("configs") / f"{safe_load(text)['name']}.yaml"
    if target.exists() and not force:
        raise InputError("-o", str(target), "a new file expected; it exists (add --force to replace it)")
    for note in notes:
        errors.print(f"[yellow]warning:[/] {note}", highlight=False, soft_wrap=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    console.print(f"scenario: {target}", soft_wrap=True, highlight=False)


# sweep, montecarlo, whatif, backtest, bench and calibrate register themselves on ``app``; tournament and export-genius too
from . import experiments, others, calibrate  # noqa: E402,F401


def main() -> None:
    """Entry point of the ``negotiation`` command and of ``python -m negotiation``."""
    command_defaults()  # before numpy or a validator: BLAS threads, pydantic plugins (runtime/environment.py)
    collector.pause()  # what start-up makes lives to the end: no collection meanwhile (runtime/collector.py)
    try:
        app(prog_name="negotiation")
    finally:
        collector.freeze_for_exit()  # the process ends here: a shutdown without the collector's pass
