"""Run and experiment folders: unique names, ``--out`` checks, atomic writes.

Nothing here knows what the files hold. A new run folder is filled under a
temporary name and renamed into place; a file in an existing (empty)
``--out`` folder is written to a temporary file and renamed. Folder names
are never reused: ``name`` is taken, then ``name-2``, ``name-3``, …, each
claimed by an operation the file system makes exclusive (``mkdir``, or
``rename`` onto a missing folder), so two processes never share one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from ..errors import InputError

MAX_COPIES = 10_000


def run_folder_name(scenario: str, seed: int, config_hash: str) -> str:
    return f"{scenario}-s{seed}-{config_hash}"


def check_out_dir(out: Path) -> None:
    """``--out DIR`` must be new or empty: a run never lands on other files."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("--out", str(out), "a new or empty folder expected; it exists and is not empty")


def claim_unique(parent: Path, name: str, claim: Callable[[Path], None]) -> Path:
    """Call ``claim`` on ``parent/name``, then ``name-2``, ``name-3``, … until
    it succeeds, and return the path it claimed. ``claim`` must fail with an
    ``OSError`` when the path is taken; an error on a path that does not
    exist is a real failure and propagates."""
    parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, MAX_COPIES):
        candidate = parent / (name if n == 1 else f"{name}-{n}")
        try:
            claim(candidate)
            return candidate
        except OSError:
            if not candidate.exists():
                raise
    raise OSError(f"too many folders named {name} in {parent}")


def make_folder(runs_dir: Path, name: str, out: Path | None) -> Path:
    """``out`` (new or empty), or a fresh ``runs_dir/name[-k]``: created
    atomically with ``mkdir``, so two experiments never share a folder."""
    if out is not None:
        check_out_dir(out)
        out.mkdir(parents=True, exist_ok=True)
        return out
    return claim_unique(runs_dir, name, Path.mkdir)


def write_run(files: Mapping[str, str | bytes], runs_dir: Path, name: str, out: Path | None = None) -> Path:
    """Write a run folder atomically and return its path.

    Without ``out`` the folder is ``runs_dir/name``; if that already exists
    (the same scenario and seed ran before), ``name-2``, ``name-3``, … is used:
    an existing run is never overwritten.
    """
    if out is not None:
        check_out_dir(out)
        out.mkdir(parents=True, exist_ok=True)
        for filename, data in files.items():
            write_atomic(out / filename, data)
        return out
    runs_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=runs_dir))
    try:
        for filename, data in files.items():
            target = staging / filename
            target.write_bytes(data.encode() if isinstance(data, str) else data)
        # rename is atomic and fails when the target exists and is not empty
        return claim_unique(runs_dir, name, lambda final: os.rename(staging, final))
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode() if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
