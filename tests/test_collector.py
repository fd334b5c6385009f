"""The command pauses the cyclic garbage collector while it starts; a command
that runs models collects again (its runs leave cycles behind), one that only
reads and prints keeps it paused; the library never touches it
(``runtime/collector.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TEXTBOOK

PROBE = """
import gc, json, sys
before = gc.get_freeze_count()  # the interpreter starts with some objects frozen
sys.argv = ["negotiation", *json.loads(sys.argv[1])]
from negotiation.cli import main
try:
    main()
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print("\\n" + json.dumps({"collecting": gc.isenabled(), "frozen": gc.get_freeze_count() > before}))
"""


def after(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["validate", str(TEXTBOOK)], ["schema"], ["--help"]],
                         ids=["validate", "schema", "help"])
def test_a_command_that_only_reads_never_collects_and_ends_frozen(args: list[str]) -> None:
    assert after(args) == {"collecting": False, "frozen": True}


def test_a_command_that_runs_the_model_collects(tmp_path: Path) -> None:
    assert after(["run", str(TEXTBOOK), "--no-png", "--out", str(tmp_path / "run")]) == {"collecting": True,
                                                                                          "frozen": True}


def test_importing_the_library_and_the_cli_leaves_the_collector_alone() -> None:
    code = ("import gc; before = gc.get_freeze_count(); import negotiation, negotiation.cli; "
            "negotiation.load_scenario; print(gc.isenabled(), gc.get_freeze_count() == before)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "True"], done.stderr
