"""The codebook: the written rules that turn facts into a scenario's numbers.

A scenario coded by a codebook names it (``codebook: ../docs/codebook.md``)
and says, beside the facts behind a number (``because: [F12]``), which rule
made the number of them (``rule: W2``). A rule cited that the codebook does
not define is bad input, as a fact cited that the facts file lacks: a case
is coded by rules fixed before its outcome is scored, so the rule must be
written down (the discipline of *The European Union Decides*, Thomson et al.
2006, ch. 2: one coding procedure for every case).

The codebook is Markdown for people. Its rule ids are read from two
spellings: a heading whose first word is the id followed by a dash or a
colon (``### W2 — Weights from money on one scale``), and a table row whose
first cell is the id (``| W2 | … |``, backticks allowed). An id is a capital
letter, up to three more letters, a number and an optional lower-case
letter (``W2``, ``RV1``, ``T3a``); the version is the ``Version:`` line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from .config import read_text
from .sources import collect_cited

RULE_ID = r"[A-Z][A-Za-z]{0,3}[0-9]{1,3}[a-z]?"
_HEADING = re.compile(rf"^#{{1,6}}\s+`?({RULE_ID})`?\s*(?:—|–|-|:)", re.MULTILINE)
_ROW = re.compile(rf"^\|\s*`?({RULE_ID})`?\s*\|", re.MULTILINE)
_VERSION = re.compile(r"^\W*version\W*:?\**\s*:?\s*`?([0-9][0-9A-Za-z.\-]*)", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Codebook:
    """A codebook's rule ids and version (None when it states none)."""

    path: str
    rules: frozenset[str]
    version: str | None


@lru_cache(maxsize=16)
def load_codebook(path: Path) -> Codebook:
    """The rule ids a codebook defines; an unreadable file is bad input."""
    text = read_text(path)
    rules = frozenset(_HEADING.findall(text)) | frozenset(_ROW.findall(text))
    version = _VERSION.search(text)
    return Codebook(str(path), rules, version.group(1) if version else None)


def collect_rules(raw: Any) -> dict[str, tuple[str, ...]]:
    """Which rules each part of a scenario cites (``rule:``), by key path."""
    return collect_cited(raw, "rule")


def check_rules(rules: Mapping[str, tuple[str, ...]], codebook: Codebook | None, source: str) -> None:
    """Every rule cited must be defined in the codebook the scenario names;
    citing a rule without naming a codebook is an error at that rule."""
    for key, ids in rules.items():
        where = f"{key}.rule" if key else "rule"
        for rid in ids:
            if codebook is None:
                raise InputError(source, where, f"a codebook (top-level codebook: PATH) that defines rule {rid!r} "
                                                "expected; the scenario names none")
            if rid not in codebook.rules:
                raise InputError(source, where, f"rule ids defined in {codebook.path} expected; {rid!r} is not one")
