"""Fuzzing every input a user or a stranger's file can hand the CLI:
scenarios (as data and as text), ``--set`` paths and values, overlays, run
logs and GENIUS XML (UTF-8 and UTF-16, with and without ``<!ENTITY``).
Whatever comes in, the command exits 0 or 2 and never shows a traceback.

CI runs a modest number of examples per target (profile ``ci``); set
``NEGOTIATION_FUZZ=deep`` for 10,000 examples per target.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from negotiation.cli import app
from negotiation.errors import InputError

from ..conftest import ROOT, SMALL, TEXTBOOK

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("deep", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("NEGOTIATION_FUZZ", "ci"))

RUNNER = CliRunner()
WORK = Path(tempfile.mkdtemp(prefix="negotiation-fuzz-"))
COUNTS = os.environ.get("NEGOTIATION_FUZZ_COUNTS")  # a file to record examples run per target (long runs)
_counts: dict[str, int] = {}


def count(target: str) -> None:
    """Record one more example of ``target`` (only when NEGOTIATION_FUZZ_COUNTS names a file)."""
    if COUNTS:
        _counts[target] = _counts.get(target, 0) + 1
        if _counts[target] % 100 == 0:
            Path(f"{COUNTS}.{target}").write_text(f"{_counts[target]}\n")


def invoke(*args: Any) -> Any:
    """The command as a user runs it; fails on a traceback or an exit other than 0 or 2."""
    result = RUNNER.invoke(app, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: traceback {result.exception!r}") from result.exception
    assert result.exit_code in (0, 2), (args, result.exit_code, result.output[-500:])
    assert "Traceback" not in result.output
    return result


# -- values a hostile or careless file may hold -------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["2026-02-30", "9999-12-31", "0001-01-01", "99999999d", "7d", "2w", "-1d", ".inf", ".nan",
                     "-1e400", "1e400", "\x1b]0;x\x07", "\x1b[2J", "..", "", " ", "[/]", "yes", "on", ">= 0.5",
                     "boulware", "bargainer", "ratifier", "investor", "outside_option", "price", "buyer"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, (*prefix, i))
    return out


def put(data: Any, path: tuple, value: Any, delete: bool) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    if delete and isinstance(node, dict):
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


SMALL_PATHS = paths(SMALL)
TEXTBOOK_DATA = yaml.safe_load(TEXTBOOK.read_text(encoding="utf-8"))
TEXTBOOK_PATHS = paths(TEXTBOOK_DATA)


@st.composite
def mutated_scenarios(draw: Any) -> dict:
    base = draw(st.sampled_from([SMALL, TEXTBOOK_DATA]))
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        known = paths(data)
        if not known:
            break
        path = draw(st.sampled_from(known))
        try:
            put(data, path, draw(VALUES), draw(st.booleans()))
        except (KeyError, IndexError, TypeError):
            pass
    if draw(st.booleans()):
        data[draw(st.text(max_size=6))] = draw(VALUES)
    return data


def write(name: str, text: str | bytes) -> Path:
    path = WORK / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    return path


# -- targets ----------------------------------------------------------------------------------

@given(mutated_scenarios())
def test_fuzz_scenario_data(data):
    count("scenario_data")
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    invoke("validate", write("scenario.yaml", text))


TEXT_MUTATIONS = st.sampled_from(["insert", "delete", "replace", "duplicate_line", "nest", "alias"])


@given(st.sampled_from([SMALL, TEXTBOOK_DATA]), st.lists(st.tuples(TEXT_MUTATIONS, st.integers(0, 10**6),
                                                                   st.text(max_size=20)), min_size=1, max_size=4))
def test_fuzz_scenario_text(base, edits):
    count("scenario_text")
    text = yaml.safe_dump(base, allow_unicode=True)
    for kind, at, piece in edits:
        at %= max(1, len(text))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(piece) + 1:]
        elif kind == "replace":
            text = text[:at] + piece + text[at + len(piece):]
        elif kind == "duplicate_line":
            lines = text.splitlines(keepends=True)
            k = at % len(lines)
            text = "".join(lines[:k + 1] + [lines[k]] + lines[k + 1:])
        elif kind == "nest":
            depth = at % 700
            text += f"extra{at}: " + "[" * depth + "]" * depth + "\n"
        else:
            levels = at % 10
            text = text.replace("name: ", f"description: &a0 [{piece!r}]\nname: ", 1) + "".join(
                f"l{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]\n" for k in range(1, levels))
    invoke("validate", write("scenario.yaml", text))


SET_PATHS = st.one_of(st.sampled_from([".".join(map(str, p)) for p in TEXTBOOK_PATHS]),
                      st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.0123456789", max_size=30))
SET_VALUES = st.one_of(st.text(max_size=30), SCALARS.map(lambda v: json.dumps(v) if not isinstance(v, str) else v),
                       st.sampled_from(["null", "[a, b]", "{x: 1}", "[" * 600, "2026-02-30", "&a [*a]"]))


@given(st.lists(st.tuples(SET_PATHS, SET_VALUES), min_size=1, max_size=3))
def test_fuzz_set_paths_and_values(sets):
    count("set_paths_and_values")
    args = []
    for path, value in sets:
        args += ["--set", f"{path}={value}"]
    invoke("validate", TEXTBOOK, *args)


OVERLAYS = st.dictionaries(st.sampled_from(list(TEXTBOOK_DATA) + ["softbnk", "x"]), VALUES, max_size=3) | \
    st.builds(lambda p, v: {str(p[0]): {str(k): v for k in p[1:2]}} if p else {}, st.sampled_from(TEXTBOOK_PATHS),
              VALUES)


@given(OVERLAYS, st.lists(st.tuples(SET_PATHS, SET_VALUES), max_size=2))
def test_fuzz_overlays(overlay, sets):
    """The what-if design as ``negotiation whatif`` builds it before any run:
    an overlay that loads is validated completely, or refused as bad input."""
    count("overlays")
    from negotiation.service import experiments, scenarios

    try:
        text = yaml.safe_dump(overlay, allow_unicode=True)
    except yaml.YAMLError:
        return
    path = write("overlay.yaml", text)
    try:
        experiments.whatif(scenarios.load(TEXTBOOK), scenarios.read_overlay(path), 1,
                           sets=scenarios.values_of([f"{p}={v}" for p, v in sets]), named=str(path))
    except InputError:
        pass


# -- logs ----------------------------------------------------------------------------------

def _a_run() -> Path:
    folder = WORK / "run"
    if not folder.exists():
        result = RUNNER.invoke(app, ["run", str(TEXTBOOK), "--no-png", "--out", str(folder)])
        assert result.exit_code == 0, result.output
    return folder


@st.composite
def mutated_logs(draw: Any) -> list:
    records = [json.loads(line) for line in (_a_run() / "log.jsonl").read_text().splitlines()]
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(records) - 1))
        record = records[i]
        action = draw(st.sampled_from(["set", "delete", "drop", "duplicate", "swap_type"]))
        keys = paths(record)
        if action == "drop" and len(records) > 1:
            records.pop(i)
        elif action == "duplicate":
            records.insert(i, copy.deepcopy(record))
        elif action == "swap_type":
            record["type"] = draw(st.sampled_from(["header", "offer", "response", "event", "agreement",
                                                   "ratification", "end", "other", 5, None]))
        elif keys:
            path = draw(st.sampled_from(keys))
            try:
                put(record, path, draw(VALUES), action == "delete")
            except (KeyError, IndexError, TypeError):
                pass
    return records


@given(mutated_logs(), st.sampled_from(["replay", "compare", "analyze"]), st.booleans())
def test_fuzz_logs(records, command, cut):
    count("logs")
    folder = WORK / "fuzzed"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(_a_run(), folder)
    try:
        text = "".join(json.dumps(r, allow_nan=True) + "\n" for r in records)
    except (TypeError, ValueError):
        return
    if cut:
        text = text[: len(text) * 2 // 3]
    (folder / "log.jsonl").write_text(text, encoding="utf-8", errors="surrogatepass")
    args = {"replay": ["replay", folder, "--no-animate"], "compare": ["compare", folder],
            "analyze": ["analyze", "--run", folder, "--no-png"]}[command]
    invoke(*args)


# -- GENIUS XML -----------------------------------------------------------------------------

FIXTURES = ROOT / "tests" / "fixtures" / "genius" / "cafe"
DOMAIN = (FIXTURES / "Café-domain.xml").read_text(encoding="utf-8")
PROFILES = [(FIXTURES / name).read_text(encoding="utf-8") for name in ("client.xml", "barista.xml")]
ENTITY = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
XML_PIECES = st.one_of(st.text(max_size=15), st.sampled_from(
    ['"', "<", ">", "&", "&a;", "</issue>", "<issue>", 'evaluation="x"', 'evaluation="-1e400"', 'weight', "index=\"9\"",
     'value="1e999"', "<objective>", "\x00", "]]>", ENTITY]))


@given(st.integers(0, 2), st.lists(st.tuples(st.integers(0, 10**6), XML_PIECES, st.integers(0, 20)), max_size=4),
       st.sampled_from(["utf-8", "utf-16", "utf-16-le"]), st.booleans(), st.integers(-5, 10**9))
def test_fuzz_genius_xml(which, edits, encoding, entity, rounds):
    count("genius_xml")
    texts = [DOMAIN, *PROFILES]
    text = texts[which]
    for at, piece, cut in edits:
        at %= max(1, len(text))
        text = text[:at] + piece + text[at + cut:]
    if entity:
        text = text.replace("?>\n", "?>\n" + ENTITY, 1)
    if encoding != "utf-8":
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    texts[which] = text
    files = []
    for k, body in enumerate(texts):
        try:
            data = body.encode(encoding, "surrogatepass") if encoding == "utf-8" else \
                (b"\xff\xfe" if encoding == "utf-16-le" else b"") + body.encode(encoding, "surrogatepass")
        except UnicodeError:
            return
        files.append(write(f"g{k}.xml", data))
    out = WORK / "imported.yaml"
    out.unlink(missing_ok=True)
    invoke("import-genius", *files, "-o", out, "--rounds", rounds, "--force")
    if out.exists():  # what it writes, validate accepts
        assert invoke("validate", out).exit_code == 0


@pytest.fixture(autouse=True, scope="module")
def _cleanup():
    yield
    shutil.rmtree(WORK, ignore_errors=True)
