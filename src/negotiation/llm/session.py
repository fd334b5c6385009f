"""The settings of the language-model calls of a run, set by the caller
(``negotiation run --llm-cache DIR [--llm-cache-only]``, or
:func:`llm_session` from Python) and read by the engine's language-model
bargainers when a model is built: a scenario says who plays, the command
says where answers are kept and whether the network may be used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class Settings:
    cache: Path | None = None  # where exchanges are kept (None: not kept)
    offline: bool = False  # answers only from the cache; a miss stops the run


CURRENT: ContextVar[Settings] = ContextVar("llm_settings", default=Settings())


def check_cache(cache: Path | None, offline: bool, option: str = "cache") -> None:
    """Bad input before any run: a cache that is not a folder, or offline without one."""
    if offline and cache is None:
        raise InputError("offline", "", "`cache` DIR expected with it (the answers to replay)")
    if cache is not None and cache.exists() and not cache.is_dir():
        raise InputError(option, str(cache), "a folder expected (new or holding cached answers); it is a file")
    if cache is not None and offline and not cache.is_dir():
        raise InputError(option, str(cache), "an existing cache folder expected with `offline`")


@contextlib.contextmanager
def llm_session(cache: Path | None = None, offline: bool = False) -> Iterator[Settings]:
    """Runs made inside keep their exchanges in ``cache`` (and, ``offline``, read only from it)."""
    check_cache(cache, offline)
    settings = Settings(cache, offline)
    token = CURRENT.set(settings)
    try:
        yield settings
    finally:
        CURRENT.reset(token)
