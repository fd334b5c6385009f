"""Bad input as one line on stderr: the ``InputError`` a command raises, and
command-line mistakes caught while parsing.

The line shows names and values as written: a file called ``[bold]x.yaml``
is not rich markup, and a newline typed into a value shows as ``␊``.

Typer (through click) checks an option's type before the command runs: a
word where a number goes, a value outside a list of choices (``--executor
thread``), an unknown option or command, an option without its value. Left
alone, it prints a usage block in a box. Every other bad input of
``negotiation`` is one line on stderr naming where it came from, the bad
value and what is expected, with exit status 2 (docs/architecture.md,
"Contracts: CLI"); this module gives parsing mistakes the same line, by the
:class:`~negotiation.errors.InputError` format, before anything is read or
written. Help text, shell completion and the listed choices stay typer's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

import typer

try:  # recent typer carries its own copy of click (typer._click)
    from typer._click.exceptions import (BadOptionUsage, BadParameter, MissingParameter, NoArgsIsHelpError,
                                         NoSuchOption, UsageError)
except ImportError:  # pragma: no cover - older typer uses click itself
    from click.exceptions import (BadOptionUsage, BadParameter, MissingParameter,  # type: ignore[assignment]
                                  NoSuchOption, UsageError)

    try:
        from click.exceptions import NoArgsIsHelpError  # type: ignore[assignment]  # click ≥ 8.2
    except ImportError:
        class NoArgsIsHelpError(Exception):  # type: ignore[no-redef]  # never raised: click shows help itself
            pass

from ..errors import InputError

#: what a value of these annotations must look like, in the words the commands use
KINDS = {int: "a whole number", float: "a number"}


def report(exc: Exception, command: Any, ctx: Any, given: list[str]) -> None:
    """Print a usage mistake met while ``command`` parsed ``given`` as one
    line on stderr and exit 2; return on anything else (asking for help with
    no arguments is not a mistake: it stays typer's)."""
    if isinstance(exc, UsageError) and not isinstance(exc, NoArgsIsHelpError):
        fail(InputError(*explain(exc, command, ctx, given)))


def report_command(exc: Exception, ctx: Any, args: list[str]) -> None:
    """An unknown command as one line naming the commands there are (exit 2)."""
    if isinstance(exc, UsageError):
        from difflib import get_close_matches

        name = args[0] if args else ""
        commands = ctx.command.list_commands(ctx)
        near = get_close_matches(name, commands, n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        fail(InputError(ctx.command_path, name, f"a command expected, one of {', '.join(commands)}{hint}"))


def fail(error: InputError) -> NoReturn:
    """``error`` as the one red line on stderr, exit 2 (every bad input of every command ends here)."""
    from rich.markup import escape

    from .consoles import errors

    line = error.message.replace("\n", "\u240a")  # a newline typed into a value stays on the one line, as ␊
    errors.print(f"[bold red]error:[/] {escape(line)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(2)


def explain(exc: Exception, command: Any, ctx: Any, given: list[str]) -> tuple[str, str, str]:
    """(where, the bad value, what is expected) for a parsing mistake."""
    if isinstance(exc, NoSuchOption):
        near = f"; did you mean {_or(sorted(exc.possibilities))}?" if exc.possibilities else ""
        return exc.option_name, "", f"not an option of {ctx.command_path} (-h lists them){near}"
    if isinstance(exc, BadOptionUsage):
        param = _option_named(command, exc.option_name)
        if param is not None and getattr(param, "is_flag", False):  # ``--no-png=1``
            return exc.option_name, "", f"no value expected: a flag ({exc.option_name}, not {exc.option_name}=…)"
        kind = _kind(param) if param is not None else None
        return exc.option_name, "", "a value expected" + (f" ({kind})" if kind else "")
    param = getattr(exc, "param", None)
    if isinstance(exc, MissingParameter) and param is not None:
        wanted = _kind(param) or getattr(param, "help", None) or "a value"
        return ctx.command_path, _name(param), f"{wanted} expected; none given"
    if isinstance(exc, BadParameter) and param is not None:
        kind = _kind(param)
        return (_name(param), _given_value(command, ctx, given, param),
                f"{kind} expected" if kind else _sentence(exc.format_message()))
    return ctx.command_path, "", _sentence(exc.format_message())


def _name(param: Any) -> str:
    """``--executor`` for an option (its long name), ``SCENARIO`` for an argument."""
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("-")]
    return max(opts, key=len) if opts else str(param.name).upper()


def _option_named(command: Any, option: str) -> Any:
    return next((p for p in command.params
                 if option in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ()))), None)


def _kind(param: Any) -> str | None:
    """What a value of ``param`` must be: its listed choices, or a number; None when typer knows better."""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        choices = desc.choices if desc.is_choice else None
    else:  # pragma: no cover - older typer: a click.Choice
        choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return f"one of {', '.join(str(getattr(c, 'value', c)) for c in choices)}"
    return KINDS.get(getattr(desc, "annotation", None))


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _given_value(command: Any, ctx: Any, given: list[str], param: Any) -> str:
    """The text the user gave ``param``: the command line parsed again, without types."""
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(args=list(given))
    except Exception:  # noqa: BLE001 - the line is still useful without the value
        return ""
    value = opts.get(param.name)
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _sentence(message: str) -> str:
    """typer's message as a clause of our line: one line, no "Value error," prefix, no final stop."""
    text = " ".join(message.split()).removeprefix("Value error, ").rstrip(".")
    return text[:1].lower() + text[1:]
