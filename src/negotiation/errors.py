"""The one exception bad input raises.

Users see exactly one line for bad input: the file, the key path inside it and
what was expected. The CLI turns an :class:`InputError` into that line and exit
status 2; nothing else in the package prints or exits, so library users get a
normal exception they can catch.
"""

from __future__ import annotations

from collections.abc import Mapping


class InputError(Exception):
    """Bad input from a file or the command line.

    ``source`` is the file (or the parameter: ``sets``, ``runs``) the input
    came from, ``key`` the dotted key path inside it (empty for the whole
    file), ``expected`` what would have been valid. Below the front doors a
    parameter is named as the service names it (in the text, `` `runs` ``):
    the CLI shows its flags (``cli/flags.py``), the API its parameters.
    """

    def __init__(self, source: str, key: str, expected: str) -> None:
        self.source = str(source)
        self.key = key
        self.expected = expected
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"{self.source}: {self.key}" if self.key else self.source
        return f"{where}: {self.expected}"


def blame(source: str, key: str, expected: str, touched: Mapping[str, str] | None = None) -> InputError:
    """An InputError at ``key``; if a value set on the scenario (``sets``, the
    CLI's ``--set``) wrote that key (or a parent of it), the error says so.
    ``touched``: key path → the ``path=value`` that wrote it."""
    origin = next((expr for path, expr in (touched or {}).items() if key == path or key.startswith(path + ".")),
                  None)
    return InputError(f"{source} (with `sets` {origin})" if origin else source, key, expected)
