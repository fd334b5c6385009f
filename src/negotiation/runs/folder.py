"""Run and experiment folders: unique names, ``--out`` checks, atomic writes.

Nothing here knows what the files hold. A run folder is filled under a
staging name and renamed into place, so it never exists half-written; an
experiment folder, which grows row by row, is marked incomplete until
its summary is written (:func:`complete`, which every writer reaches through
``experiments.execute.finish``); files are written to a temporary name and
renamed, with the modes the user's umask gives (``tempfile`` alone makes
them 0600 and folders 0700).
Every temporary name carries the writer's process id, so what a killed
process left behind is recognised and removed by the next claim in the same
folder (:func:`clean_stale`). Folder names
are never reused: ``name`` is taken, then ``name-2``, ``name-3``, …, each
claimed by an operation the file system makes exclusive (``mkdir``, or
``rename`` onto a missing folder), so two processes never share one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from ..runtime.terminal import clean

MAX_COPIES = 10_000
STAGING = ".negotiation-staging-"  # a run folder being written: …<pid>-<random>, renamed into place when full
TEMP = ".negotiation-tmp-"  # a file being written: …<pid>-<name>.<random>, renamed into place
INCOMPLETE = ".negotiation-incomplete"  # in an experiment folder until its summary is written: the writer's pid
DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


def run_folder_name(scenario: str, seed: int, config_hash: str) -> str:
    return f"{scenario}-s{seed}-{config_hash}"


def umask() -> int:
    """The process's umask, read without changing it where Linux shows it
    (``os.umask`` alone must set one to read it, a race with other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_out_dir(out: Path) -> None:
    """``--out DIR`` must be new or empty: a run never lands on other files.
    An experiment's folder still marked incomplete says why it is not empty:
    another process is writing there, or one was killed before it finished
    (its rows stay for the user to read or delete; nothing is removed)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("out", str(out), "a new or empty folder expected; " + _occupant(out))


def _occupant(out: Path) -> str:
    if not out.is_dir():
        return "it is a file"
    pid = _marker_pid(out)
    if pid is None:
        return "it exists and is not empty"
    if _alive(pid):
        return f"another process ({pid}) is writing there"
    return (f"it holds an experiment whose process ({pid}) was killed before it finished (results.csv "
            "holds the rows it had); delete the folder or choose another")


def _marker_pid(folder: Path) -> int | None:
    try:
        return int((folder / INCOMPLETE).read_text().strip() or 0)
    except (OSError, ValueError):
        return None


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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process: not ours to judge
    return True


def _pid_in(name: str, prefix: str) -> int | None:
    match = re.match(re.escape(prefix) + r"(\d+)-", name)
    return int(match[1]) if match else None


def clean_stale(parent: Path, folders: bool = True) -> None:
    """Remove what killed processes left in ``parent``: staging folders and
    temporary files of processes that no longer exist and, with ``folders``
    (in the runs folder, not in whatever folder holds an ``--out``),
    experiment folders still marked incomplete by one. A live process's work
    is left alone."""
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for entry in entries:
        pid = _pid_in(entry.name, STAGING) or _pid_in(entry.name, TEMP)
        killed = pid is None and folders and entry.is_dir() and not entry.is_symlink()
        if killed:
            pid = _marker_pid(entry)
        if pid is None or _alive(pid):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        if killed and not entry.exists():  # a folder the user may have seen: say where it went
            sys.stderr.write(clean(f"removed {entry}: an experiment killed before it finished (process {pid})")
                             + "\n")


@contextmanager
def output_errors(where: Path) -> Iterator[None]:
    """A full disk, a quota, a read-only or forbidden folder: one line naming
    the folder (exit 2), not an ``OSError`` traceback."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in DISK_ERRNOS:
            raise
        raise InputError(where, "", f"a writable folder with free space expected ({os.strerror(exc.errno)}); "
                                    "nothing was kept") from None


def _mark(folder: Path) -> None:
    """Claim ``folder`` for this process: create its incomplete marker,
    exclusively; InputError if another process holds it or wrote there."""
    try:
        fd = os.open(folder / INCOMPLETE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InputError("out", str(folder), "a new or empty folder expected; another process is writing "
                                               "there") from None
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()}\n")
    except BaseException:  # a full disk: an empty marker would claim the folder for no process, forever
        (folder / INCOMPLETE).unlink(missing_ok=True)
        raise
    if any(e.name != INCOMPLETE for e in folder.iterdir()):
        (folder / INCOMPLETE).unlink(missing_ok=True)
        raise InputError("out", str(folder), "a new or empty folder expected; another process is writing there")


def make_folder(runs_dir: Path, name: str, out: Path | None) -> Path:
    """Claim a folder an experiment fills as it goes: ``out`` (new or empty)
    or a fresh ``runs_dir/name[-k]`` (``mkdir`` is exclusive), marked
    incomplete (``INCOMPLETE``) until :func:`complete` says its summary is written. Two
    experiments never share a folder: the marker is created exclusively."""
    if out is not None:
        check_out_dir(out)
        with output_errors(out):
            out.parent.mkdir(parents=True, exist_ok=True)
            clean_stale(out.parent, folders=False)
            try:
                out.mkdir()
                made = True
            except FileExistsError:
                made = False  # an empty folder the user made: the marker decides who gets it
            _mark_or_undo(out, made)
        return out
    with output_errors(runs_dir):
        runs_dir.mkdir(parents=True, exist_ok=True)
        clean_stale(runs_dir)
        folder = claim_unique(runs_dir, name, Path.mkdir)
        _mark_or_undo(folder, True)
    return folder


def _mark_or_undo(folder: Path, made: bool) -> None:
    """Mark a claimed folder; if that fails (no room even for the marker),
    remove the folder this process made: "nothing was kept" stays true."""
    try:
        _mark(folder)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def complete(folder: Path) -> None:
    """The folder holds everything it should: drop its incomplete marker.
    Called only by ``experiments.execute.finish``, so no writer forgets it
    (a folder left marked is removed by the next command as a killed one's)."""
    (folder / INCOMPLETE).unlink(missing_ok=True)


def discard(folder: Path, created: bool) -> None:
    """Undo a claim after a failure: remove the folder if this process made
    it, else empty it (an ``--out`` folder the user made stays, empty)."""
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def write_run(files: Mapping[str, str | bytes], runs_dir: Path, name: str, out: Path | None = None) -> Path:
    """Write a run folder atomically and return its path.

    The files go into a staging folder (``STAGING<pid>-…``) beside the
    target, which is renamed into place once all are written: a run folder
    either holds every file or does not exist, whatever kills the process.
    Without ``out`` the folder is ``runs_dir/name``; if that already exists
    (the same scenario and seed ran before), ``name-2``, ``name-3``, … is used:
    an existing run is never overwritten. ``out`` must be new or empty (a
    rename onto an empty folder replaces it; onto a non-empty one it fails).
    """
    parent = out.parent if out is not None else runs_dir
    if out is not None:
        check_out_dir(out)
    with output_errors(parent):
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale(parent, folders=out is None)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=parent))
        staging.chmod(0o777 & ~umask())  # mkdtemp makes it 0700, whatever the umask
    try:
        with output_errors(parent):
            for filename, data in files.items():
                (staging / filename).write_bytes(data.encode() if isinstance(data, str) else data)
        if out is not None:
            try:
                os.rename(staging, out)
            except OSError:
                if out.exists():
                    raise InputError("out", str(out), "a new or empty folder expected; another process "
                                                        "wrote there meanwhile") from None
                raise
            return out
        # rename is atomic and fails when the target exists and is not empty
        return claim_unique(runs_dir, name, lambda final: os.rename(staging, final))
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` (``TEMP<pid>-…``, removed by
    :func:`clean_stale` if the process dies first) and rename it into place."""
    with output_errors(path.parent):
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP}{os.getpid()}-{path.name}.", dir=path.parent)
        try:
            os.fchmod(fd, 0o666 & ~umask())  # mkstemp makes it 0600, whatever the umask
            with os.fdopen(fd, "wb") as fh:
                fh.write(data.encode() if isinstance(data, str) else data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
