"""Mesa's DataCollector on the model: one row per round, read from what the
round did, and collecting never changes the log."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

import negotiation
from negotiation.engine.model import NegotiationModel
from negotiation.scenarios.load import build_scenario, load_scenario

from .conftest import DEFAULT, SMALL, TEXTBOOK


# The hindsight scenario: real parties whose run ends in agreement (since
# codebook 2.0 the default forecast's own seed reaches its calendar's end,
# where the table adds its end row).
@pytest.mark.parametrize("path, seed", [(TEXTBOOK, 1), (TEXTBOOK, 5),
                                        (DEFAULT.with_name("openai_microsoft_2025_hindsight.yaml"), None)])
def test_rows_follow_the_log_round_by_round(path, seed):
    run = negotiation.simulate(path, seed=seed)
    table = run.model.datacollector.get_model_vars_dataframe()
    names = [b.name for b in run.model.bargainers]
    assert list(table.columns) == ["round", "date", "tentative", "result",
                                   *[f"{k}.{n}" for n in names for k in ("own", "received", "rv")]]
    assert list(table["round"]) == list(range(run.model.round + 1))
    offers = [r for r in run.records if r["type"] == "offer"]
    for _, row in table.iterrows():
        mine = {o["from"]: o for o in offers if o["round"] == row["round"]}
        for name in names:
            own, received = row[f"own.{name}"], row[f"received.{name}"]
            if name in mine:
                assert own == mine[name]["utilities"][name]
                assert row[f"rv.{name}"] == mine[name]["reservations"][name]
            else:
                assert own != own  # NaN: no offer of its own this round
            others = [o for n, o in mine.items() if n != name]
            assert (received == others[-1]["utilities"][name]) if others else received != received
    agreed = [r["round"] for r in run.records if r["type"] == "agreement" and r["stage"] == "tentative"]
    if agreed:  # it stands, awaiting ratification, unless the run ended with it (no ratifier)
        row = table.loc[agreed[0]]
        assert row["tentative"] or row["result"] == "agreement"
    assert not table.loc[0, "tentative"]


@pytest.mark.parametrize("path, seeds", [(TEXTBOOK, range(4)), (DEFAULT, (20251028, 3))])
def test_collecting_leaves_the_log_unchanged(path, seeds):
    spec = load_scenario(path)
    for seed in seeds:
        collected = NegotiationModel(spec, seed).run()
        plain = NegotiationModel(spec, seed, collect=False).run()
        assert collected.log.text() == plain.log.text()
        assert plain.datacollector is None and collected.datacollector is not None


@pytest.mark.parametrize("path, seeds", [(TEXTBOOK, (1, 2)), (DEFAULT, (20251028, 3)),
                                         (DEFAULT.with_name("openai_microsoft_2025_hindsight.yaml"), (1,))])
def test_stepping_round_by_round_writes_the_log_a_whole_run_writes(path, seeds):
    """The browser app steps the model one round at a time through Mesa's
    scheduler; batch runs play to the end with ``run()``, which keeps Mesa's
    order by hand (dated events, ratifications and vetoes included)."""
    spec = load_scenario(path)
    for seed in seeds:
        whole = NegotiationModel(spec, seed).run()
        stepped = NegotiationModel(spec, seed)
        while stepped.running:
            stepped.step()
        assert stepped.log.text() == whole.log.text()
        assert any(r["type"] == "event" for r in whole.log.records) or path == TEXTBOOK
        assert stepped.datacollector.get_model_vars_dataframe().equals(whole.datacollector.get_model_vars_dataframe())


def toy(review_days: int, seed: int = 1, hardliners: bool = False):
    """The small toy with a regulator whose review takes ``review_days``: 0 decides on the day of the
    tentative agreement, after that round's offers; 1 decides between two rounds."""
    data = copy.deepcopy(SMALL)
    data["parties"]["regulator"] = {"role": "ratifier", "requires": {"price": [10, 20, 30, 40]},
                                    "review": review_days}
    for party in ("buyer", "seller") if hardliners else ():
        data["parties"][party]["strategy"] = {"name": "hardliner"}
    return negotiation.simulate(build_scenario(data), seed=seed)


RUNS = [lambda: negotiation.simulate(DEFAULT), lambda: toy(0), lambda: toy(1), lambda: toy(3, seed=2),
        lambda: toy(1, hardliners=True)]


@pytest.mark.parametrize("make", RUNS, ids=["default", "review-0d", "review-1d", "review-3d", "deadline"])
def test_the_table_the_app_and_the_log_agree_on_the_end(make):
    """The DataCollector's last row and the model the app shows are the log's
    ``end``: its round, its date and its result (a ratification decided
    between rounds used to leave both one round early, without the end)."""
    run = make()
    end = run.records[-1]
    table = run.model.datacollector.get_model_vars_dataframe()
    last = table.iloc[-1]
    assert (last["round"], last["date"], last["result"]) == (end["round"], end["date"], end["result"])
    assert not last["tentative"] and table["result"].iloc[:-1].isna().all()
    assert (run.model.round, run.model.date.isoformat()) == (end["round"], end["date"])


@pytest.mark.parametrize("make", RUNS, ids=["default", "review-0d", "review-1d", "review-3d", "deadline"])
def test_every_record_is_dated_within_its_round(make):
    """A record of round k is dated after round k-1's day and on or before
    round k's (an event between rounds belongs to the round it precedes; a
    decision on a round's day after its offers, to that round); past the last
    round, up to the calendar's end."""
    run = make()
    cal = run.records[0]["calendar"]
    start, step, deadline, n = (dt.date.fromisoformat(cal["start"]), cal["round_days"],
                                dt.date.fromisoformat(cal["deadline"]), cal["rounds"])
    day_of = lambda k: start + dt.timedelta(days=(k - 1) * step)  # noqa: E731
    for r in run.records[1:]:
        k, day = r["round"], dt.date.fromisoformat(r["date"])
        assert 1 <= k <= n, r
        assert (k == 1 or day_of(k - 1) < day) and (day <= day_of(k) or (k == n and day <= deadline)), r


def test_the_default_ends_on_the_same_round_and_day_in_the_app_and_in_run(cli, tmp_path):
    """README: the app plays the scenario exactly as `run` does. Stepped as
    the app steps it, a real-party scenario ends in the round and on the day
    of `run`'s definitive agreement, and the offers table says so (the app
    used to stop one round early, on the previous round's date). The
    hindsight version of the default, whose run agrees: since codebook 2.0
    the default forecast's own seed reaches its calendar's end."""
    pytest.importorskip("solara", reason="the app extra (mesa[viz]) is not installed")
    from negotiation.viz.components import status
    from negotiation.viz.params import AppModel

    result = cli("run", DEFAULT.with_name("openai_microsoft_2025_hindsight.yaml"), "--no-png",
                 "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    log = (tmp_path / "run" / "log.jsonl").read_text(encoding="utf-8")
    end = json.loads(log.splitlines()[-1])
    assert end["result"] == "agreement"
    model = AppModel("openai_microsoft_2025_hindsight")
    while model.running:
        model.step()
    assert model.log.text() == log
    assert status(model).startswith(f"round {end['round']} of {model.n_rounds} · {end['date']} · ")
    assert "ended: agreement" in status(model)
    table = model.datacollector.get_model_vars_dataframe()
    assert (table.iloc[-1]["round"], table.iloc[-1]["date"], table.iloc[-1]["result"]) == \
        (end["round"], end["date"], "agreement")
