"""The ``negotiation`` application and what its commands share: the typer
app and its one-line usage errors, the consoles, the shared options, bad
input as one line and exit 2, the default scenario. Every command module
imports these from here, and ``cli/__init__.py`` imports the command
modules: the imports run one way (``tests/test_layout.py`` fails on a cycle).

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
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
from ..runtime import collector
from ..inputs import DEFAULT_SCENARIO
from .consoles import console, errors  # noqa: F401 - the commands' consoles, shared from here

if TYPE_CHECKING:  # the commands import what they need: `--help` must not pay for numpy, Mesa or Dask
    from ..domain.scenario import Scenario


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
            from .flags import as_flags
            from .usage import fail

            fail(as_flags(exc))  # the service's parameters (`runs`) as the flags typed (--runs)  # the names in it as written (``[bold]x.yaml`` is a file name, not markup), on one line
        except KeyboardInterrupt as exc:  # a stop signal held until a folder was whole: 128 + its number
            from ..runtime.interrupts import exit_code

            raise typer.Exit(exit_code(exc)) from None
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
    """The scenario named (else the default), its ``--set`` strings parsed into values for the service."""
    from ..service import scenarios

    return scenarios.load(scenario or default_scenario_path(), scenarios.values_of(sets or []), (), seed)
