"""The scenario loader: valid files load, every corruption is one clear error."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.errors import InputError
from negotiation.scenarios.load import build_scenario, load_scenario
from negotiation.inputs.config import apply_sets

from .conftest import DEFAULT, SMALL, TEXTBOOK


def test_shipped_scenarios_load():
    for path in (DEFAULT, TEXTBOOK):
        scenario = load_scenario(path)
        assert len(scenario.bargainers) >= 2 and scenario.space.size > 1


def test_weights_are_normalised_and_values_scaled_like_genius(small):
    small["parties"]["buyer"]["weights"] = {"price": 2, "delivery": 1, "warranty": 1}
    small["parties"]["buyer"]["values"]["delivery"] = {"slow": 0, "normal": 2, "fast": 4}
    prefs = build_scenario(small).party("buyer").preferences
    assert prefs.weights == {"price": 0.5, "delivery": 0.25, "warranty": 0.25}
    assert prefs.values["delivery"] == (0.0, 0.5, 1.0)


def test_set_overrides_are_typed_and_reported_against_the_set(small):
    data, touched = apply_sets(small, ["parties.buyer.strategy.e=0.25", "calendar.round=14d"])
    scenario = build_scenario(data, "x.yaml", touched)
    assert dict(scenario.party("buyer").strategy.params)["e"] == 0.25
    assert scenario.calendar.round_days == 14
    data, touched = apply_sets(small, ["parties.buyer.reservation=2"])
    with pytest.raises(InputError) as err:
        build_scenario(data, "x.yaml", touched)
    assert "(with `sets` parties.buyer.reservation=2)" in err.value.message
    assert "parties.buyer.reservation" in err.value.message


def test_cited_numbers_unwrap_and_keep_their_citation(small):
    small["parties"]["buyer"]["reservation"] = {"value": 0.4, "because": ["F1", "F2"]}
    scenario = build_scenario(small)
    assert scenario.party("buyer").preferences.reservation == 0.4
    assert scenario.citations["parties.buyer.reservation"] == ("F1", "F2")


def _paths(node, prefix=()):
    """Every key path of a nested mapping (lists are leaves)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))


GARBAGE = st.sampled_from([None, -1, -0.5, 2.5, "", "nonsense", [], [1, "x"], {"x": 1}, True, "2025-13-45"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(list(_paths(SMALL))), junk=GARBAGE)
def test_random_corruptions_give_a_key_path_never_a_traceback(path, junk):
    data = copy.deepcopy(SMALL)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = junk
    try:
        build_scenario(data, "corrupt.yaml")
    except InputError as err:  # the only exception bad input may raise
        assert err.source == "corrupt.yaml" and err.key and err.expected
        assert "\n" not in err.message


@settings(max_examples=40, deadline=None)
@given(
    n_options=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    data=st.data(),
)
def test_random_valid_scenarios_load(n_options, data):
    clauses = {f"issue_{i}": {"options": list(range(n))} for i, n in enumerate(n_options)}
    parties = {}
    for name in ("a", "b", "c")[: data.draw(st.integers(2, 3))]:
        weights = {c: data.draw(st.floats(0, 5)) for c in clauses}
        weights[next(iter(clauses))] += 0.1  # at least one positive weight
        parties[name] = {
            "role": "bargainer",
            "weights": weights,
            "values": {c: data.draw(st.sampled_from(["increasing", "decreasing"])) for c in clauses},
            "reservation": data.draw(st.floats(0, 1)),
            "strategy": {"name": data.draw(st.sampled_from(["boulware", "conceder", "hardliner", "tit_for_tat",
                                                             "random", "linear"]))},
        }
    raw = {"name": "random", "seed": 1, "calendar": {"start": "2025-01-01", "deadline": "2025-03-01"},
           "clauses": clauses, "parties": parties}
    scenario = build_scenario(raw)
    assert scenario.space.size == __import__("math").prod(n_options)


def test_set_null_removes_a_key_so_a_tactic_can_be_switched(small):
    data, touched = apply_sets(small, ["parties.seller.strategy.name=hardliner", "parties.seller.strategy.e=null"])
    assert build_scenario(data, "x.yaml", touched).party("seller").strategy.name == "hardliner"
    with pytest.raises(InputError, match="parties.seller.strategy.e"):
        build_scenario(*apply_sets(small, ["parties.seller.strategy.name=hardliner"]))
