"""Start-up: commands that never simulate do not import Mesa, matplotlib or
Dask, and a run does not import the parts of Mesa it does not use.

Each command runs in a fresh interpreter (what a user's shell starts), which
then lists the heavy modules really imported; a deferred stand-in
(:mod:`negotiation.runtime.lazy`) that was never used does not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DEFAULT, ROOT, TEXTBOOK

HEAVY = ("mesa", "matplotlib", "dask", "distributed", "pandas", "scipy", "networkx", "negmas")

PROBE = """
import json, sys
heavy = json.loads(sys.argv[2])
sys.argv = ["negotiation", *json.loads(sys.argv[1])]
from negotiation.cli import main
from negotiation.runtime.lazy import Deferred
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
real = sorted({name.split(".")[0] for name, module in list(sys.modules.items())
               if module is not None and not isinstance(module, Deferred)})
print("\\n" + json.dumps({"code": code, "imported": [m for m in real if m in heavy]}))
"""


def imported(args: list[str], cwd: Path) -> list[str]:
    """The heavy top-level modules that ``negotiation ARGS`` really imports."""
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stderr
    return result["imported"]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup") / "run"
    done = subprocess.run([sys.executable, "-m", "negotiation", "run", str(DEFAULT), "--no-png", "--out",
                           str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["validate"], ["validate", str(TEXTBOOK)]],
                         ids=["help", "run-help", "validate-default", "validate-textbook"])
def test_commands_that_do_not_simulate_import_no_mesa_matplotlib_or_dask(args: list[str]) -> None:
    assert imported(args, ROOT) == []


def test_help_does_not_even_import_numpy() -> None:
    """The top-level help is printed from the command definitions alone."""
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(["--help"]), json.dumps(["numpy", "yaml"])],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout.strip().splitlines()[-1])["imported"] == []


@pytest.mark.parametrize("args", [["validate"], ["validate", str(TEXTBOOK)]], ids=["default", "textbook"])
def test_validate_does_not_import_numpy(args: list[str]) -> None:
    """Reading and checking a scenario is pure Python: the domain modules hold
    numpy as a stand-in imported on first use (``runtime.lazy.FirstUse``)."""
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), json.dumps(["numpy"])],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"code": 0, "imported": []}, done.stderr


def test_replay_and_compare_read_the_log_without_mesa_matplotlib_or_dask(run_folder: Path) -> None:
    assert imported(["replay", str(run_folder), "--no-animate"], ROOT) == []
    assert imported(["compare", str(run_folder)], ROOT) == []


def test_a_run_imports_mesa_but_not_pandas_scipy_networkx_matplotlib_or_dask(tmp_path: Path) -> None:
    assert imported(["run", str(DEFAULT), "--no-png", "--out", str(tmp_path / "run")], ROOT) == ["mesa"]


def test_deferred_modules_still_work_when_used() -> None:
    """Code that does use the deferred parts (a grid, a DataFrame) gets the real thing."""
    code = ("import sys; from negotiation.runtime.lazy import import_mesa, Deferred, defer_mesa_extras; "
            "defer_mesa_extras(); mesa = import_mesa(); "
            "assert isinstance(sys.modules['pandas'], Deferred); "
            "grid = mesa.discrete_space.OrthogonalMooreGrid((2, 2)); import pandas; "
            "print(len(list(grid.all_cells)), pandas.DataFrame({'a': [1, 2]}).shape, "
            "type(sys.modules['pandas']).__name__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["4", "(2,", "1)", "module"], done.stderr


def test_a_program_that_imports_the_package_keeps_its_own_import_system() -> None:
    """A notebook or script using the Python API: ``import negotiation`` adds
    no import hook, and after a whole simulation (Mesa imported) ``pandas``
    and its peers are real modules or absent, never the command's stand-ins."""
    code = ("import sys; before = list(sys.meta_path); import negotiation; "
            "after_import = list(sys.meta_path) == before; "
            f"run = negotiation.simulate(negotiation.load_scenario({str(TEXTBOOK)!r})); "
            "from negotiation.runtime.lazy import Deferred; "
            "stand_ins = sorted(n for n, m in list(sys.modules.items()) if isinstance(m, Deferred)); "
            "print(after_import, list(sys.meta_path) == before, 'mesa' in sys.modules, stand_ins)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "True", "True", "[]"], done.stderr


def test_a_first_use_stand_in_becomes_the_module_it_stands_for() -> None:
    """Not imported until an attribute is read; then a plain module with the
    real one's attributes (numpy's own lazily loaded submodules included),
    while ``sys.modules`` always holds the real module."""
    code = ("import sys, types; from negotiation.runtime.lazy import numpy as np; "
            "print('numpy' in sys.modules, type(np).__name__); "
            "total = int(np.add(np.arange(3), 1).sum()); import numpy; "
            "print(total, type(np) is types.ModuleType, np.ndarray is numpy.ndarray, sys.modules['numpy'] is numpy, "
            "np.testing is numpy.testing); "
            "from negotiation.runtime.lazy import numpy as again; print(again is numpy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "FirstUse", "6", "True", "True", "True", "True", "True"], done.stderr
