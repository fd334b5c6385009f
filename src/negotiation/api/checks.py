"""The checks the CLI's parser makes, made for Python callers too.

typer turns ``--runs`` into an ``int`` before a command sees it; a Python
caller can pass ``True``, ``2.7``, ``-1`` or ``2**70``, and ``"a=b"`` where a
list of overrides belongs. Each is refused here with the same one-line
:class:`~negotiation.errors.InputError` the CLI gives, naming the function's
parameter (``runs``), not the CLI's flag (``--runs``); the service and
the layers under it name their parameters the same way, so their errors
reach a Python caller as they are raised.

It also decides where an experiment's runs execute when the caller did not
say (:func:`default_executor`): local worker processes start by importing
the caller's main module, so a script that calls ``montecarlo`` at its top
level, outside ``if __name__ == "__main__":``, would run again in every
worker and start workers of its own (Python docs, multiprocessing,
"Safe importing of main module").
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError

MAX_SEED = 2**63 - 1  # what a scenario's seed: accepts (scenarios/models.py)


def whole(value: Any, name: str, least: int = 1) -> int:
    """A whole number ≥ ``least`` (not a boolean, not 2.0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(name, repr(value), f"a whole number ≥ {least} expected, got {type(value).__name__}")
    if value < least:
        raise InputError(name, repr(value), f"a whole number ≥ {least} expected")
    return value


def optional_whole(value: Any, name: str, least: int = 1) -> int | None:
    return None if value is None else whole(value, name, least)


def seed(value: Any, name: str = "seed") -> int | None:
    """None (the scenario's seed) or a seed a scenario file could hold."""
    if value is None:
        return None
    whole(value, name, 0)
    if value > MAX_SEED:
        raise InputError(name, repr(value), "a whole number from 0 to 2**63 - 1 expected")
    return value


def number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, repr(value), f"a number expected, got {type(value).__name__}")
    return float(value)


def values(sets: Any, name: str = "sets") -> dict[str, Any]:
    """``sets`` as the values the service takes (dotted path → value): a
    mapping as given, or ``--set`` text, one ``"path=value"`` or a list of
    them (a string is one, never its letters)."""
    from ..service.scenarios import values_of

    if isinstance(sets, str):
        return values_of([sets])
    if isinstance(sets, Mapping):
        return dict(sets)
    if not isinstance(sets, Sequence) or not all(isinstance(s, str) for s in sets):
        raise InputError(name, repr(sets), '{path: value}, "path=value" or a list of them expected')
    return values_of(list(sets))


def flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(name, repr(value), f"True or False expected, got {type(value).__name__}")
    return value


# -- where runs execute ----------------------------------------------------------------

def default_executor(executor: str | None) -> str:
    """``executor`` as given, else ``processes``, unless worker processes would
    re-run the calling script: then ``inprocess``. Asked for explicitly,
    ``processes`` or a local ``dask`` cluster is refused in that case, with
    the one line that says how to fix it, rather than failing in every worker
    with ``BrokenProcessPool``."""
    risky = main_reruns()
    if executor is None:
        return "inprocess" if risky else "processes"
    if risky and executor in ("processes", "dask"):
        raise InputError("executor", executor, f"{risky}; put the call under `if __name__ == \"__main__\":` "
                                               "or pass executor=\"inprocess\"")
    return executor


def main_reruns() -> str:
    """Why worker processes would re-run the caller's main module, or ``""``.

    Worker processes (``forkserver`` or ``spawn``) import the main module
    from its file before they run anything. That is harmless once the main
    module has finished importing, or when the call sits under ``if
    __name__ == "__main__":``; it is not when the call is made by the main
    module's top-level code outside that guard (the workers would make it
    again), nor when the main module came from standard input (``python -``:
    the workers look for a file named ``<stdin>``). Notebooks, the REPL and
    ``python -c`` have no main file: the workers do not import it."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or not isinstance(path, str):
        return ""
    if not Path(path).is_file():
        return f"the main module ({path}) is not a file that worker processes can import"
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals is vars(main) and frame.f_code.co_name == "<module>":
            return "" if guarded(path, frame.f_lineno) else \
                f"{Path(path).name} calls it at line {frame.f_lineno}, outside `if __name__ == \"__main__\":`, " \
                "so every worker process would run the script again"
        frame = frame.f_back  # type: ignore[assignment]
    return ""


def guarded(path: str, line: int) -> bool:
    """Is ``line`` of the file inside an ``if __name__ == "__main__":`` block?"""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return False
    return any(isinstance(node, ast.If) and _is_main_test(node.test)
               and any(s.lineno <= line <= (s.end_lineno or s.lineno) for s in node.body)
               for node in ast.walk(tree))  # the guard may sit in a try: or with: block


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    texts = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and texts == ["__main__"]

