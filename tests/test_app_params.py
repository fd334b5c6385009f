"""The app's sliders as scenario overrides: untouched, the app plays the
scenario exactly as `negotiation run` does; moved, the model is rebuilt from
the overridden, validated scenario."""

from __future__ import annotations

import pytest

import negotiation
from negotiation.viz.params import AppModel, base_scenario, knobs, overrides, scenario_files

from .conftest import TEXTBOOK


def test_every_shipped_scenario_is_offered_with_its_bargainers_sliders():
    files = scenario_files()
    assert {"job_offer", "openai_microsoft_2025"} <= set(files)
    for name in files:
        scenario = base_scenario(name)
        keys = [k.key for k in knobs(scenario)]
        for party in scenario.bargainers:
            assert f"reservation__{party.name}" in keys
            assert all(f"weight__{party.name}__{c.name}" in keys for c in scenario.clauses)
        assert overrides(scenario, {k.key: k.default for k in knobs(scenario)}) == []


def test_untouched_app_model_plays_the_scenario_as_written():
    model = AppModel("job_offer")
    assert model.run().log.text() == negotiation.simulate(TEXTBOOK).log_text


def test_moved_sliders_become_validated_overrides():
    model = AppModel("job_offer", e__employer=2.5, reservation__candidate=0.5, weight__employer__salary_keur=0.9)
    employer = model.spec.party("employer")
    assert employer.strategy.name == "time_dependent" and dict(employer.strategy.params)["e"] == 2.5
    assert model.spec.party("candidate").preferences.reservation == 0.5
    weights = employer.preferences.weights
    assert sum(weights.values()) == pytest.approx(1.0) and max(weights, key=weights.get) == "salary_keur"
    assert model.run().log.text() != AppModel("job_offer").run().log.text()


def test_mesa_reset_arguments_are_accepted():
    """SolaraViz's Reset passes Mesa's own scenario object and rng: ignored."""
    model = AppModel(config="job_offer", scenario=object(), rng=None)
    assert model.spec.name == "job_offer"


def test_views_draw_every_shipped_scenario_after_a_few_rounds():
    """Every file of configs/ can be chosen in the app: the table lists its
    clauses and the utility plane draws, enumerable space or not."""
    pytest.importorskip("solara", reason="the app extra (mesa[viz]) is not installed")
    from negotiation.viz.components import offers_table_html, plane_png

    for name in scenario_files():
        model = AppModel(name)
        for _ in range(3):
            model.step()
        html = offers_table_html(model)
        assert all(f"<th>{c.name}</th>" in html for c in model.spec.clauses) and "round 3 of" in html
        assert plane_png(model).startswith(b"\x89PNG")
