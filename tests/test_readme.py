"""README's Python example runs as written (from the repository's folder)."""

from __future__ import annotations

import re

from .conftest import ROOT


def python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_python_example_runs(monkeypatch, capsys):
    blocks = python_blocks()
    assert blocks, "README has no Python example"
    monkeypatch.chdir(ROOT)
    namespace: dict = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, "README.md", "exec", dont_inherit=True), namespace)  # noqa: S102  (as a user runs it: no future flags of this file)
    printed = capsys.readouterr().out
    assert "agreement" in printed or "deadline" in printed or "breakdown" in printed
    assert len(namespace["table"]) == 20 and "welfare" in namespace["table"].columns
