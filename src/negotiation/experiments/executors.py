"""Where experiment runs execute: this process, local processes, or Dask.

Runs are independent, so every executor does the same thing: take batches
of tasks, call one worker function on each batch somewhere, and hand back
each batch's results as soon as it is done (not in submission order: the
caller sorts rows by run index, so results never depend on who finished
first). A run takes tens of milliseconds; batching several into one task
keeps the per-task cost of pickling and scheduling small.

- ``inprocess``: one run at a time in this process (no start-up cost; the
  reference every other executor must match row for row).
- ``processes`` (the default): a ``concurrent.futures`` pool of local
  processes started with ``forkserver`` where the platform has it, else
  ``spawn``; never ``fork``, which is unsafe once threads exist.
- ``dask``: a ``distributed.LocalCluster`` on the loopback interface, or an
  existing cluster joined with ``scheduler="tcp://host:port"`` (its workers
  need this package installed).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..runtime.orphans import die_with_parent, gone, pool_parent

KINDS = ("inprocess", "processes", "dask")
# Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536 so that idle
# workers hand memory back to the OS. A run allocates and frees arrays of the
# whole outcome space every round, and that setting turns each of them into
# fresh page faults: runs were 3-4x slower than in a plain process. Our
# LocalCluster leaves glibc's own (adaptive) threshold in place.
NO_MALLOC_TRIM = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
CONNECT_TIMEOUT = "10s"  # to reach an existing Dask scheduler
MAX_BATCH = 25  # runs per task: about a second or two of work for the default scenario

Worker = Callable[[Any, Sequence[Any]], list[Any]]


@dataclass(frozen=True)
class ExecutorSpec:
    """What the user asked for on the command line."""

    kind: str = "processes"
    workers: int | None = None  # None: every core (local) or whatever the cluster has
    scheduler: str | None = None  # tcp://host:port of an existing Dask scheduler

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError("executor", self.kind, f"one of {', '.join(KINDS)} expected")
        if self.workers is not None and self.workers < 1:
            raise InputError("workers", str(self.workers), "a positive number of workers expected")
        if self.scheduler is not None and self.kind != "dask":
            raise InputError("scheduler", self.scheduler, "only meaningful with `executor` dask")
        if self.scheduler is not None and not self.scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise InputError("scheduler", self.scheduler,
                             "a Dask scheduler address like tcp://10.0.0.5:8786 expected")


def batches(tasks: Sequence[Any], workers: int, size: int | None = None) -> list[list[Any]]:
    """Split tasks into consecutive batches: about six per worker (so a slow
    batch does not leave the others idle at the end), at most ``MAX_BATCH``
    runs each (so progress moves and Ctrl-C is answered within seconds)."""
    if size is None:
        size = max(1, min(MAX_BATCH, math.ceil(len(tasks) / (max(1, workers) * 6))))
    return [list(tasks[i:i + size]) for i in range(0, len(tasks), size)]


STOPS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
WATCH_SECONDS = 0.5


def _init_worker(parent: int, started: Any = None, defer: bool = False) -> None:
    """Pool workers leave Ctrl-C, SIGTERM and SIGHUP (sent to the whole
    process group by a terminal, ``timeout --foreground`` or systemd) to the
    parent, which cancels what is pending and shuts them down. A parent killed
    outright (SIGKILL) can do neither, and a worker blocked on its task queue
    would wait forever: each worker watches the parent and exits when it is
    gone, so none is left orphaned."""
    for s in STOPS:
        signal.signal(s, signal.SIG_IGN)
    die_with_parent()  # the kernel kills this worker when the forkserver exits (runtime/orphans.py)
    if not _running(parent):  # the experiment went while this worker was being forked
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent, os.getppid()), name="watch-parent", daemon=True).start()
    if defer:  # the command's own worker: Mesa without its unused parts, as in the command (runtime/lazy.py)
        from ..runtime.lazy import defer_mesa_extras

        defer_mesa_extras()
    if started is not None:
        started.wait(timeout=120)  # every worker is up before any takes work (see ProcessExecutor)


def _ready() -> None:
    """A no-op task: it completes once its worker (and so, by the barrier, every worker) has started."""


def _watch_parent(parent: int, ppid: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != ppid or not _running(parent):  # the forkserver went, or the experiment did
            os._exit(1)


def _running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not yet reaped, does not)."""
    return not gone(pid)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while child processes are started (they inherit it);
    only the main thread may touch signal handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


