"""Loss aversion from the status quo (Kahneman & Tversky 1979; Tversky &
Kahneman 1991): hand-computed utilities on a toy, the directions a user
relies on, and bad input."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from negotiation.domain.outcomes import Clause, OutcomeSpace
from negotiation.domain.preferences import Preferences, loss_averse, utility
from negotiation.engine.simulate import simulate
from negotiation.errors import InputError
from negotiation.scenarios.load import build_scenario

from .conftest import SMALL, write_yaml

SQ = {"price": 20, "delivery": "normal", "warranty": "one_year"}


def toy() -> tuple[Preferences, OutcomeSpace]:
    """a ∈ {0, 1, 2} (status quo 1) valued 0, ½, 1 with weight 0.6;
    b ∈ {x, y} (status quo x) valued 0, 1 with weight 0.4."""
    space = OutcomeSpace.of((Clause("a", (0, 1, 2), True, (), 1), Clause("b", ("x", "y"), False, (), "x")))
    return Preferences({"a": 0.6, "b": 0.4}, {"a": (0.0, 0.5, 1.0), "b": (0.0, 1.0)}, reservation=0.3), space


def test_two_clause_toy_by_hand():
    # g on a: (−½, 0, ½) → (−1, 0, ½) with λ = 2; on b: (0, 1). Sum ranges from
    # 0.6·(−1) = −0.6 to 0.6·½ + 0.4 = 0.7: the span 1.3. Outcomes in C order (a, b).
    prefs, space = toy()
    got = utility(loss_averse(prefs, {"a": 1, "b": 0}, 2.0), space)
    by_hand = np.array([-0.6, -0.2, 0.0, 0.4, 0.3, 0.7])
    assert np.allclose(got, (by_hand + 0.6) / 1.3)
    # linear: (a0,y) = 0.4 beats (a1,x) = 0.3; loss-averse, giving up a's status quo costs more than y gains
    linear = utility(prefs, space)
    assert linear[1] > linear[2] and got[1] < got[2]
    # the reservation (0.3, the status quo's linear utility) stays the status quo's utility
    assert loss_averse(prefs, {"a": 1, "b": 0}, 2.0).reservation == pytest.approx(got[2])


def test_lambda_one_is_the_linear_utility():
    prefs, space = toy()
    same = loss_averse(prefs, {"a": 1, "b": 0}, 1.0)
    assert np.allclose(utility(same, space), utility(prefs, space))
    assert same.reservation == pytest.approx(prefs.reservation)


def _scenario(party: str | None, lam: float | None):
    raw = copy.deepcopy(SMALL)
    for clause, option in SQ.items():
        raw["clauses"][clause]["status_quo"] = option
    if party is not None:
        raw["parties"][party]["loss_aversion"] = lam
    return build_scenario(raw)


def _loss(scenario, party: str, outcome) -> float:
    """The party's linear-value loss from the status quo (no deal: none)."""
    prefs = scenario.party(party).preferences
    return sum(prefs.weights[c.name] * max(0.0, prefs.values[c.name][c.index(SQ[c.name])]
                                           - prefs.values[c.name][c.index(outcome[c.name])])
               for c in scenario.clauses) if outcome else 0.0


@pytest.mark.parametrize("party", ["buyer", "seller"])
def test_more_loss_aversion_keeps_the_deal_nearer_the_status_quo(party):
    linear = _scenario(None, None)
    losses = []
    for lam in (1.0, 2.0, 4.0):
        scenario = _scenario(party, lam)
        losses.append(np.mean([_loss(linear, party, simulate(scenario, seed).summary.get("outcome"))
                               for seed in range(6)]))
    assert losses[0] >= losses[1] >= losses[2] and losses[2] < losses[0]


def test_a_loss_averse_party_concedes_less_where_conceding_is_a_loss():
    linear = _scenario(None, None)

    def offered_loss(lam: float) -> float:
        out = []
        for seed in range(6):
            records = [json.loads(line) for line in simulate(_scenario("seller", lam), seed).log_text.splitlines()]
            offers = [r["outcome"] for r in records if r["type"] == "offer" and r["from"] == "seller"]
            out.append(np.mean([_loss(linear, "seller", o) for o in offers]))
        return float(np.mean(out))

    assert offered_loss(4.0) < offered_loss(1.0)


def test_the_log_header_names_it_and_a_scenario_without_it_has_none():
    assert "loss_aversion" not in simulate(_scenario(None, None), 1).log_text.splitlines()[0]
    header = json.loads(simulate(_scenario("buyer", 2.0), 1).log_text.splitlines()[0])
    assert next(p for p in header["parties"] if p["name"] == "buyer")["loss_aversion"] == 2.0


def test_loss_aversion_without_a_status_quo_is_refused(cli, tmp_path):
    raw = copy.deepcopy(SMALL)
    raw["parties"]["buyer"]["loss_aversion"] = 2.0
    with pytest.raises(InputError, match="parties.buyer.loss_aversion"):
        build_scenario(raw)
    raw["parties"]["buyer"]["loss_aversion"] = -1
    result = cli("validate", write_yaml(tmp_path / "s.yaml", raw))
    assert result.exit_code == 2 and "parties.buyer.loss_aversion" in result.output
