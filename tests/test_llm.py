"""A bargainer played by a language model (issue 24), against a real HTTP
server on 127.0.0.1 (tests/llm_stub.py) and never the network: a run and
its replay from the cache byte for byte, a model that misbehaves, a
timeout, the key never written, no look-ahead in the prompt, bad input."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
import yaml

from negotiation.inputs.sources import load_facts

from .conftest import DEFAULT, ROOT, write_yaml
from .llm_stub import Stub

SECRET = "sk-test-Zq81-never-written"


def llm(url: str, **extra: object) -> str:
    """A --set value making a party the language-model bargainer."""
    keys = {"name": "llm", "model": "stub-1", "base_url": url, **extra}
    return yaml.safe_dump(keys, default_flow_style=True, width=10_000).strip()


def records(folder: Path, kind: str | None = None) -> list[dict]:
    lines = [json.loads(line) for line in (folder / "log.jsonl").read_text().splitlines()]
    return [r for r in lines if kind is None or r["type"] == kind]


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("NEGOTIATION_LLM_API_KEY", SECRET)


@pytest.fixture
def small_llm(small, tmp_path):
    """The small scenario with the seller as a language model (url filled in by the test)."""
    def make(url: str, **extra: object) -> Path:
        small["parties"]["seller"]["strategy"] = yaml.safe_load(llm(url, **extra))
        return write_yaml(tmp_path / "small.yaml", small)
    return make


def test_default_run_against_the_stub_then_replayed_from_the_cache_offline_byte_for_byte(cli, tmp_path):
    cache, first, second = tmp_path / "cache", tmp_path / "first", tmp_path / "second"
    with Stub() as stub:
        done = cli("run", DEFAULT, "--set", f"parties.openai.strategy={llm(stub.url)}", "--llm-cache", cache,
                   "--out", first, "--no-png")
        assert done.exit_code == 0, done.output
    calls = records(first, "llm")
    assert calls and all(c["party"] == "openai" and c["model"] == "stub-1" for c in calls)
    assert len(stub.requests) == len({c["prompt"] for c in calls})  # a repeated prompt is answered from the cache
    for call in calls:  # the prompt hash names the cached exchange
        kept = json.loads((cache / call["prompt"][:2] / f"{call['prompt']}.json").read_text())
        assert kept["request"]["model"] == "stub-1"
    # the server is gone: only the cache can answer
    again = cli("run", DEFAULT, "--set", f"parties.openai.strategy={llm(stub.url)}", "--llm-cache", cache,
                "--llm-cache-only", "--out", second, "--no-png")
    assert again.exit_code == 0, again.output
    for name in ("log.jsonl", "summary.json", "scenario.yaml"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    shown = cli("replay", second, "--no-animate")
    assert "We propose terms worth" in shown.output  # the model's one-line messages


def test_the_prompt_holds_no_real_deal_and_no_later_fact(cli, tmp_path):
    """Every prompt of a default run: no real option the scenario lacks, no
    real date, no fact public after as_of, no fact id, no description."""
    scenario = yaml.safe_load(DEFAULT.read_text())
    with Stub() as stub:
        done = cli("run", DEFAULT, "--set", f"parties.openai.strategy={llm(stub.url)}", "--out", tmp_path / "run",
                   "--no-png")
        assert done.exit_code == 0, done.output
    prompts = [m["content"] for body in stub.requests for m in body["messages"]]
    assert prompts
    truth = yaml.safe_load((ROOT / "seeds" / "real_deal.yaml").read_text())
    for clause, real in truth["clauses"].items():
        options = scenario["clauses"].get(clause, {}).get("options", [])
        if clause in scenario["clauses"] and real["option"] not in options:
            pattern = re.compile(rf"(?<![\w.]){re.escape(str(real['option']))}(?![\w.])")
            assert not any(pattern.search(p) for p in prompts), real["option"]
    for stage in ("tentative", "definitive"):
        assert not any(str(truth["dates"][stage]["date"]) in p for p in prompts)
    as_of = scenario["as_of"]["value"]
    later = [f for f in load_facts(ROOT / "seeds" / "facts.yaml").values() if f.public_on and f.public_on > as_of]
    assert later
    assert not any(f.statement in p for f in later for p in prompts)
    assert not any(re.search(r"\bF\d\d\b", p) for p in prompts)
    assert not any("memorandum" in p.lower() or scenario["description"][:40] in p for p in prompts)
    first = stub.requests[0]["messages"][1]["content"]
    assert re.search(r"Today is (\S+)", first).group(1) > str(as_of)  # no round bargained on or before as_of
    assert "You are openai" in first and "reservation value" in first


def test_a_misbehaving_model_is_retried_then_the_fallback_plays_the_turn(cli, small_llm, tmp_path):
    with Stub(script=["garbage", "unknown", "below"]) as stub:
        done = cli("run", small_llm(stub.url, retries=2), "--out", tmp_path / "run", "--no-png")
        assert done.exit_code == 0, done.output
    calls = records(tmp_path / "run", "llm")
    first = calls[:4]
    assert [c["status"] for c in first] == ["invalid", "invalid", "invalid", "fallback"]
    assert "not JSON" in first[0]["problem"]
    assert "a_moon_base" in first[1]["problem"]
    assert "below your reservation value" in first[2]["problem"]
    assert "boulware plays this turn" in first[3]["problem"]
    assert len({c["prompt"] for c in first[:3]}) == 3  # each retry tells the model what was wrong
    assert "cannot be played" in stub.requests[1]["messages"][-1]["content"]
    log = records(tmp_path / "run")
    turn = log.index(first[3])
    offer = next(r for r in log[turn:] if r["type"] == "offer")
    assert offer["from"] == "seller" and offer["utilities"]["seller"] >= offer["reservations"]["seller"]
    assert all(c["status"] == "ok" for c in calls[4:])  # then the model plays again
    shown = cli("replay", tmp_path / "run", "--no-animate")
    assert "falls back" in shown.output and "invalid answer" in shown.output


def test_a_model_that_walks_away_ends_the_run_in_a_breakdown(cli, small_llm, tmp_path):
    with Stub(script=["walk"]) as stub:
        done = cli("run", small_llm(stub.url), "--out", tmp_path / "run", "--no-png")
    assert done.exit_code == 0, done.output
    end = records(tmp_path / "run")[-1]
    assert end["result"] == "breakdown" and end["party"] == "seller" and "walks away" in end["reason"]


def test_a_timeout_is_one_line_naming_the_endpoint_exit_1_and_no_run_folder(cli, small_llm, tmp_path):
    runs = tmp_path / "runs"
    with Stub(script=["sleep"], delay=3) as stub:
        done = cli("run", small_llm(stub.url, timeout=0.3), "--runs-dir", runs, "--no-png")
    assert done.exit_code == 1
    err = done.stderr.strip()
    assert len(err.splitlines()) == 1 and f"{stub.url}/chat/completions" in err and "timeout" in err
    assert "Traceback" not in done.output
    assert not runs.exists() or not any(runs.iterdir())


def test_a_refused_connection_is_one_line_exit_1(cli, small_llm, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    runs = tmp_path / "runs"
    done = cli("run", small_llm(f"http://127.0.0.1:{port}/v1"), "--runs-dir", runs, "--no-png")
    assert done.exit_code == 1
    assert done.stderr.strip().splitlines() == [
        f"error: http://127.0.0.1:{port}/v1/chat/completions: connection refused; no run folder written"]
    assert not runs.exists() or not any(runs.iterdir())


def test_offline_a_missing_answer_stops_the_run_clearly(cli, small_llm, tmp_path):
    (tmp_path / "cache").mkdir()
    done = cli("run", small_llm("http://127.0.0.1:9/v1"), "--llm-cache", tmp_path / "cache", "--llm-cache-only",
               "--runs-dir", tmp_path / "runs", "--no-png")
    assert done.exit_code == 1
    assert "no cached answer" in done.stderr and "--llm-cache-only" in done.stderr
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(("limits", "key", "said", "calls"), [
    ({"calls": 3}, "limits.calls", "limit of 3 calls", 3),
    ({"tokens": 300}, "limits.tokens", "limit of 300 tokens is passed (360 used)", 3),  # the stub: 120 a call
])
def test_a_limit_of_the_run_stops_it_naming_the_key(cli, small_llm, tmp_path, limits, key, said, calls):
    with Stub() as stub:
        done = cli("run", small_llm(stub.url, limits=limits), "--runs-dir", tmp_path / "runs", "--no-png")
    assert done.exit_code == 1
    assert f"parties.seller.strategy.{key}" in done.stderr and said in done.stderr
    assert len(stub.requests) == calls and not (tmp_path / "runs").exists()


def test_the_key_is_sent_but_never_written_or_logged(cli, small_llm, tmp_path, monkeypatch):
    cache, out = tmp_path / "cache", tmp_path / "run"
    with Stub() as stub:
        done = cli("run", small_llm(stub.url), "--llm-cache", cache, "--out", out)
    assert done.exit_code == 0, done.output
    assert {h.get("Authorization") for h in stub.headers} == {f"Bearer {SECRET}"}
    assert SECRET not in done.output
    for path in [*out.rglob("*"), *cache.rglob("*")]:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    monkeypatch.delenv("NEGOTIATION_LLM_API_KEY")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-other")
    with Stub() as stub:
        assert cli("run", small_llm(stub.url), "--out", tmp_path / "again", "--no-png").exit_code == 0
    assert {h.get("Authorization") for h in stub.headers} == {"Bearer sk-other"}


@pytest.mark.parametrize(("strategy", "key", "expected"), [
    ({"name": "llm", "base_url": "http://127.0.0.1:1/v1"}, "parties.seller.strategy.model", "required"),
    ({"name": "llm", "model": "m", "base_url": "ftp://example.org/v1"}, "parties.seller.strategy.base_url",
     "http:// or https://"),
    ({"name": "llm", "model": "m", "base_url": "https://user:pw@example.org/v1"},
     "parties.seller.strategy.base_url", "without a user or password"),
    ({"name": "llm", "model": "m", "base_url": "http://x/v1", "fallback": {"name": "llm"}},
     "parties.seller.strategy.fallback.name", "expected"),
    ({"name": "llm", "model": "m", "base_url": "http://x/v1", "limits": {"calls": 0}},
     "parties.seller.strategy.limits.calls", "≥ 1"),
])
def test_bad_llm_strategies_name_the_key(cli, small, tmp_path, strategy, key, expected):
    small["parties"]["seller"]["strategy"] = strategy
    done = cli("validate", write_yaml(tmp_path / "bad.yaml", small))
    assert done.exit_code == 2
    assert key in done.stderr and expected in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_cache_folder_that_is_a_file_or_offline_without_one_is_bad_input(cli, small_llm, tmp_path):
    scenario = small_llm("http://127.0.0.1:9/v1")
    (tmp_path / "file").write_text("not a folder")
    done = cli("run", scenario, "--llm-cache", tmp_path / "file", "--runs-dir", tmp_path / "runs")
    assert done.exit_code == 2 and "--llm-cache" in done.stderr and "it is a file" in done.stderr
    done = cli("run", scenario, "--llm-cache-only", "--runs-dir", tmp_path / "runs")
    assert done.exit_code == 2 and "--llm-cache-only" in done.stderr
    assert (tmp_path / "file").read_text() == "not a folder"


def test_from_python_runs_inside_an_llm_session_use_its_cache(small_llm, tmp_path):
    import negotiation
    from negotiation.llm import LlmError
    from negotiation.llm.session import llm_session

    cache = tmp_path / "cache"
    with Stub() as stub:
        scenario = small_llm(stub.url)
        with llm_session(cache):
            first = negotiation.simulate(scenario)
    with llm_session(cache, offline=True):
        again = negotiation.simulate(scenario)
    assert again.log_text == first.log_text and '"type":"llm"' in first.log_text
    with pytest.raises(LlmError, match="no cached answer"), llm_session(tmp_path, offline=True):
        negotiation.simulate(scenario, seed=99)  # another seed: other requests


def test_a_registered_tactic_cannot_take_the_name_llm():
    from dataclasses import dataclass
    from typing import ClassVar

    import negotiation

    @dataclass(frozen=True)
    class Llm(negotiation.Tactic):
        name: ClassVar[str] = "llm"

        def target(self, view):
            return view.best

    with pytest.raises(ValueError, match="'llm' is the name of a built-in tactic"):
        negotiation.register_tactic(Llm)


def test_a_cost_of_delay_is_in_the_prompt_with_the_floor_a_deal_today_must_reach(cli, small, tmp_path):
    small["parties"]["seller"]["cost_of_delay"] = {"discount": 0.5}
    with Stub() as stub:
        small["parties"]["seller"]["strategy"] = yaml.safe_load(llm(stub.url))
        done = cli("run", write_yaml(tmp_path / "s.yaml", small), "--out", tmp_path / "run", "--no-png")
    assert done.exit_code == 0, done.output
    floors = [float(m.group(1)) for body in stub.requests
              if (m := re.search(r"Waiting costs you \(δ 0.5/year\): a deal today must be worth at least "
                                 r"(\d\.\d+) to you", body["messages"][1]["content"]))]
    assert len(floors) == len(stub.requests) and floors == sorted(floors) and floors[-1] > 0.3  # rises from the rv
