"""The command's environment defaults (``runtime/environment.py``): numpy's
BLAS on one thread unless the user chose a count, no pydantic plugin search
unless the user set the variable; set before numpy is imported, never over a
user's own variable, and never by the library."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from negotiation.runtime.environment import BLAS_THREADS, PLUGINS, USER_CHOICES, command_defaults

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
""" % ((*USER_CHOICES, PLUGINS),)
VARIABLES = (*USER_CHOICES, PLUGINS)


def probe(entry: str, args: list[str], **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    done = subprocess.run([sys.executable, "-c", PROBE, entry, json.dumps(args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**clean, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("entry", ["script", "module"])
def test_the_command_sets_one_blas_thread_before_numpy_is_imported(entry: str) -> None:
    seen = probe(entry, ["analyze", str(TEXTBOOK), "--no-png"])  # a command that computes with numpy
    assert not seen["numpy_before"] and seen["numpy_after"]
    assert seen["env"] == {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OMP_NUM_THREADS": None, PLUGINS: "1"}


@pytest.mark.parametrize("chosen", USER_CHOICES)
def test_a_thread_count_the_user_set_is_left_alone(chosen: str) -> None:
    seen = probe("script", ["validate", str(TEXTBOOK)], **{chosen: "3"})
    assert seen["env"] == {**{name: "3" if name == chosen else None for name in USER_CHOICES}, PLUGINS: "1"}


@pytest.mark.parametrize("given", ["", "0", "logfire"])
def test_the_users_pydantic_plugin_setting_is_left_alone(given: str) -> None:
    seen = probe("script", ["validate", str(TEXTBOOK)], **{PLUGINS: given})
    assert seen["env"][PLUGINS] == given


def test_importing_the_library_changes_no_environment_variable() -> None:
    code = ("import os, negotiation; negotiation.load_scenario; import negotiation.cli; "
            f"print([k for k in {VARIABLES!r} if k in os.environ])")
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=clean)
    assert done.stdout.split() == ["[]"], done.stderr


def test_the_defaults_on_a_mapping() -> None:
    environ: dict[str, str] = {"PATH": "/bin"}
    command_defaults(environ)
    assert environ == {"PATH": "/bin", **{name: "1" for name in BLAS_THREADS}, PLUGINS: "1"}
    mine = {"OMP_NUM_THREADS": "8", PLUGINS: ""}
    command_defaults(mine)
    assert mine == {"OMP_NUM_THREADS": "8", PLUGINS: ""}
