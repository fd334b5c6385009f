"""Files the user names (``analyze --json/--png``, ``backtest --json``,
``schema --out``): a file the user wrote is never overwritten, one we wrote
is; ``-`` and ``/dev/stdout`` are standard output; pipes and devices are
written into, never replaced; a folder is one line and exit 2. And every
file and folder the program writes has the modes the umask gives."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import DEFAULT, ROOT, TEXTBOOK

ANALYZE = ("analyze", TEXTBOOK)


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_analyze_replaces_its_own_files_and_refuses_anyone_elses(cli, tmp_path):
    js, png = tmp_path / "a.json", tmp_path / "a.png"
    for _ in range(2):  # the second time over the files the first one wrote
        result = cli(*ANALYZE, "--json", js, "--png", png)
        assert result.exit_code == 0, result.output
    assert json.loads(js.read_text())["scenario"] == "job_offer"
    assert png.read_bytes().startswith(b"\x89PNG")

    notes = tmp_path / "notes.json"
    notes.write_text('{"scenario": "mine"}\n')
    one_line_error(cli(*ANALYZE, "--json", notes, "--no-png"), "--json", "notes.json", "something else")
    assert notes.read_text() == '{"scenario": "mine"}\n'

    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"someone else's picture")
    one_line_error(cli(*ANALYZE, "--png", photo), "--png", "photo.png")
    assert photo.read_bytes().endswith(b"someone else's picture")


def test_a_folder_is_one_line_before_any_work(cli, tmp_path):
    folder = tmp_path / "here"
    folder.mkdir()
    one_line_error(cli(*ANALYZE, "--json", folder, "--no-png"), "--json", "folder")
    one_line_error(cli(*ANALYZE, "--png", folder), "--png", "folder")
    runs = tmp_path / "runs"
    one_line_error(cli("backtest", DEFAULT, "--runs", "2", "--executor", "inprocess", "--json", folder,
                       "--runs-dir", runs), "--json", "folder")
    assert not runs.exists()  # refused before any run: no experiment folder either


def test_backtest_json_follows_the_same_rule(cli, tmp_path):
    js = tmp_path / "scores.json"
    args = ("backtest", DEFAULT, "--runs", "3", "--executor", "inprocess", "--runs-dir", tmp_path / "runs")
    assert cli(*args, "--json", js).exit_code == 0
    assert cli(*args, "--json", js).exit_code == 0  # its own file again
    assert "predictors" in json.loads(js.read_text())
    mine = tmp_path / "mine.json"
    mine.write_text("[1, 2, 3]\n")
    one_line_error(cli(*args, "--json", mine), "--json", "mine.json")
    assert mine.read_text() == "[1, 2, 3]\n"


def test_dash_is_standard_output_holding_the_json_alone(cli, tmp_path):
    result = cli(*ANALYZE, "--json", "-", "--no-png")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scenario"] == "job_offer"  # the table went to stderr
    assert "Bargaining points" in result.stderr
    result = cli("backtest", DEFAULT, "--runs", "3", "--executor", "inprocess", "--json", "-",
                 "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 0, result.output
    assert "predictors" in json.loads(result.stdout)
    result = cli("schema", "--out", "-")
    assert json.loads(result.stdout)["title"] == "negotiation scenario"


def test_dev_stdout_is_written_into_not_replaced(tmp_path):
    """``--json /dev/stdout``, a link to the process's own stdout: the JSON
    arrives on the pipe and nothing is renamed over the link. (A link of our
    own to /proc/self/fd/1, as /dev/stdout is: a regression must not be able
    to replace the machine's /dev/stdout, as the code before this test did.)"""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "negotiation", *map(str, ANALYZE), "--json", link, "--no-png"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["scenario"] == "job_offer"
    assert link.is_symlink()


def test_a_pipe_and_a_device_are_written_into(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli(*ANALYZE, "--json", fifo, "--no-png")
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert got and json.loads(got[0])["scenario"] == "job_offer"
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe, not a regular file
    null = tmp_path / "null"  # /dev/null through a link of ours, so that a regression replaces only the link
    null.symlink_to(os.devnull)
    assert cli(*ANALYZE, "--png", null).exit_code == 0
    assert null.is_symlink() and stat.S_ISCHR(null.stat().st_mode)


def test_a_link_stays_a_link(cli, tmp_path):
    real = tmp_path / "real.json"
    assert cli(*ANALYZE, "--json", real, "--no-png").exit_code == 0
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    real.write_text(real.read_text().replace('"job_offer"', '"older"'))
    assert cli(*ANALYZE, "--json", link, "--no-png").exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text())["scenario"] == "job_offer"
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}\n")
    other = tmp_path / "other.json"
    other.symlink_to(elsewhere)
    one_line_error(cli(*ANALYZE, "--json", other, "--no-png"), "--json")
    assert other.is_symlink() and elsewhere.read_text() == "{}\n"


def test_schema_out_replaces_only_the_same_schema(cli, tmp_path):
    out = tmp_path / "scenario.schema.json"
    assert cli("schema", "--out", out).exit_code == 0
    assert cli("schema", "--out", out).exit_code == 0
    one_line_error(cli("schema", "--overlay", "--out", out), "--out")  # another schema: not over this one
    foreign = tmp_path / "other.schema.json"
    text = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "someone's"})
    foreign.write_text(text)
    one_line_error(cli("schema", "--out", foreign), "--out", "other.schema.json")
    assert foreign.read_text() == text


def test_a_path_below_a_file_is_one_line(cli, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    one_line_error(cli(*ANALYZE, "--json", blocker / "a.json", "--no-png"), "--json", "not a folder")


@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


@pytest.mark.parametrize("mask", [0o022, 0o007])
def test_files_and_folders_honour_the_umask(cli, tmp_path, umask, mask):
    umask(mask)
    runs = tmp_path / "runs"
    assert cli("run", TEXTBOOK, "--runs-dir", runs).exit_code == 0
    assert cli("montecarlo", TEXTBOOK, "--runs", "3", "--executor", "inprocess", "--keep-logs",
               "--runs-dir", runs).exit_code == 0
    assert cli("montecarlo", TEXTBOOK, "--runs", "2", "--executor", "inprocess", "--out",
               tmp_path / "out").exit_code == 0
    assert cli("schema", "--out", tmp_path / "schema.json").exit_code == 0
    assert cli(*ANALYZE, "--json", tmp_path / "a.json", "--png", tmp_path / "a.png").exit_code == 0
    written = [p for p in tmp_path.rglob("*")]
    assert len([p for p in written if p.is_file()]) >= 15
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = (0o777 if path.is_dir() else 0o666) & ~mask
        assert mode == expected, f"{path.relative_to(tmp_path)}: {oct(mode)} with umask {oct(mask)}"


def test_bench_out_is_checked_before_minutes_of_measuring(cli, tmp_path):
    notes = tmp_path / "notes.json"
    notes.write_text('{"date": "mine"}\n')
    one_line_error(cli("bench", "--quick", "--out", notes), "--out", "notes.json")
    assert notes.read_text() == '{"date": "mine"}\n'
    one_line_error(cli("bench", "--quick", "--out", tmp_path), "--out", "folder")
