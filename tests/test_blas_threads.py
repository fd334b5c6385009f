"""The command runs numpy's BLAS on one thread unless the user chose a count
(``runtime/threads.py``): set before numpy is imported, never over a
user's own variable, and never by the library."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from negotiation.runtime.threads import BLAS_THREADS, USER_CHOICES, single_blas_thread

from .conftest import ROOT, TEXTBOOK

# the entry point as `negotiation ARGS` (cli.main) or `python -m negotiation ARGS` (runpy), in a fresh interpreter
PROBE = """
import json, os, runpy, sys
entry, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["negotiation", *args]
import negotiation.cli
numpy_before = "numpy" in sys.modules
try:
    if entry == "module":
        runpy.run_module("negotiation", run_name="__main__")
    else:
        negotiation.cli.main()
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print("\\n" + json.dumps({"numpy_before": numpy_before, "numpy_after": "numpy" in sys.modules,
                          "env": {k: os.environ.get(k) for k in %r}}))
""" % (USER_CHOICES,)


def probe(entry: str, args: list[str], **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in USER_CHOICES}
    done = subprocess.run([sys.executable, "-c", PROBE, entry, json.dumps(args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**clean, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("entry", ["script", "module"])
def test_the_command_sets_one_blas_thread_before_numpy_is_imported(entry: str) -> None:
    seen = probe(entry, ["analyze", str(TEXTBOOK), "--no-png"])  # a command that computes with numpy
    assert not seen["numpy_before"] and seen["numpy_after"]
    assert seen["env"] == {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OMP_NUM_THREADS": None}


@pytest.mark.parametrize("chosen", USER_CHOICES)
def test_a_thread_count_the_user_set_is_left_alone(chosen: str) -> None:
    seen = probe("script", ["validate", str(TEXTBOOK)], **{chosen: "3"})
    assert seen["env"] == {name: "3" if name == chosen else None for name in USER_CHOICES}


def test_importing_the_library_changes_no_environment_variable() -> None:
    code = ("import os, negotiation; negotiation.load_scenario; import negotiation.cli; "
            f"print([k for k in {USER_CHOICES!r} if k in os.environ])")
    clean = {k: v for k, v in os.environ.items() if k not in USER_CHOICES}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=clean)
    assert done.stdout.split() == ["[]"], done.stderr


def test_single_blas_thread_on_a_mapping() -> None:
    environ: dict[str, str] = {"PATH": "/bin"}
    single_blas_thread(environ)
    assert environ == {"PATH": "/bin", **{name: "1" for name in BLAS_THREADS}}
    mine = {"OMP_NUM_THREADS": "8"}
    single_blas_thread(mine)
    assert mine == {"OMP_NUM_THREADS": "8"}
