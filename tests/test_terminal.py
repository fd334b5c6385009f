"""Control characters in names from scenarios or logs never reach the
terminal raw: validate, run and replay show them as visible symbols."""

from __future__ import annotations

import json

from negotiation.runtime.terminal import SafeConsole, clean

from .conftest import write_yaml

TITLE = "\x1b]0;owned\x07"
CLEAR = "\x1b[2J"
RAW = ("\x1b", "\x07", "\x9b")


def hostile(small):
    small["parties"][f"buyer{TITLE}"] = small["parties"].pop("buyer")
    small["clauses"]["delivery"]["options"] = ["slow", f"normal{CLEAR}", "fast\x9b31m"]
    small["description"] = f"x{CLEAR}"
    return small


def assert_clean(text):
    assert not any(ch in text for ch in RAW), repr(text)


def test_validate_run_and_replay_show_control_characters_as_symbols(cli, tmp_path, small):
    path = write_yaml(tmp_path / "s.yaml", hostile(small))
    result = cli("validate", path)
    assert result.exit_code == 0, result.output
    assert_clean(result.output)
    assert "buyer␛]0;" in result.output
    result = cli("run", path, "--no-png", "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    assert_clean(result.output)
    log = (tmp_path / "run" / "log.jsonl").read_text()
    assert "\\u001b" in log  # the log keeps the names as they are; only the terminal view changes
    result = cli("replay", tmp_path / "run", "--no-animate")
    assert result.exit_code == 0, result.output
    assert_clean(result.output)
    assert "␛[2J" in result.output


def test_the_console_keeps_its_own_colours_and_shows_markup_lookalikes(capsys):
    console = SafeConsole(force_terminal=True, color_system="standard", width=60)
    console.print("[bold]ok[/bold]")
    console.print(f"name [/] {TITLE}", highlight=False)
    out = capsys.readouterr().out
    assert "\x1b[1m" in out  # rich's own styling passes
    assert "name [/] ␛]0;owned␇" in out
    assert clean("a\tb\nc\x00\x7f") == "a\tb\nc␀␡"
def test_a_hostile_log_cannot_reach_the_terminal_through_errors(cli, tmp_path, small):
    result = cli("run", write_yaml(tmp_path / "s.yaml", small), "--no-png", "--out", tmp_path / "run")
    assert result.exit_code == 0
    log = tmp_path / "run" / "log.jsonl"
    lines = log.read_text().splitlines()
    record = json.loads(lines[1])
    record["from"] = f"nobody{TITLE}"
    lines[1] = json.dumps(record)
    log.write_text("\n".join(lines) + "\n")
    result = cli("replay", tmp_path / "run", "--no-animate")
    assert result.exit_code == 2
    assert_clean(result.stderr + result.output)


