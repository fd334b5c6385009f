"""Mesa's DataCollector on the model: one row per round, read from what the
round did, and collecting never changes the log."""

from __future__ import annotations

import pytest

import negotiation
from negotiation.engine.model import NegotiationModel
from negotiation.inputs.scenario import load_scenario

from .conftest import DEFAULT, TEXTBOOK


@pytest.mark.parametrize("path, seed", [(TEXTBOOK, 1), (TEXTBOOK, 5), (DEFAULT, None)])
def test_rows_follow_the_log_round_by_round(path, seed):
    run = negotiation.simulate(path, seed=seed)
    table = run.model.datacollector.get_model_vars_dataframe()
    names = [b.name for b in run.model.bargainers]
    assert list(table.columns) == ["round", "date", "tentative",
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
    if agreed:
        assert table.loc[agreed[0], "tentative"]
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
