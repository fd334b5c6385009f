"""``negotiation replay``: a run's log, round by round, read back from the log alone.

Known runs come from the engine (the textbook job offer and the default
scenario, played here: ~60 ms each) and from a hand-written log with the
records of the real parties (outside offers, reviews, a veto, tentative and
definitive agreements, a comparison with the real deal in summary.json).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from negotiation.errors import InputError
from negotiation.runs.log import LogContents
from negotiation.reports.replay.state import fold, load_replay
from negotiation.reports.replay.grid import Frame, Grid
from negotiation.reports.replay.view import CHANGED, play, renderables
from negotiation.engine.simulate import simulate
from negotiation.reports.run_folder import save
from negotiation.domain.outcomes import option_label
from negotiation.scenarios.load import load_scenario
from negotiation.reports.replay.sparkline import BLOCKS, resample, sparkline

from .conftest import HINDSIGHT, TEXTBOOK

ANSI = "\x1b["


# -- known runs --------------------------------------------------------------------

@pytest.fixture(scope="module", params=[TEXTBOOK, HINDSIGHT], ids=["job_offer", "hindsight"])
def engine_run(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "run"
    save(simulate(load_scenario(request.param)), out=out)
    return out


def records_of(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "log.jsonl").read_text().splitlines()]


HEADER = {
    "type": "header", "schema": "negotiation.log/1", "scenario": "handmade", "seed": 1, "config_hash": "abcd1234",
    "parties": [
        {"name": "buyer", "role": "bargainer", "strategy": "boulware", "reservation": 0.3, "deadline": "2025-03-01"},
        {"name": "seller", "role": "bargainer", "strategy": "conceder", "reservation": 0.3, "deadline": "2025-03-01"},
        {"name": "regulator", "role": "ratifier", "requires": {"warranty": ">= one_year"}, "review_days": 14},
        {"name": "rival", "role": "outside_option", "offers_to": "seller", "on": "2025-01-06"},
    ],
    "clauses": {"price": [10, 20, 30, 40], "warranty": ["none", "one_year", "two_years"]},
    "calendar": {"start": "2025-01-01", "round_days": 7, "deadline": "2025-03-01", "rounds": 9},
}


def offer(rnd: int, date: str, who: str, price: int, warranty: str, ub: float, us: float, rs: float = 0.3):
    return {"type": "offer", "round": rnd, "date": date, "from": who, "outcome": {"price": price, "warranty": warranty},
            "utilities": {"buyer": ub, "seller": us}, "reservations": {"buyer": 0.3, "seller": rs}}


def answer(rnd: int, date: str, who: str, to: str, accept: bool):
    return {"type": "response", "round": rnd, "date": date, "party": who, "to": to, "accept": accept}


FINAL = {"price": 30, "warranty": "one_year"}
HANDMADE = [
    HEADER,
    offer(1, "2025-01-01", "buyer", 10, "two_years", 1.0, 0.0), answer(1, "2025-01-01", "seller", "buyer", False),
    offer(1, "2025-01-01", "seller", 40, "none", 0.0, 1.0), answer(1, "2025-01-01", "buyer", "seller", False),
    {"type": "event", "round": 2, "date": "2025-01-06", "kind": "outside_offer", "party": "rival",
     "text": "rival offers the seller a supply contract", "changes": {"seller": {"reservation": [0.3, 0.45]}}},
    offer(2, "2025-01-08", "buyer", 20, "two_years", 0.8, 0.3, 0.45),
    answer(2, "2025-01-08", "seller", "buyer", False),
    offer(2, "2025-01-08", "seller", 30, "none", 0.4, 0.75, 0.45), answer(2, "2025-01-08", "buyer", "seller", True),
    {"type": "agreement", "round": 2, "date": "2025-01-08", "stage": "tentative",
     "outcome": {"price": 30, "warranty": "none"}, "utilities": {"buyer": 0.4, "seller": 0.75}},
    {"type": "event", "round": 2, "date": "2025-01-08", "kind": "review_open", "party": "regulator",
     "text": "regulator opens its review; decision due 2025-01-22"},
    {"type": "ratification", "round": 4, "date": "2025-01-22", "party": "regulator", "decision": "veto",
     "condition": "warranty >= one_year"},
    {"type": "event", "round": 4, "date": "2025-01-22", "kind": "back_to_table", "party": "regulator",
     "text": "vetoed by regulator: warranty must be >= one_year"},
    offer(4, "2025-01-22", "buyer", 30, "one_year", 0.5, 0.6, 0.45), answer(4, "2025-01-22", "seller", "buyer", True),
    {"type": "agreement", "round": 4, "date": "2025-01-22", "stage": "tentative", "outcome": FINAL,
     "utilities": {"buyer": 0.5, "seller": 0.6}},
    {"type": "ratification", "round": 6, "date": "2025-02-05", "party": "regulator", "decision": "approve",
     "condition": None},
    {"type": "agreement", "round": 6, "date": "2025-02-05", "stage": "definitive", "outcome": FINAL,
     "utilities": {"buyer": 0.5, "seller": 0.6}},
    {"type": "end", "round": 6, "date": "2025-02-05", "result": "agreement",
     "reason": "every bargainer accepted and every ratifier approved", "outcome": FINAL,
     "utilities": {"buyer": 0.5, "seller": 0.6}},
]
COMPARISON = {"truth": "data/handmade.yaml", "matched": 1, "total": 2, "days_off_tentative": -3,
              "days_off_definitive": 12, "score": 0.5,
              "clauses": {"price": {"simulated": 30, "real": 30, "match": True, "distance": 0},
                          "warranty": {"simulated": "one_year", "real": "two_years", "match": False, "distance": 1}}}


def write_log(folder: Path, records: list[dict[str, Any]], summary: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    if summary is not None:
        (folder / "summary.json").write_text(json.dumps(summary))
    return folder


@pytest.fixture
def handmade(tmp_path) -> Path:
    summary = {"scenario": "handmade", "seed": 1, "config_hash": "abcd1234", "result": "agreement",
               "comparison": COMPARISON}
    return write_log(tmp_path / "handmade", HANDMADE, summary)


def render(folder: Path, first: int | None = None, last: int | None = None, party: str | None = None,
           terminal: bool = False, width: int = 200) -> str:
    replay = load_replay(folder)
    if party:
        replay = replay.seen_by(party)
    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=terminal,
                      color_system="truecolor" if terminal else None)
    lo, hi = replay.span
    for renderable in renderables(replay, lo if first is None else first, hi if last is None else last,
                                  plain=not terminal, width=width):
        console.print(renderable)
    return console.export_text()


def blocks(text: str) -> dict[int, list[str]]:
    """Plain output split by its round headings: round number → its lines."""
    out: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        heading = re.match(r"^round (\d+) · \S+ ─", line)
        if heading:
            current = out.setdefault(int(heading.group(1)), [])
        elif re.match(r"^\S.* ─{3,}$", line):
            current = None  # another section (concession, ending)
        elif current is not None:
            current.append(line.rstrip())
    return out


# -- what a replay shows -------------------------------------------------------------

def test_replay_of_a_known_run_shows_every_offer_its_utilities_and_the_ending(engine_run):
    records = records_of(engine_run)
    text = render(engine_run)
    shown = blocks(text)
    offers = [r for r in records if r["type"] == "offer"]
    assert sorted(shown) == sorted({r["round"] for r in records[1:]})
    for number, lines in shown.items():
        made = [o for o in offers if o["round"] == number]
        for clause in records[0]["clauses"] if made else []:
            row = next(line for line in lines if line.startswith(clause + " "))
            assert [w for w in row.split()[1:] if w != "*"] == [option_label(o["outcome"][clause]) for o in made]
        for party in made[0]["utilities"] if made else []:
            row = next(line for line in lines if line.startswith(f"{party} rv "))
            assert row.split()[2] == f"{made[-1]['reservations'][party]:.3f}"
            assert re.findall(r"\b[01]\.\d{3}\b", row)[1:] == [f"{o['utilities'][party]:.3f}" for o in made]
        answers = [r for r in records if r["type"] == "response" and r["round"] == number]
        row = " ".join(line for line in lines if "accepts" in line or "rejects" in line)
        assert row.count("accepts") == sum(a["accept"] for a in answers)
        assert row.count("rejects") == sum(not a["accept"] for a in answers)
    end = records[-1]
    ending = text[text.index("\nEnding "):]
    assert f"{end['result'].upper()} on {end['date']} (round {end['round']})" in ending
    for party, u in (end.get("utilities") or {}).items():
        assert re.search(rf"^{party}\s+{u:.3f}\s", ending, re.M)
    for clause, value in (end.get("outcome") or {}).items():
        assert re.search(rf"^{clause}\s+{re.escape(option_label(value))}\b", ending, re.M)


def test_changed_clauses_are_marked_against_the_same_partys_previous_offer(engine_run):
    records = records_of(engine_run)
    shown = blocks(render(engine_run))
    previous: dict[str, dict[str, Any]] = {}
    marked = 0
    for number, lines in shown.items():
        made = [r for r in records if r["type"] == "offer" and r["round"] == number]
        for clause in records[0]["clauses"] if made else []:
            row = next(line for line in lines if line.startswith(clause + " "))
            cells = re.split(r" {2,}", row.strip())[1:]
            for o, cell in zip(made, cells, strict=True):
                before = previous.get(o["from"])
                changed = before is not None and before[clause] != o["outcome"][clause]
                assert cell.endswith(" *") == changed, (number, clause, o["from"])
                marked += changed
        for o in made:
            previous[o["from"]] = o["outcome"]
    assert marked > 0  # the parties conceded on something


def test_in_a_terminal_changes_are_highlighted_and_answers_coloured(engine_run):
    records = records_of(engine_run)
    number = next(r["round"] for r in records if r["type"] == "response" and r["accept"])
    replay = load_replay(engine_run)
    console = Console(record=True, width=160, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    play(replay, console, number, number, animate=False, speed=0)
    html = console.export_html(inline_styles=True)
    assert "accepts" in html and "color: #008000" in html  # green for the acceptance
    assert "background-color: #808000" in html  # the highlight of a changed clause
    assert ANSI not in render(engine_run)


def test_the_concession_view_tells_boulware_from_conceder(tmp_path):
    """In the job offer, the Boulware employer (e = 0.3) has made far less of
    its concession by mid-run than the Conceder candidate (e = 1.5)."""
    out = tmp_path / "run"
    save(simulate(load_scenario(TEXTBOOK)), out=out)
    text = render(out)
    section = text[text.index("\nConcession: "):text.index("\nEnding ")]
    share = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+) .*?(\d+)%$", section, re.M)}
    assert set(share) == {"employer", "candidate"}
    assert share["employer"] < share["candidate"]
    chart = {line.split()[0]: line.split()[2] for line in section.splitlines()[3:5]}
    assert all(set(c) <= set(BLOCKS) for c in chart.values())
    assert chart["employer"][: len(chart["employer"]) // 2].count("█") > chart["candidate"][:len(chart["candidate"]) // 2].count("█")


def test_a_handwritten_log_with_the_real_parties_records_renders_all_of_them(handmade):
    text = render(handmade)
    assert "regulator (ratifier): requires warranty >= one_year · review days 14" in text
    assert "rival (outside_option): offers to seller · on 2025-01-06" in text
    shown = blocks(text)
    assert sorted(shown) == [1, 2, 4, 6]
    r2 = "\n".join(shown[2])
    assert "outside offer (rival) [2025-01-06]  rival offers the seller a supply contract (seller rv 0.300 → 0.450)" in r2
    assert re.search(r"^seller rv 0\.450 ", r2, re.M)  # its reservation value after the outside offer
    assert "tentative agreement — goes to the ratifiers · buyer 0.400 · seller 0.750" in r2
    assert "review open (regulator)" in r2
    r4 = "\n".join(shown[4])
    assert "✗ regulator vetoes the agreement — condition: warranty >= one_year" in r4
    assert re.search(r"^price\s+30 \*$", r4, re.M) and re.search(r"^warranty\s+one_year \*$", r4, re.M)
    r6 = "\n".join(shown[6])
    assert "✓ regulator approves the agreement" in r6
    assert "definitive agreement · buyer 0.500 · seller 0.600 — the terms agreed tentatively on 2025-01-22" in r6
    ending = text[text.index("\nEnding "):]
    assert "tentative agreement on 2025-01-08 (round 2) · tentative agreement on 2025-01-22 (round 4) · " \
           "definitive agreement on 2025-02-05 (round 6)" in ending
    assert re.search(r"^warranty\s+one_year\s+two_years\s+✗ differs\s+1$", ending, re.M)
    assert re.search(r"^price\s+30\s+30\s+✓ same\s+0$", ending, re.M)
    assert "matches the real deal on 1 of 2 clauses · tentative -3 days from the real date · " \
           "definitive +12 days from the real date · score 0.50 (truth: data/handmade.yaml)" in ending


def test_an_agreement_on_terms_not_on_the_table_lists_them(handmade):
    other = {"price": 20, "warranty": "one_year"}
    records = [r if r["type"] != "agreement" or r["stage"] != "definitive" else {**r, "outcome": other}
               for r in HANDMADE]
    write_log(handmade, records)
    r6 = "\n".join(blocks(render(handmade))[6])
    assert "definitive agreement · buyer 0.500 · seller 0.600\n  price=20, warranty=one_year" in r6


def test_a_summary_of_another_run_is_not_compared(handmade):
    summary = json.loads((handmade / "summary.json").read_text())
    (handmade / "summary.json").write_text(json.dumps({**summary, "seed": 2}))
    assert "real deal" not in render(handmade)


# -- one party's view -------------------------------------------------------------------

def test_party_view_keeps_what_that_party_did_and_saw(handmade):
    buyer = render(handmade, party="buyer")
    assert "as seen by buyer" in buyer
    assert "outside offer" not in buyer  # the rival's offer to the seller is the seller's business
    assert not re.search(r"^seller rv", buyer, re.M) and re.search(r"^buyer rv 0\.300", buyer, re.M)
    assert "buyer offers" in buyer and "seller offers" in buyer  # it made and answered offers
    assert "regulator vetoes" in buyer and "DEFINITIVE" not in buyer  # public decisions, result
    seller = render(handmade, party="seller")
    assert "outside offer (rival)" in seller and "seller rv 0.300 → 0.450" in seller
    regulator = render(handmade, party="regulator")
    assert "buyer offers" not in regulator and sorted(blocks(regulator)) == [2, 4, 6]
    assert "review open (regulator)" in regulator and "regulator approves" in regulator


def test_party_view_of_an_engine_run_drops_the_others_utilities(engine_run, cli):
    me, other = [p["name"] for p in records_of(engine_run)[0]["parties"] if p["role"] == "bargainer"][:2]
    result = cli("replay", engine_run, "--party", me, "--no-animate")
    assert result.exit_code == 0, result.output
    assert re.search(rf"^{me} rv ", result.stdout, re.M) and not re.search(rf"^{other} rv ", result.stdout, re.M)
    assert f"Concession: {me}'s utility of its own offers and of the best it received" in result.stdout
    assert re.search(r"^best offer received ", result.stdout, re.M)


def test_an_unknown_party_is_refused_naming_the_parties(handmade, cli):
    result = cli("replay", handmade, "--party", "mallory")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == ("error: --party: mallory: one of the run's parties expected: "
                                     "buyer, seller, regulator, rival")


# -- the command: ranges, pipes, broken logs -------------------------------------------

def test_piped_output_is_plain_text(engine_run, cli, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    result = cli("replay", engine_run)  # not a terminal: no animation, no colour, no frames
    assert result.exit_code == 0, result.output
    assert ANSI not in result.output and "╭" not in result.output
    assert "Ending" in result.stdout


def test_round_jumps_to_one_round_and_from_to_bound_the_range(engine_run, cli):
    records = records_of(engine_run)
    last = records[-1]["round"]
    logged = sorted({r["round"] for r in records[1:]})  # a forecast logs no round before its as_of
    k = logged[len(logged) // 2]
    one = cli("replay", engine_run, "--round", k)
    assert one.exit_code == 0 and sorted(blocks(one.stdout)) == [k]
    assert f"rounds 1–{k}" in one.stdout and "Ending" not in one.stdout
    span = cli("replay", engine_run, "--from", logged[1], "--to", logged[2])
    assert sorted(blocks(span.stdout)) == [logged[1], logged[2]]
    tail = cli("replay", engine_run, "--from", last)
    assert sorted(blocks(tail.stdout)) == [last] and "Ending" in tail.stdout


@pytest.mark.parametrize("args, option", [
    (["--round", "0"], "--round: 0"), (["--round", "9999"], "--round: 9999"), (["--to", "9999"], "--to: 9999"),
    (["--from", "3", "--to", "2"], "--from: 3"), (["--round", "2", "--from", "1"], "--round: 2"),
    (["--speed", "-1"], "--speed: -1"),
])
def test_bad_options_exit_2_with_one_line(handmade, cli, args, option):
    result = cli("replay", handmade, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {option}")
    if "9999" in args:
        assert "the log holds rounds 1–6" in result.stderr


def test_a_log_cut_mid_line_replays_what_is_complete_then_says_where_it_stops(engine_run, cli, tmp_path):
    lines = (engine_run / "log.jsonl").read_text().splitlines(keepends=True)
    keep = len(lines) * 2 // 3
    cut = write_log(tmp_path / "cut", [])
    (cut / "log.jsonl").write_text("".join(lines[:keep]) + lines[keep][: len(lines[keep]) // 2])
    result = cli("replay", cut, "--no-animate")
    assert result.exit_code == 2
    last_round = json.loads(lines[keep - 1])["round"]
    assert max(blocks(result.stdout)) == last_round and "Ending" not in result.stdout
    assert result.stderr.strip() == (f"error: {cut / 'log.jsonl'}: truncated: line {keep + 1} is incomplete; "
                                     f"the log stops after round {last_round}")


def test_a_log_without_its_end_record_says_so(handmade, cli):
    write_log(handmade, HANDMADE[:-1])
    result = cli("replay", handmade / "log.jsonl")
    assert result.exit_code == 2 and "✓ regulator approves" in result.stdout
    assert result.stderr.strip().endswith("truncated: no end record; the log stops after round 6")


def test_a_log_killed_before_its_first_round_shows_the_header_and_says_so(handmade, cli):
    write_log(handmade, HANDMADE[:1])
    result = cli("replay", handmade)
    assert result.exit_code == 2 and "handmade · seed 1" in result.stdout and "no offers yet" in result.stdout
    assert result.stderr.strip().endswith("truncated: no end record; the log stops after round 0")
    jump = cli("replay", handmade, "--round", "1")
    assert jump.exit_code == 2 and jump.stderr.strip() == "error: --round: 1: no round to show: the log holds no rounds yet"


def test_a_corrupt_line_in_the_middle_names_file_and_line(handmade, cli):
    lines = (handmade / "log.jsonl").read_text().splitlines(keepends=True)
    lines[4] = '{"type": "offer", "round": 1, "date": \n'
    (handmade / "log.jsonl").write_text("".join(lines))
    result = cli("replay", handmade)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {handmade / 'log.jsonl'}:5: ") and "corrupt" in result.stderr


def test_a_record_missing_what_its_type_needs_names_file_line_and_key(handmade, cli):
    broken = [dict(r) for r in HANDMADE]
    del broken[3]["outcome"]
    write_log(handmade, broken)
    result = cli("replay", handmade)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {handmade / 'log.jsonl'}:4: outcome: an offer record with outcome")


def test_a_newer_schema_is_named(handmade, cli):
    write_log(handmade, [{**HEADER, "schema": "negotiation.log/2"}, *HANDMADE[1:]])
    result = cli("replay", handmade)
    assert result.exit_code == 2 and "negotiation.log/2 is newer than this version reads" in result.stderr


def test_a_missing_run_is_bad_input(cli, tmp_path):
    result = cli("replay", tmp_path / "nowhere")
    assert result.exit_code == 2 and "log.jsonl" in result.stderr


# -- animation -------------------------------------------------------------------------

def test_animation_shows_each_round_once_at_the_given_speed(handmade):
    replay = load_replay(handmade)
    sleeps: list[float] = []
    console = Console(record=True, width=120, file=io.StringIO(), force_terminal=True)
    play(replay, console, 1, 6, animate=True, speed=0.25, sleep=sleeps.append)
    assert sleeps == [0.25] * 4  # rounds 1, 2, 4 and 6
    text = console.export_text()
    for number in (1, 2, 4, 6):
        assert text.count(f"round {number} · ") >= 1
    assert "Ending" in text and "╭" in text


# -- the fold, as properties ----------------------------------------------------------------

CLAUSES = {"a": [0, 1, 2], "b": ["x", "y"], "c": [10, 20, 30]}
offers_strategy = st.lists(st.tuples(st.sampled_from(["p", "q", "r"]),
                                     st.fixed_dictionaries({c: st.sampled_from(o) for c, o in CLAUSES.items()}),
                                     st.floats(0, 1), st.booleans(), st.integers(0, 2)),
                           min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(offers_strategy)
def test_fold_marks_changes_attaches_answers_and_traces_concession(moves):
    header = {**HEADER, "parties": [{"name": n, "role": "bargainer", "reservation": 0.2} for n in "pqr"],
              "clauses": CLAUSES}
    records: list[dict[str, Any]] = [header]
    rnd = 1
    for who, outcome, u, accept, gap in moves:
        rnd += gap
        records.append({"type": "offer", "round": rnd, "date": "2025-01-01", "from": who, "outcome": outcome,
                        "utilities": {who: u}, "reservations": {who: 0.2}})
        records.append({"type": "response", "round": rnd, "date": "2025-01-01", "party": "p" if who != "p" else "q",
                        "to": who, "accept": accept})
    replay = fold(LogContents(Path("log.jsonl"), records))
    folded = [o for r in replay.rounds for o in r.offers]
    assert len(folded) == len(moves)
    last: dict[str, dict[str, Any]] = {}
    for o, (who, outcome, _u, accept, _gap) in zip(folded, moves, strict=True):
        expected = {c for c in CLAUSES if who in last and last[who][c] != outcome[c]}
        assert o.changed == expected and o.first == (who not in last)
        assert [r.accept for r in o.responses] == [accept]
        last[who] = outcome
    series = replay.concession()
    lo = replay.span[0]
    for r in replay.rounds:
        for o in r.offers:
            if o is [x for x in r.offers if x.proposer == o.proposer][-1]:
                assert series[o.proposer][r.number - lo] == o.utilities[o.proposer]


def test_seen_by_an_unknown_party_is_an_input_error(handmade):
    with pytest.raises(InputError, match="mallory"):
        load_replay(handmade).seen_by("mallory")


# -- sparklines ------------------------------------------------------------------------------

def fill(column: list[str]) -> int:
    return sum(BLOCKS.index(ch) for ch in column)


values = st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=1, max_size=120)


@settings(max_examples=100, deadline=None)
@given(values, st.integers(1, 80), st.integers(1, 3))
def test_sparkline_shape_order_and_gaps(series, width, height):
    rows = sparkline(series, width, height)
    n = min(len(series), width)
    assert len(rows) == height and all(len(row) == n for row in rows)
    columns = [[row[k] for row in rows] for k in range(n)]
    points = resample(np.array(series, dtype=float), width)
    for k, column in enumerate(columns):
        if np.isnan(points[k]):
            assert column == [" "] * height
        else:
            assert fill(column) >= 1
    present = [k for k in range(n) if not np.isnan(points[k])]
    for i in present:
        for j in present:
            if points[i] < points[j]:
                assert fill(columns[i]) <= fill(columns[j])


def test_sparkline_scale_is_absolute():
    assert sparkline([0.0, 0.5, 1.0]) == ["▁▄█"]
    assert sparkline([1.0, 1.0], height=2) == ["██", "██"]
    assert resample(np.array([1.0, 3.0, np.nan, np.nan, 5.0, 7.0]), 3).tolist()[::2] == [2.0, 6.0]
    assert np.isnan(resample(np.array([1.0, 3.0, np.nan, np.nan, 5.0, 7.0]), 3)[1])


def test_the_concession_view_shows_reservation_values_as_of_its_last_round(handmade):
    early = render(handmade, last=1)
    late = render(handmade)
    concession = re.compile(r"^seller\s+1\.000\s+\S+\s+(?:\S+\s+)?([01]\.\d{3})\s+([01]\.\d{3})", re.M)
    assert concession.search(early[early.index("\nConcession"):]).group(2) == "0.300"
    assert concession.search(late[late.index("\nConcession"):]).group(2) == "0.450"


# -- the light renderables ------------------------------------------------------------------

def grid_text(grid: Grid, width: int, terminal: bool = False) -> list[str]:
    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=terminal)
    console.print(grid)
    return console.export_text().splitlines()


def test_a_grid_aligns_its_columns_and_falls_back_to_a_wrapping_table_when_narrow():
    header = [Text(""), Text("left", style="bold"), Text("right")]
    rows = [[Text("a"), Text("short", style=CHANGED), Text("x")],
            [Text("longer label", style="cyan"), Text("v"), Text("two\nlines")]]
    wide = grid_text(Grid(header, rows, rule=False), 80)
    assert wide == ["              left   right", "a             short  x",
                    "longer label  v      two", "                     lines"]
    narrow = grid_text(Grid(header, rows), 24)  # the grid needs 26 cells
    assert all(len(line) <= 24 for line in narrow)
    words = " ".join(narrow).split()
    for word in ("left", "right", "short", "longer", "label", "two", "lines"):
        assert word in words


def test_a_frame_is_a_box_as_wide_as_the_console():
    rows = [[Text("clause", style="cyan"), Text("value")]]
    frame = Frame(Text("round 3 · 2025-01-15"), [Text("a note that is long enough to wrap " * 3),
                                                 Grid([Text(""), Text("offer")], rows)])
    lines = grid_text(frame, 40, terminal=True)  # type: ignore[arg-type]
    assert lines[0].startswith("╭─ round 3 · 2025-01-15 ─") and lines[-1] == "╰" + "─" * 38 + "╯"
    assert all(len(line) == 40 and line[0] in "│╭╰" and line[-1] in "│╮╯" for line in lines)
    assert any(line.startswith("│ clause  value") for line in lines)
