"""The PNGs a user opens: names drawn as written (never a raw control
character on stderr, never a `$` taken for math), labels that do not print
over one another, axes that say what they measure."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest

from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import build_scenario

from .conftest import ROOT, SMALL, write_yaml
from .test_backtest import TINY, TRUTH

HOSTILE = {  # names a scenario from someone else may hold: terminal escapes, a BEL, mathtext
    "buyer": "buy\x1b[31mer\x07",
    "seller": "sel$\\frac$ler",
}


def hostile_scenario(tmp_path):
    data = copy.deepcopy(SMALL)
    data["parties"] = {HOSTILE.get(name, name): party for name, party in data["parties"].items()}
    data["clauses"]["delivery"]["options"] = ["slow\x1b[2J", "normal$x$", "fast"]
    data["parties"]["reg\x1b]0;x\x07ulator"] = {"role": "ratifier", "requires": {"price": [10, 20, 30, 40]},
                                                "review": 0}
    return write_yaml(tmp_path / "hostile.yaml", data)


def test_names_with_control_characters_or_dollars_are_drawn_as_written(tmp_path):
    """`run` draws concessions.png and `analyze` its plane for a scenario whose
    party and option names hold ESC, BEL and `$…$`: exit 0, both PNGs written,
    and nothing on stderr (matplotlib used to warn 'Glyph 27 missing' with
    the raw ESC and BEL in the message)."""
    scenario = hostile_scenario(tmp_path)
    commands = {"run": ["run", scenario, "--out", tmp_path / "run"],
                "analyze": ["analyze", scenario, "--png", tmp_path / "plane.png", "--json", tmp_path / "a.json"]}
    for name, args in commands.items():
        done = subprocess.run([sys.executable, "-m", "negotiation", *map(str, args)], cwd=ROOT,
                              capture_output=True, timeout=300)
        assert done.returncode == 0, (name, done.stderr[-2000:])
        assert b"\x1b" not in done.stderr and b"\x07" not in done.stderr and b"Glyph" not in done.stderr, \
            (name, done.stderr[-2000:])
    assert (tmp_path / "run" / "concessions.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "plane.png").read_bytes()[:4] == b"\x89PNG"


def test_events_of_one_day_share_one_label(small):
    """Three ratifiers open their reviews the day of the tentative agreement:
    one line and one label naming each of them, not three labels printed over
    one another."""
    from matplotlib.figure import Figure

    from negotiation.reports.concessions import event_labels

    for name, days in (("delaware_ag", 21), ("california_ag", 21), ("antitrust", 0)):
        small["parties"][name] = {"role": "ratifier", "requires": {"price": [10, 20, 30, 40]}, "review": days}
    records = simulate(build_scenario(small), seed=1).records
    opened = [r for r in records if r.get("kind") == "review_open"]
    assert len(opened) == 3 and len({r["date"] for r in opened}) == 1
    ax = Figure().add_subplot()
    event_labels(ax, records, records[0])
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("delaware_ag, california_ag, antitrust") == 1
    assert len(texts) == len({r["date"] for r in records if r["type"] == "event"})


def test_backtest_png_says_what_its_bars_measure(cli, tmp_path, monkeypatch):
    """Every clause's panel of backtest.png has a y-axis label."""
    from negotiation.backtest import plots

    figures = []
    draw = plots._png
    monkeypatch.setattr(plots, "_png", lambda fig: figures.append(fig) or draw(fig))
    raw = copy.deepcopy(TINY)
    raw["truth"] = str(write_yaml(tmp_path / "truth.yaml", TRUTH))
    path = write_yaml(tmp_path / "tiny.yaml", raw)
    result = cli("backtest", path, "--runs", "4", "--noise", "0.2", "--executor", "inprocess", "--out", tmp_path / "bt")
    assert result.exit_code == 0, result.output
    (fig,) = figures
    panels = [ax for ax in fig.axes if ax.patches]  # the bar charts, one per clause
    assert len(panels) == len(TRUTH["clauses"])
    assert all(ax.get_ylabel() == "share of runs" for ax in panels)


@pytest.mark.parametrize(("text", "drawn"), [("plain_name", "plain_name"), ("a\x1bb\x07", "a\\x1bb\\x07"),
                                             ("$x$", "\\$x\\$"), ("tab\there", "tab\\x09here")])
def test_labels_escape_what_matplotlib_would_misdraw(text, drawn):
    from negotiation.reports.labels import label

    assert label(text) == drawn
