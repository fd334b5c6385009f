"""Bargaining analysis: the frontier and the solution points, checked
against brute force and against the invariants users rely on."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from negotiation.domain import bargaining as A

SOLVERS = {
    "nash": A.nash_point,
    "kalai_smorodinsky": A.kalai_smorodinsky_point,
    "utilitarian": A.utilitarian_point,
    "egalitarian": A.egalitarian_point,
}


@st.composite
def problems(draw, max_rows: int = 40, max_parties: int = 5):
    """A utility array (coarse values, so ties and duplicate rows are common,
    or arbitrary floats), reservation values and a mask of allowed outcomes."""
    n = draw(st.integers(1, max_rows))
    m = draw(st.integers(1, max_parties))
    if draw(st.booleans()):
        U = draw(arrays(np.int64, (n, m), elements=st.integers(0, 4))) / 4
    else:
        U = draw(arrays(np.float64, (n, m), elements=st.floats(0, 1, allow_nan=False)))
    rv = draw(arrays(np.float64, (m,), elements=st.sampled_from([0.0, 0.25, 0.4, 0.5, 0.8])))
    mask = draw(arrays(np.bool_, (n,), elements=st.booleans())) if draw(st.booleans()) else None
    return U, rv, mask


def brute_front(U: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    allowed = np.ones(len(U), dtype=bool) if mask is None else mask
    return np.array([i for i in range(len(U))
                     if allowed[i] and not A.dominates(U[allowed], U[i]).any()], dtype=np.int64)


def score_of(name: str, u: np.ndarray, rv: np.ndarray, ideal: np.ndarray) -> float:
    gains = u - rv
    if name == "nash":
        return float(np.prod(gains))
    if name == "utilitarian":
        return float(u.sum())
    if name == "egalitarian":
        return float(gains.min())
    return float(np.where(ideal > 0, gains / np.where(ideal > 0, ideal, 1), 1).min())


# -- the frontier --------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(problems())
def test_frontier_holds_exactly_the_undominated_allowed_outcomes(problem):
    U, _, mask = problem
    front = A.pareto_front(U, mask)
    allowed = np.ones(len(U), dtype=bool) if mask is None else mask
    assert np.array_equal(front, np.unique(front)), "sorted, no repeats"
    assert allowed[front].all(), "a ruled-out outcome is never on the frontier"
    for i in front:  # nothing allowed dominates a frontier point
        assert not A.dominates(U[allowed], U[i]).any()
    for i in np.setdiff1d(np.flatnonzero(allowed), front):  # a frontier point dominates every other
        assert A.dominates(U[front], U[i]).any()


@settings(max_examples=200, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_outcome_order(problem, random):
    U, rv, mask = problem
    perm = np.array(random.sample(range(len(U)), len(U)))
    U2, mask2 = U[perm], None if mask is None else mask[perm]
    assert np.array_equal(np.sort(perm[A.pareto_front(U2, mask2)]), A.pareto_front(U, mask))
    for name, solve in SOLVERS.items():
        a, b = solve(U, rv, mask), solve(U2, rv, mask2)
        assert (a is None) == (b is None), name
        if a is not None:
            assert np.array_equal(U[a], U2[b]), f"{name}: {U[a]} vs {U2[b]}"


@settings(max_examples=200, deadline=None)
@given(problems())
def test_solution_points_are_rational_on_the_frontier_and_optimal(problem):
    U, rv, mask = problem
    allowed = np.ones(len(U), dtype=bool) if mask is None else mask
    rational = allowed & (U >= rv).all(axis=1)
    front = set(A.pareto_front(U, mask).tolist())
    ideal = (U[rational] - rv).max(axis=0) if rational.any() else None
    for name, solve in SOLVERS.items():
        point = solve(U, rv, mask)
        if not rational.any():
            assert point is None, name
            continue
        assert point in front, f"{name} point {point} is not on the frontier"
        assert rational[point], f"{name} point is below a reservation value or ruled out"
        best = max(score_of(name, U[i], rv, ideal) for i in np.flatnonzero(rational))
        assert score_of(name, U[point], rv, ideal) == pytest.approx(best, abs=1e-12), name


@settings(max_examples=200, deadline=None)
@given(problems(max_parties=4))
def test_each_exact_algorithm_alone_matches_brute_force(problem):
    """The pre-filter drops most dominated rows before the exact algorithms
    see them; here each algorithm gets every row, ties and all."""
    U = problem[0]
    expected = np.zeros(len(U), dtype=bool)
    expected[brute_front(U)] = True
    if U.shape[1] == 2:
        assert np.array_equal(A._front_two(U), expected)
    if U.shape[1] >= 2:
        assert np.array_equal(A._front_many(U), expected)
    assert np.array_equal(np.sort(A._prefilter(U)[expected[A._prefilter(U)]]), np.flatnonzero(expected)), \
        "the pre-filter never drops a frontier row"


def test_rational_frontier_is_the_frontier_of_the_rational_outcomes():
    rng = np.random.default_rng(5)
    U = rng.random((400, 3))
    rv = np.array([0.3, 0.5, 0.2])
    rational = (U >= rv).all(axis=1)
    expected = brute_front(U, rational)
    assert np.array_equal(A.rational_front(U, rv), expected)
    result = A.analyse(U, rv)
    assert np.array_equal(result.rational_pareto, expected)
    assert set(expected) <= set(result.pareto.tolist())


@pytest.mark.parametrize("m", [2, 3, 5])
def test_large_frontier_with_many_ties_matches_brute_force(m):
    """Enough rows for several blocks, coarse values for long runs of equal sums."""
    rng = np.random.default_rng(m)
    U = rng.integers(0, 9, size=(3000, m)) / 8
    U[:, 0] = 1 - U[:, 1] * rng.integers(0, 2, size=3000)  # trade-offs, so the frontier is not tiny
    mask = rng.random(3000) < 0.9
    assert np.array_equal(A.pareto_front(U, mask), brute_front(U, mask))


def test_anti_correlated_utilities_put_every_outcome_on_the_frontier():
    u = np.linspace(0, 1, 2001)
    assert A.pareto_front(np.c_[u, 1 - u]).size == 2001
    x = np.random.default_rng(1).dirichlet(np.ones(3), 1500)  # rows on the simplex
    assert np.array_equal(A.pareto_front(x), brute_front(x))


# -- worked examples ----------------------------------------------------------------

def test_textbook_example():
    #              A         B         C            D (dominated by C)  E (copy of C)
    U = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6], [0.5, 0.5], [0.6, 0.6]])
    assert A.pareto_front(U).tolist() == [0, 1, 2, 4], "both copies of C are kept"
    rv = np.zeros(2)
    assert A.nash_point(U, rv) == 2, "the first of the two copies"
    assert A.kalai_smorodinsky_point(U, rv) == 2
    assert A.utilitarian_point(U, rv) == 2
    assert A.egalitarian_point(U, rv) == 2
    # Reservation values move the Nash point: only A and C leave party 0 at least 0.55.
    assert A.nash_point(U, np.array([0.55, 0.0])) == 2
    assert A.nash_point(U, np.array([0.7, 0.0])) == 0
    assert A.nash_point(U, np.array([0.7, 0.7])) is None


def test_the_four_points_differ_where_the_definitions_say():
    U = np.array([[1.0, 0.0], [0.9, 0.35], [0.55, 0.6], [0.0, 0.62]])
    rv = np.zeros(2)
    # Nash: products 0.315 < 0.33. Egalitarian: smallest gains 0.35 < 0.55.
    assert A.nash_point(U, rv) == 2
    assert A.egalitarian_point(U, rv) == 2
    # K–S: ideal point (1, 0.62); smallest shares 0.565 (row 1) > 0.55 (row 2).
    assert A.kalai_smorodinsky_point(U, rv) == 1
    # Utilitarian: sums 1.25 > 1.15.
    assert A.utilitarian_point(U, rv) == 1
    # Raising party 1's reservation value to 0.3 shrinks its gains: Nash moves.
    assert A.nash_point(U, np.array([0.0, 0.3])) == 2
    assert A.nash_point(U, np.array([0.5, 0.0])) == 1  # 0.4·0.35 = 0.14 > 0.05·0.6


def test_kalai_smorodinsky_ideal_point_is_taken_over_rational_outcomes():
    # Party 0's best outcome (row 0) leaves party 1 below its reservation value,
    # so it does not set party 0's ideal: the ideal gains are (0.6, 0.6), and
    # row 1's smallest share (0.83) beats row 2's (0.67). Over the whole space
    # the ideal would be (1.0, 0.6) and row 2 would win.
    U = np.array([[1.0, 0.0], [0.5, 0.8], [0.6, 0.6]])
    assert A.kalai_smorodinsky_point(U, np.array([0.0, 0.2])) == 1


def test_hard_constraints_rule_outcomes_out_of_every_result():
    U = np.array([[0.9, 0.9], [0.8, 0.5], [0.5, 0.8], [0.1, 0.1]])
    mask = np.array([False, True, True, True])  # the best outcome is forbidden
    rv = np.zeros(2)
    assert A.pareto_front(U, mask).tolist() == [1, 2]
    result = A.analyse(U, rv, mask)
    assert 0 not in result.points.values()
    assert result.nash in (1, 2)
    assert A.nash_point(U, rv, np.zeros(4, dtype=bool)) is None
    assert A.pareto_front(U, np.zeros(4, dtype=bool)).size == 0


def test_distances_to_frontier_and_points():
    U = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6], [0.3, 0.2]])
    result = A.analyse(U, np.zeros(2))
    assert result.distance_to_frontier(U[2]) == 0.0
    assert result.distance_to_frontier(U[3]) == pytest.approx(np.hypot(0.3, 0.4))
    d = result.distances(U[3])
    assert d["nash"] == pytest.approx(np.hypot(0.3, 0.4))
    assert set(d) == {"frontier", *A.POINTS}
    far = A.distance_to_set(np.array([[0.0, 0.0], [1.0, 1.0]]), U[:2])
    assert far.tolist() == pytest.approx([1.0, 1.0])
    assert A.distance_to_set(U[0], np.empty((0, 2)))[0] == np.inf


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((3, 0)), np.array([[0.1, np.nan]])])
def test_malformed_utilities_are_refused(bad):
    with pytest.raises(ValueError):
        A.pareto_front(bad)


def test_reservations_must_match_the_parties():
    with pytest.raises(ValueError, match="2 finite reservation values"):
        A.nash_point(np.zeros((3, 2)), np.zeros(3))


# -- negotiation analyze -------------------------------------------------------------

def _json(path):
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def _scenario_arrays(path):
    """The scenario's problem as arrays, computed here from its preferences and
    rules (parties, U, reservation values, the mask every rule allows, and
    what the analysis says each party rules out)."""
    from negotiation.domain.preferences import Preferences, allowed, utility
    from negotiation.domain.spaces import space_for
    from negotiation.scenarios.load import load_scenario
    from negotiation.reports.analysis.report import problem

    scenario = load_scenario(path)
    spec, space = problem(scenario), scenario.space
    U = np.column_stack([utility(p, space) for p in spec.preferences])
    mask = np.ones(space.size, dtype=bool)
    for _, rule in spec.rules:
        by_clause = Preferences({}, {}, constraints=rule.constraints)
        mask &= rule.mask(space) if rule.mask is not None else allowed(by_clause, space)
    rv = np.array([p.reservation for p in spec.preferences])
    return scenario, spec.parties, U, rv, mask, space_for(space).analyse(spec).ruled_out


def test_analyze_writes_json_and_png_for_scripts(cli, tmp_path, small):
    from tests.conftest import write_yaml

    path = write_yaml(tmp_path / "small.yaml", small)
    result = cli("analyze", path, "--json", tmp_path / "a.json", "--png", tmp_path / "a.png")
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "a.png") in result.output and str(tmp_path / "a.json") in result.output
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = _json(tmp_path / "a.json")
    scenario, parties, U, rv, mask, _ = _scenario_arrays(path)
    clauses = [c.name for c in scenario.clauses]
    front = A.pareto_front(U, mask)
    assert [scenario.space.from_dict({c: e[c] for c in clauses}) for e in data["pareto"]] == front.tolist()
    for entry in data["pareto"]:
        i = scenario.space.from_dict({c: entry[c] for c in clauses})
        assert entry["utilities"] == {p: pytest.approx(U[i, k], abs=1e-6) for k, p in enumerate(parties)}
    for name, solve in SOLVERS.items():
        expected = solve(U, rv, mask)
        assert scenario.space.from_dict({c: data[name][c] for c in clauses}) == expected
        assert data[name] in data["pareto"]
    assert data["reservations"] == {"buyer": 0.3, "seller": 0.3}
    # Same input, same bytes: scripts can diff analyses.
    cli("analyze", path, "--json", tmp_path / "b.json", "--no-png")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_analyze_leaves_out_what_constraints_forbid(cli, tmp_path):
    from tests.conftest import TEXTBOOK

    result = cli("analyze", TEXTBOOK, "--json", tmp_path / "a.json", "--no-png")
    assert result.exit_code == 0, result.output
    data = _json(tmp_path / "a.json")
    # The candidate refuses salaries under 55: such outcomes are never on the frontier or a point.
    assert data["ruled_out"] == {"candidate": data["outcomes"] // 5}
    assert data["allowed"] == data["outcomes"] - data["ruled_out"]["candidate"]
    entries = data["pareto"] + [data[name] for name in SOLVERS]
    assert entries and all(e["salary_keur"] >= 55 for e in entries)
    assert "ruled out" in result.output


def test_analyze_places_the_run_and_the_real_deal(cli, tmp_path, small, monkeypatch):
    import json

    from negotiation.engine.simulate import simulate
    from negotiation.reports.run_folder import save
    from negotiation.scenarios.load import build_scenario

    run = save(simulate(build_scenario(small)), tmp_path / "runs")
    summary = _json(run / "summary.json")
    assert summary["outcome"], "the small scenario ends in agreement"
    real = {"price": 30, "delivery": "normal", "warranty": "one_year"}
    summary["comparison"] = {"clauses": {c: {"simulated": summary["outcome"][c], "real": v} for c, v in real.items()}}
    (run / "summary.json").write_text(json.dumps(summary))
    monkeypatch.chdir(tmp_path)
    result = cli("analyze", "--run", run, "--json", "a.json")  # no SCENARIO: the run's scenario.yaml
    assert result.exit_code == 0, result.output
    assert (run / "frontier.png").is_file() and str(run / "frontier.png") in result.output
    data = _json(tmp_path / "a.json")
    scenario, parties, U, rv, mask, _ = _scenario_arrays(run / "scenario.yaml")
    for key, outcome in (("run", summary["outcome"]), ("real_deal", real)):
        i = scenario.space.from_dict(outcome)
        assert {c: data[key][c] for c in outcome} == outcome
        assert data[key]["utilities"] == {p: pytest.approx(U[i, k], abs=1e-6) for k, p in enumerate(parties)}
        front = U[A.pareto_front(U, mask)]
        assert data[key]["distances"]["frontier"] == pytest.approx(np.min(np.hypot(*(front - U[i]).T)), abs=1e-6)
        nash = U[A.nash_point(U, rv, mask)]
        assert data[key]["distances"]["nash"] == pytest.approx(np.hypot(*(nash - U[i])), abs=1e-6)
    assert "real deal" in result.output


def test_analyze_default_png_path(cli, tmp_path, small, monkeypatch):
    from tests.conftest import write_yaml

    path = write_yaml(tmp_path / "small.yaml", small)
    monkeypatch.chdir(tmp_path)
    result = cli("analyze", path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "runs" / "analysis-small.png").is_file()
    assert "runs/analysis-small.png" in result.output


def test_analyze_bad_input_exits_2(cli, tmp_path, small):
    import json

    from negotiation.engine.simulate import simulate
    from negotiation.reports.run_folder import save
    from negotiation.scenarios.load import build_scenario
    from tests.conftest import write_yaml

    path = write_yaml(tmp_path / "small.yaml", small)
    result = cli("analyze", path, "--x", "nobody", "--no-png")
    assert result.exit_code == 2 and "--x: nobody: a party with preferences expected (buyer, seller)" in result.stderr
    assert result.stdout == ""
    result = cli("analyze", path, "--x", "seller", "--y", "seller", "--no-png")
    assert result.exit_code == 2 and "--y: seller: a party other than the --x party" in result.stderr
    run = save(simulate(build_scenario(small)), tmp_path / "runs")
    summary = _json(run / "summary.json")
    summary["outcome"]["price"] = 99
    (run / "summary.json").write_text(json.dumps(summary))
    result = cli("analyze", path, "--run", run, "--no-png")
    assert result.exit_code == 2
    assert "summary.json: outcome.price: an option of" in result.stderr and "99" in result.stderr
    (run / "summary.json").write_text("{not json")
    result = cli("analyze", path, "--run", run, "--no-png")
    assert result.exit_code == 2 and "summary.json" in result.stderr and "corrupt" in result.stderr
    result = cli("analyze", path, "--run", tmp_path / "nowhere", "--no-png")
    assert result.exit_code == 2 and "nowhere" in result.stderr


def test_analyze_reads_the_log_when_there_is_no_summary_and_notes_a_partial_real_deal(cli, tmp_path, small):
    import json

    from negotiation.engine.simulate import simulate
    from negotiation.reports.run_folder import save
    from negotiation.scenarios.load import build_scenario

    run = save(simulate(build_scenario(small)), tmp_path / "runs")
    outcome = _json(run / "summary.json")["outcome"]
    (run / "summary.json").unlink()
    result = cli("analyze", "--run", run / "log.jsonl", "--json", tmp_path / "a.json", "--no-png")
    assert result.exit_code == 0, result.output
    data = _json(tmp_path / "a.json")
    assert {c: data["run"][c] for c in outcome} == outcome  # from the log's end record
    assert "real_deal" not in data
    partial = {"clauses": {"price": {"real": 30}, "delivery": {"real": "fast"}}}  # no real warranty
    (run / "summary.json").write_text(json.dumps({"result": "agreement", "outcome": outcome, "comparison": partial}))
    result = cli("analyze", "--run", run, "--json", tmp_path / "b.json", "--no-png")
    assert result.exit_code == 0, result.output
    assert _json(tmp_path / "b.json")["real_deal"] == {"note": "the real deal has no option for warranty"}
    assert "the real deal has no option for warranty" in result.output


def test_analyze_leaves_out_what_a_ratifier_would_veto(cli, tmp_path, small):
    from tests.conftest import write_yaml

    small["parties"]["regulator"] = {"role": "ratifier", "requires": {"warranty": ["one_year", "two_years"]}}
    path = write_yaml(tmp_path / "small.yaml", small)
    result = cli("analyze", path, "--json", tmp_path / "a.json", "--no-png")
    assert result.exit_code == 0, result.output
    data = _json(tmp_path / "a.json")
    assert data["parties"] == ["buyer", "seller"]  # a ratifier holds no preferences
    assert data["ruled_out"] == {"regulator": data["outcomes"] // 3}
    entries = data["pareto"] + [data[name] for name in SOLVERS]
    assert all(e["warranty"] != "none" for e in entries)
