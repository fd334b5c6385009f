"""The service's parameters as the command's flags.

The service and the layers under it raise :class:`InputError` in domain
terms: ``source`` is the parameter (``runs``), and a parameter named in the
text is written `` `runs` `` (a file blamed on a value set on it says
``x.yaml (with `sets` path=value)``). A user of the command typed
``--runs``: this is the one map between the two; the API shows the
parameters as they are.
"""

from __future__ import annotations

import re

from ..errors import InputError

FLAGS = {"runs": "--runs", "noise": "--noise", "seed": "--seed", "seeds": "--seeds", "grid": "--grid",
         "sets": "--set", "executor": "--executor", "workers": "--workers", "scheduler": "--scheduler",
         "out": "--out", "truth": "--truth", "metric": "--metric", "runs_dir": "--runs-dir",
         "tactics": "--tactics", "counterfactual": "COUNTERFACTUAL", "capabilities": "--capability",
         "epsilon": "--epsilon", "json_out": "--json", "profiles": "PROFILES", "rounds": "--rounds",
         "names": "--names", "strict": "--strict", "cache": "--llm-cache", "offline": "--llm-cache-only",
         "party": "--party", "x": "--x", "y": "--y", "colour": "--colour", "png": "--png"}
_NAMED = re.compile(r"`([a-z_]+)`")


def words(text: str) -> str:
    """``text`` with the parameters named in it (`` `runs` ``) as the command's flags."""
    return _NAMED.sub(lambda m: FLAGS.get(m.group(1), m.group(0)), text)


def as_flags(error: InputError) -> InputError:
    """``error`` with its parameter (and parameters named in its text) as the command's flags."""
    source = FLAGS.get(error.source) or words(error.source)
    expected = words(error.expected)
    if source == error.source and expected == error.expected:
        return error
    return InputError(source, error.key, expected)
