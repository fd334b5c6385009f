"""The run's memo (engine/memo.py) holds a value only for the preferences it
was worked out from: after a dated effect moves a party's preferences, what
the protocol reads (the utilities the log writes, whether a party walks away)
is worked out again. Hand-computed toys: two clauses, two options each."""

from __future__ import annotations

import json
from typing import Any

from negotiation.engine.memo import Memo
from negotiation.engine.model import NegotiationModel
from negotiation.scenarios.load import build_scenario


def toy(effect: dict[str, Any], opponent_model: str = "frequency") -> dict[str, Any]:
    """Buyer: price 0.5 (10 → 1, 20 → 0), warranty 0.5 (none → 0, yes → 1);
    seller the reverse, reservation 0.5. Both hold out near their best
    (Boulware, e = 0.02), so no deal comes before the outside offer of
    2025-01-20 moves the buyer."""
    strategy = {"name": "boulware", "e": 0.02, "opponent_model": opponent_model}
    return {
        "name": "memo_toy", "seed": 1,
        "calendar": {"start": "2025-01-01", "round": "7d", "deadline": "2025-03-31"},
        "clauses": {"price": {"options": [10, 20]}, "warranty": {"options": ["none", "yes"], "ordered": True}},
        "parties": {
            "buyer": {"role": "bargainer", "weights": {"price": 0.5, "warranty": 0.5},
                      "values": {"price": "decreasing", "warranty": "increasing"}, "reservation": 0.1,
                      "strategy": strategy},
            "seller": {"role": "bargainer", "weights": {"price": 0.5, "warranty": 0.5},
                       "values": {"price": "increasing", "warranty": "decreasing"}, "reservation": 0.5,
                       "strategy": strategy},
            "rival": {"role": "outside_option", "offers_to": "buyer", "on": "2025-01-20", "effect": effect},
        },
    }


def test_a_value_is_held_for_its_version_or_moment_only() -> None:
    memo, calls = Memo(), []

    def work() -> int:
        calls.append(1)
        return len(calls)

    assert memo.per_version("x", work) == memo.per_version("x", work) == 1
    memo.date_changed()
    assert memo.per_version("x", work) == 1 and memo.per_moment("y", work) == 2
    memo.date_changed()
    assert memo.per_moment("y", work) == 3
    memo.preferences_changed()
    assert memo.per_version("x", work) == 4 and memo.per_moment("y", work) == 5


def test_logged_utilities_follow_weights_an_effect_moves() -> None:
    """(price 20, warranty yes) is worth 0.5 to the buyer; the outside offer
    adds 0.5 to its warranty weight: (0.5, 1.0) normalised is (1/3, 2/3), so
    the same outcome is worth 2/3 from the offer's day on."""
    model = NegotiationModel(build_scenario(toy({"weights": {"warranty": 0.5}})), collect=False)
    outcome = model.space.from_dict({"price": 20, "warranty": "yes"})
    assert model.utilities(outcome) == {"buyer": 0.5, "seller": 0.5}
    while model.running and model.date < model.spec.calendar.start.replace(day=20):
        model.step()
    assert model.running, "the toy holds out past the offer"
    assert model.utilities(outcome) == {"buyer": 0.666667, "seller": 0.5}


def test_a_party_walks_away_once_an_effect_makes_every_deal_worse_than_its_alternative() -> None:
    """Knowing the seller (who needs 0.5), the buyer can get 0.5 at most:
    (price 10, warranty none). The offer of 2025-01-20 lifts its reservation
    value from 0.1 to 0.6: from then on no deal both accept is worth it, so it
    walks away in the next round, not before."""
    model = NegotiationModel(build_scenario(toy({"reservation": 0.5}, opponent_model="known")), collect=False)
    model.run()
    end = model.log.records[-1]
    assert end["result"] == "breakdown" and end["party"] == "buyer"
    assert "reservation value 0.600" in end["reason"]
    assert end["date"] == "2025-01-22"  # the first round after the offer (rounds every 7 days from 2025-01-01)
    event = next(r for r in model.log.records if r["type"] == "event")
    assert event["changes"] == {"buyer": {"reservation": [0.1, 0.6]}}
    assert json.dumps(end)  # a plain record
