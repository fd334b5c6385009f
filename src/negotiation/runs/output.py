"""Files the user names on the command line (``--json``, ``--png``,
``schema --out``): one rule for all of them.

- ``-``, or a path that is this process's standard output (``/dev/stdout``,
  ``/proc/self/fd/1``): the bytes go to standard output, and the command
  prints what it has for people on stderr instead.
- A pipe or a character device (a FIFO, ``/dev/null``, ``/dev/stderr``, a
  shell's ``>(jq .)``): written into, never replaced by a regular file.
- A folder, a socket or a block device: exit 2, one line.
- A new path: written atomically (``folder.write_atomic``: whole or absent,
  mode from the umask), its folders created.
- An existing regular file is replaced only when it is one this program
  wrote for the same option, recognised by its content (``ours``): the same
  kind of JSON, or a PNG signed ``Software: negotiation``. Anything else
  exits 2 and stays as it was: a command never overwrites what the user
  wrote. A symbolic link stays a link: the file it points to is replaced.

:func:`check` applies the rule before any work (so a refused ``--json`` costs
no Monte Carlo), :func:`write` when the data is ready.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError
from .folder import write_atomic

Ours = Callable[[bytes], bool]
MAX_SNIFF = 256 * 1024 * 1024  # a file larger than this is not one of ours (reading it would be the cost)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_SOFTWARE = "negotiation"  # the tEXt "Software" value of the PNGs users name (``--png``)


def json_with(keys: Collection[str], values: Mapping[str, Collection[Any]] | None = None) -> Ours:
    """Recognises a JSON object holding ``keys`` (and, for each of ``values``'
    keys, one of the values given): a document of the kind we write."""
    def ours(data: bytes) -> bool:
        try:
            document = json.loads(data)
        except ValueError:
            return False
        return (isinstance(document, dict) and set(keys) <= document.keys()
                and all(document.get(k) in allowed for k, allowed in (values or {}).items()))
    return ours


def png_by_us(data: bytes) -> bool:
    """A PNG whose ``Software`` text chunk says this program drew it."""
    return data.startswith(PNG_SIGNATURE) and b"tEXtSoftware\x00" + PNG_SOFTWARE.encode() in data[:4096]


def anything(data: bytes) -> bool:
    """For a path the program chose itself (a default PNG in a runs folder)."""
    return True


def to_stdout(path: Path | None) -> bool:
    """Whether writing ``path`` means writing this process's standard output."""
    if path is None:
        return False
    if str(path) == "-":
        return True
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def check(path: Path | None, option: str, ours: Ours, what: str) -> None:
    """Refuse, before any work, a path the data may not go to (see the module
    docstring); ``what`` names our kind of file in the message."""
    if path is None or to_stdout(path):
        return
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        _check_parent(path, option)
        return
    except OSError as exc:
        raise InputError(option, str(path), f"a file path expected ({os.strerror(exc.errno or 0)})") from None
    if stat.S_ISDIR(mode):
        raise InputError(option, str(path), "a file path expected; it is a folder")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return  # written into as it is
    if not stat.S_ISREG(mode):
        raise InputError(option, str(path), "a file, a pipe or - (standard output) expected; it is "
                                            + ("a socket" if stat.S_ISSOCK(mode) else "a block device"))
    if not _is_ours(Path(os.path.realpath(path)), ours):
        raise InputError(option, str(path), f"a new file, or {what} written before, expected; it holds "
                                            "something else (remove it or choose another path)")


def write(path: Path, data: str | bytes, option: str, ours: Ours, what: str) -> str:
    """Write ``data`` by the rule; returns where it went, for the message."""
    raw = data.encode() if isinstance(data, str) else data
    check(path, option, ours, what)
    if to_stdout(path):
        with _device_errors(path, option):
            sys.stdout.flush()
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
        return "standard output" if str(path) == "-" else str(path)
    target = Path(os.path.realpath(path))  # through a symbolic link, not over it
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = 0
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        with _device_errors(path, option), open(target, "wb") as fh:
            fh.write(raw)
        return str(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(option, str(path), "a path inside a folder expected; a file is in the way") from None
    write_atomic(target, raw)
    return str(path)


@contextmanager
def _device_errors(path: Path, option: str) -> Iterator[None]:
    """A device or pipe that refuses the bytes (``/dev/full``, a closed
    terminal): one line. A reader that left a pipe (``| head``) is not an
    error of ours: the CLI exits 0 on it."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputError(option, str(path), f"somewhere that takes the data expected "
                                            f"({os.strerror(exc.errno or 0)})") from None


def _check_parent(path: Path, option: str) -> None:
    for parent in Path(os.path.realpath(path)).parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(option, str(path), "a path inside a folder expected; "
                                                    f"{_relative(parent)} is not a folder")
            return


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _is_ours(path: Path, ours: Ours) -> bool:
    try:
        if path.stat().st_size > MAX_SNIFF:
            return False
        return ours(path.read_bytes())
    except OSError:
        return False
