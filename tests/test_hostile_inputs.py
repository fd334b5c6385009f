"""Hostile and implausible scenario input through the CLI: every case exits 2
with one line naming the file, the key and what is expected; no traceback."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiation.domain.outcomes import Clause, OutcomeSpace
from negotiation.inputs import limits, values, yamlsafe

from .conftest import DEFAULT, ROOT, write_yaml


def one_line_exit_2(result, *fragments):
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize("how", ["yaml", "set", "overlay"])
def test_impossible_date_exits_2_wherever_it_comes_from(cli, tmp_path, small, how):
    """2026-02-30 is a date-shaped string, refused by the one date reader."""
    if how == "yaml":
        small["calendar"]["start"] = "2026-02-30"
        path = write_yaml(tmp_path / "s.yaml", small)
        text = path.read_text().replace("'2026-02-30'", "2026-02-30")  # an unquoted YAML date
        path.write_text(text)
        result = cli("validate", path)
    elif how == "set":
        result = cli("validate", write_yaml(tmp_path / "s.yaml", small), "--set", "calendar.start=2026-02-30")
    else:
        overlay = tmp_path / "o.yaml"
        overlay.write_text("calendar:\n  deadline: 2025-02-30\n")
        result = cli("whatif", write_yaml(tmp_path / "s.yaml", small), overlay, "--runs", "1",
                     "--executor", "inprocess", "--out", tmp_path / "exp")
        assert not (tmp_path / "exp").exists()
    one_line_exit_2(result, "does not exist")


@pytest.mark.parametrize("where,value", [
    ("calendar.start", "9999-12-25"), ("calendar.deadline", "9999-12-31"), ("calendar.round", "99999999d"),
    ("calendar.round", "9" * 40 + "w"), ("calendar.max_rounds", "10" + "0" * 30), ("seed", "1" + "0" * 40),
])
def test_values_near_the_limits_of_dates_and_integers_exit_2(cli, tmp_path, small, where, value):
    result = cli("run", write_yaml(tmp_path / "s.yaml", small), "--set", f"{where}={value}", "--no-png",
                 "--runs-dir", tmp_path / "runs")
    one_line_exit_2(result, where)
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize("where,value", [
    ("parties.buyer.reservation", ".inf"), ("parties.buyer.reservation", ".nan"),
    ("parties.buyer.weights.price", "-1e400"), ("parties.buyer.weights.price", "1e400"),
    ("clauses.price.options", "[10, 20, .inf]"), ("clauses.price.options", "[10, .nan, 30]"),
    ("parties.buyer.strategy.e", ".nan"),
])
def test_non_finite_numbers_are_refused_by_validate_and_run(cli, tmp_path, small, where, value):
    path = write_yaml(tmp_path / "s.yaml", small)
    one_line_exit_2(cli("validate", path, "--set", f"{where}={value}"), where.split(".")[0], "finite")
    one_line_exit_2(cli("run", path, "--set", f"{where}={value}", "--no-png", "--runs-dir", tmp_path / "r"))


def test_non_finite_option_in_the_file_itself(cli, tmp_path, small):
    path = write_yaml(tmp_path / "s.yaml", small)
    path.write_text(path.read_text().replace("- 40", "- -1.0e+400"))
    one_line_exit_2(cli("validate", path), "clauses.price.options.3", "finite")


def test_outcome_space_size_is_exact_past_int64():
    space = OutcomeSpace(tuple(Clause(f"c{i}", tuple(range(10))) for i in range(20)))
    assert space.size == 10**20


def test_an_outcome_space_too_large_to_number_is_refused_up_front(cli, tmp_path, small):
    """Above the enumeration limit bargainers search clause by clause (test_large_space.py), but an
    outcome is still a 64-bit number."""
    small["clauses"] = {f"c{i}": {"options": list(range(10))} for i in range(20)}
    for party in small["parties"].values():
        party["weights"] = {"c0": 1}
        party["values"] = {"c0": "increasing"}
    message = one_line_exit_2(cli("validate", write_yaml(tmp_path / "s.yaml", small)), "clauses",
                              "100,000,000,000,000,000,000 outcomes", "drop clauses or options")
    assert "at most" in message


def test_the_memory_limit_follows_the_memory_available():
    shape = (10,) * 8  # 10^8 outcomes
    assert limits.space_problem(shape, 2, memory=64 * 1024**3) is None
    assert "100,000,000 outcomes" in limits.space_problem(shape, 2, memory=4 * 1024**3)


@pytest.mark.parametrize("name", ["x" * 300, "..", ".hidden", "-dash", "a/b"])
def test_scenario_names_that_cannot_name_a_folder_exit_2(cli, tmp_path, small, name):
    small["name"] = name
    result = cli("run", write_yaml(tmp_path / "s.yaml", small), "--no-png", "--runs-dir", tmp_path / "runs")
    one_line_exit_2(result, "name")
    assert not (tmp_path / "runs").exists()


def test_duplicate_keys_are_refused(cli, tmp_path, small):
    path = write_yaml(tmp_path / "s.yaml", small)
    path.write_text(path.read_text() + "seed: 4\n")
    one_line_exit_2(cli("validate", path), "line", "duplicate key 'seed'")


def test_deep_nesting_is_refused_without_recursion_error(cli, tmp_path, small):
    path = write_yaml(tmp_path / "s.yaml", small)
    path.write_text(path.read_text() + "extra: " + "[" * 500 + "]" * 500 + "\n")
    one_line_exit_2(cli("validate", path), "nesting deeper than")
    result = cli("validate", write_yaml(tmp_path / "t.yaml", small), "--set", "seed=" + "[" * 500 + "]" * 500)
    one_line_exit_2(result, "seed")


BOMB = "".join(f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]\n" for k in range(1, 9))


def test_alias_bomb_in_description_is_refused_before_it_is_expanded(cli, tmp_path, small):
    path = write_yaml(tmp_path / "s.yaml", small)
    text = path.read_text().replace("name: small\n", "name: small\ndescription: &l0 [lol]\n")
    path.write_text(text.replace("seed: 3\n", "seed: 3\n" + "misc:\n" + "".join(
        "  " + line + "\n" for line in BOMB.splitlines())))
    one_line_exit_2(cli("validate", path), "alias")


def test_description_with_aliases_that_stay_small_is_judged_by_the_schema(cli, tmp_path, small):
    path = write_yaml(tmp_path / "s.yaml", small)
    path.write_text(path.read_text().replace("name: small\n", "name: small\ndescription: &d [a, b]\nother: *d\n"))
    one_line_exit_2(cli("validate", path), "description", "a text expected")


def test_null_on_an_unknown_key_is_a_typo(cli):
    one_line_exit_2(cli("validate", DEFAULT, "--set", "parties.softbnk=null"), "parties.softbnk", "no such key")


def test_validate_into_a_closed_pipe_exits_0():
    import subprocess
    import sys

    exe = [sys.executable, "-m", "negotiation"]
    proc = subprocess.run(" ".join(exe) + f" validate {DEFAULT} | head -1", shell=True, capture_output=True,
                          text=True, cwd=ROOT, executable="/bin/bash",
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")})
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "Broken pipe" not in proc.stderr, proc.stderr
    pipestatus = subprocess.run(" ".join(exe) + f" validate {DEFAULT} | head -1 >/dev/null; "
                                "echo ${PIPESTATUS[0]}", shell=True, capture_output=True, text=True, cwd=ROOT,
                                executable="/bin/bash", env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")})
    assert pipestatus.stdout.strip() == "0"


# -- the root types, both YAML paths ---------------------------------------------------

@pytest.mark.parametrize("loader", ["C", "python"])
def test_both_yaml_paths_read_the_shipped_files_identically(loader):
    if loader == "C" and yamlsafe.CParser is None:
        pytest.skip("PyYAML built without libyaml")
    chosen = yamlsafe.LOADER if loader == "C" else yamlsafe.PyLoader
    import yaml

    from negotiation.inputs.config import safe_load

    for path in [DEFAULT, ROOT / "configs" / "job_offer.yaml", ROOT / "data" / "facts.yaml",
                 ROOT / "data" / "real_deal.yaml", *sorted((ROOT / "configs" / "counterfactuals").glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        assert yamlsafe.load(text, chosen) == safe_load(text)
        reference = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - PyYAML's own safe loader
        assert set(map(str, yamlsafe.load(text, chosen))) == set(map(str, reference))


@pytest.mark.parametrize("loader", ["C", "python"])
@pytest.mark.parametrize("text,expected", [
    ("on: yes\noff: no\n", {"on": "yes", "off": "no"}),
    ("a: true\nb: False\n", {"a": True, "b": False}),
    ("d: 2026-02-28\n", {"d": dt.date(2026, 2, 28)}),
    ("d: 2026-02-30\n", {"d": "2026-02-30"}),
    ("<<: 1\n", {"<<": 1}),
])
def test_both_yaml_paths_resolve_alike(loader, text, expected):
    if loader == "C" and yamlsafe.CParser is None:
        pytest.skip("PyYAML built without libyaml")
    assert yamlsafe.load(text, yamlsafe.LOADER if loader == "C" else yamlsafe.PyLoader) == expected


@pytest.mark.parametrize("loader", ["C", "python"])
@pytest.mark.parametrize("text,problem", [
    ("a: 1\na: 2\n", "duplicate key"), ("[" * 500 + "]" * 500, "nesting deeper"),
    ("a: &x [*x]\n", "recursive"), (BOMB, "alias"), ("a: !!python/object/apply:os.system [ls]\n", "python"),
])
def test_both_yaml_paths_refuse_alike(loader, text, problem):
    import yaml

    if loader == "C" and yamlsafe.CParser is None:
        pytest.skip("PyYAML built without libyaml")
    with pytest.raises(yaml.YAMLError) as info:
        yamlsafe.load(text, yamlsafe.LOADER if loader == "C" else yamlsafe.PyLoader)
    assert problem in str(info.value)


def test_the_value_types_bound_numbers_dates_and_durations():
    assert values.number(3) == 3.0
    for bad in (float("inf"), float("nan"), True, "1", 10**400):
        with pytest.raises(ValueError):
            values.number(bad)
    assert values.date("2024-02-29") == dt.date(2024, 2, 29)
    for bad in ("2025-02-29", "9999-12-31", dt.date(1, 1, 1), "tomorrow", 20250101):
        with pytest.raises(ValueError):
            values.date(bad)
    assert values.days("2w") == 14
    for bad in ("99999999d", 0, "-1d", True):
        with pytest.raises(ValueError):
            values.days(bad)


GENIUS = ROOT / "tests" / "fixtures" / "genius" / "cafe"


def test_import_genius_refuses_a_calendar_past_the_dates_it_can_hold(cli, tmp_path):
    result = cli("import-genius", GENIUS / "Café-domain.xml", GENIUS / "client.xml", GENIUS / "barista.xml",
                 "-o", tmp_path / "x.yaml", "--rounds", "100000000")
    one_line_exit_2(result, "--rounds")
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_an_entity_declaration_in_utf16_is_refused(cli, tmp_path, encoding):
    text = (GENIUS / "Café-domain.xml").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    bomb = '<!DOCTYPE n [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    text = text.replace("?>\n", "?>\n" + bomb, 1).replace('name="Taille"', 'name="&b;"')
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    domain = tmp_path / "d.xml"
    domain.write_bytes(bom + text.encode(encoding))
    assert b"<!ENTITY" not in domain.read_bytes()  # a byte search alone would let it through
    result = cli("import-genius", domain, GENIUS / "client.xml", GENIUS / "barista.xml", "-o", tmp_path / "x.yaml")
    one_line_exit_2(result, "<!ENTITY>", "without entity declarations")


def test_an_unknown_xml_encoding_is_one_line(cli, tmp_path):
    text = (GENIUS / "Café-domain.xml").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="U0TF-8"')
    domain = tmp_path / "d.xml"
    domain.write_text(text, encoding="utf-8")
    result = cli("import-genius", domain, GENIUS / "client.xml", GENIUS / "barista.xml", "-o", tmp_path / "x.yaml")
    one_line_exit_2(result, "known encoding")
