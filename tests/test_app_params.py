"""The app's sliders as values of the scenario: untouched, the app plays the
scenario exactly as `negotiation run` does; moved, the model is rebuilt from
the scenario changed in memory and validated."""

from __future__ import annotations

import pytest

import negotiation
from negotiation.viz.params import AppModel, base_scenario, knobs, changes, scenario_files

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
        assert changes(scenario, {k.key: k.default for k in knobs(scenario)}) == {}


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
        html = html.replace("<wbr>", "")  # line-break opportunities after underscores
        assert all(f"<th>{c.name}</th>" in html for c in model.spec.clauses) and "round 3 of" in html
        assert plane_png(model).startswith(b"\x89PNG")


@pytest.mark.parametrize(("seed", "sets"), [("1", {}), (" 3 ", {"reservation__candidate": 0.5})])
def test_a_typed_seed_plays_the_log_of_run_with_that_seed(cli, tmp_path, seed, sets):
    """Same scenario, overrides and seed as `negotiation run --seed N --set …`: the same log, byte for byte."""
    args = [f"--set=parties.candidate.reservation={v}" for v in sets.values()]
    result = cli("run", TEXTBOOK, "--seed", seed.strip(), *args, "--no-png", "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    model = AppModel("job_offer", seed=seed, **sets)
    assert model.seed == int(seed) and model.seed_problem is None
    assert model.run().log.text() == (tmp_path / "run" / "log.jsonl").read_text(encoding="utf-8")


def test_the_seed_changes_the_offers_and_defaults_to_the_scenarios():
    """On the textbook domain the candidate's offers depend on the seed (its tactic draws among
    outcomes of equal utility), so a seed that did nothing would show here."""
    default, other = AppModel("job_offer"), AppModel("job_offer", seed="1")
    assert default.seed == base_scenario("job_offer").seed == AppModel("job_offer", seed="").seed

    def offers(model):
        return [(r["round"], r["from"], r["outcome"]) for r in model.run().log.records if r["type"] == "offer"]

    assert offers(default) != offers(other)


@pytest.mark.parametrize("typed", ["abc", "-1", "1.5", str(2**64)])
def test_a_seed_that_is_not_one_is_said_and_the_scenarios_is_played(typed):
    pytest.importorskip("solara", reason="the app extra (mesa[viz]) is not installed")
    from negotiation.viz.components import status

    model = AppModel("job_offer", seed=typed)
    assert model.seed == base_scenario("job_offer").seed
    assert model.seed_problem and repr(typed) in model.seed_problem
    assert f"seed {model.seed} ({model.seed_problem})" in status(model)


def test_reset_to_another_scenario_drops_the_previous_scenarios_inputs():
    """SolaraViz's Reset passes the inputs on screen, which were the previous scenario's."""
    model = AppModel("openai_microsoft_2025", seed="7", params_of="job_offer", reservation__openai=0.9)
    default = base_scenario("openai_microsoft_2025")
    assert model.changes == {} and model.seed == default.seed
    kept = AppModel("openai_microsoft_2025", seed="7", params_of="openai_microsoft_2025", reservation__openai=0.9)
    assert kept.changes == {"parties.openai.reservation": 0.9} and kept.seed == 7


def test_the_seed_input_follows_mesas_convention_and_shows_the_scenarios_seed():
    pytest.importorskip("solara", reason="the app extra (mesa[viz]) is not installed")
    from negotiation.viz.page import model_params

    for name in scenario_files():
        params = model_params(name)
        assert params["seed"] == {"type": "InputText", "value": str(base_scenario(name).seed),
                                  "label": "seed (applied on Reset)"}
        assert params["params_of"] == name


@pytest.mark.parametrize(("host", "public", "served"), [
    ("0.0.0.0", None, False), ("::", None, False), ("192.168.1.20", None, False), ("0.0.0.0", "1", True),
    ("127.0.0.1", None, True), ("localhost", None, True), ("::1", None, True)])
def test_the_app_serves_only_on_a_loopback_address_unless_asked(monkeypatch, host, public, served):
    """`solara run` binds to $HOST when --host is not given (0.0.0.0 in many
    containers): the app, which has no authentication, then says how to serve
    it locally instead of starting, unless NEGOTIATION_APP_PUBLIC=1."""
    pytest.importorskip("solara", reason="the app extra (mesa[viz]) is not installed")
    import ipyvuetify
    import solara

    from negotiation.viz import page

    monkeypatch.setenv("SERVER_NAME", host)  # where `solara run` says it listens
    if public is None:
        monkeypatch.delenv("NEGOTIATION_APP_PUBLIC", raising=False)
    else:
        monkeypatch.setenv("NEGOTIATION_APP_PUBLIC", public)
    assert (page.exposed_host() is None) == served
    if not served:
        _, rc = solara.render(page.Page(), handle_error=False)
        text = " ".join(map(str, rc.find(ipyvuetify.Alert).widget.children))
        assert f"listening on {host}" in text and "solara run app.py --host 127.0.0.1" in text


def test_moved_sliders_change_the_scenario_in_memory_without_reading_yaml(monkeypatch):
    """The sliders are values at key paths (data, not `--set` text), applied to the scenario
    in memory: the scenario file is not read again, and the result is the scenario the same
    values give through the Python API."""
    from negotiation.inputs import config

    file = scenario_files()["job_offer"]
    base_scenario("job_offer")  # the file as written, read once (cached)
    read = config.read_text

    def no_rereading(path):
        assert path.resolve() != file.resolve(), "the scenario file was read again"
        return read(path)

    monkeypatch.setattr(config, "read_text", no_rereading)
    model = AppModel("job_offer", reservation__candidate=0.5, weight__employer__salary_keur=0.9)
    assert model.changes["parties.candidate.reservation"] == 0.5
    assert set(model.changes["parties.employer.weights"]) == {c.name for c in model.spec.clauses}
    monkeypatch.setattr(config, "read_text", read)
    same = negotiation.load_scenario(TEXTBOOK, sets=model.changes)
    assert model.run().log.text() == negotiation.simulate(same).log_text