PRELOAD = ["negotiation.runtime.orphans",  # first: the forkserver then dies with the experiment
           "negotiation.engine.simulate", "negotiation.experiments.perturb", "negotiation.experiments.designs"]


def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where it exists: the server imports the engine (Mesa
    takes about a second) once, and every worker forks from it ready to run."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


class Executor:
    """Runs ``worker(payload, batch)`` for every batch; yields results as they come."""

    kind = "inprocess"
    workers = 1

    def map_unordered(self, worker: Worker, payloads: Sequence[tuple[Any, list[Any]]]) -> Iterator[list[Any]]:
        for payload, batch in payloads:
            for task in batch:  # one run at a time: smooth progress, immediate Ctrl-C
                yield worker(payload, [task])

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return "in-process"


class ProcessExecutor(Executor):
    kind = "processes"

    def __init__(self, workers: int | None) -> None:
        from ..runtime.interrupts import held
        from ..runtime.lazy import deferring

        self.workers = workers or os.cpu_count() or 1
        context = _context()
        # A stop signal while a worker is half-started (the forkserver still
        # unpickling its queues when the pool shuts down) made that worker die
        # with a traceback. All workers start here, stop signals held, and
        # wait at a barrier, so the pool is whole before anything can stop it.
        started = context.Barrier(self.workers)
        self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                        initargs=(os.getpid(), started, deferring()))
        try:
            with held(), pool_parent():  # the forkserver, started here, dies with this process
                for future in [self.pool.submit(_ready) for _ in range(self.workers)]:
                    future.result()
        except BaseException:  # a stop signal held until now, or a worker that could not start
            self.pool.shutdown(wait=True, cancel_futures=True)
            raise

    def map_unordered(self, worker: Worker, payloads: Sequence[tuple[Any, list[Any]]]) -> Iterator[list[Any]]:
        pending = {self.pool.submit(worker, payload, batch) for payload, batch in payloads}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        # Running batches finish (a second or two at most); queued ones are dropped.
        self.pool.shutdown(wait=True, cancel_futures=True)

    def describe(self) -> str:
        return f"{self.workers} local processes"


class DaskExecutor(Executor):
    kind = "dask"

    def __init__(self, workers: int | None, scheduler: str | None) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler is None:
            # Worker processes inherit an ignored SIGINT, so Ctrl-C reaches only
            # this process, which cancels the pending batches and closes the cluster.
            with _sigint_ignored(), dask.config.set(NO_MALLOC_TRIM):
                self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                            processes=True, host="127.0.0.1", dashboard_address=None,
                                            silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise InputError("scheduler", scheduler, f"a reachable Dask scheduler expected ({exc})") from None
        self.address = self.client.scheduler.address
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map_unordered(self, worker: Worker, payloads: Sequence[tuple[Any, list[Any]]]) -> Iterator[list[Any]]:
        from distributed import as_completed

        futures = [self.client.submit(worker, payload, batch, pure=False) for payload, batch in payloads]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> str:
        where = "a local Dask cluster" if self.cluster is not None else f"the Dask cluster at {self.address}"
        return f"{self.workers} workers on {where}"


@contextmanager
def open_executor(spec: ExecutorSpec) -> Iterator[Executor]:
    """Start the executor the spec names and always shut it down."""
    executor: Executor
    if spec.kind == "inprocess":
        executor = Executor()
    elif spec.kind == "processes":
        executor = ProcessExecutor(spec.workers)
    else:
        executor = DaskExecutor(spec.workers, spec.scheduler)
    try:
        yield executor
    finally:
        executor.close()
