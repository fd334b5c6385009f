"""Adding a role is one module: a toy role with a dated effect, dropped into
a copy of the package's ``roles/`` and nothing else, is read, validated,
described, logged in the header and played by the engine from its declared
dated effect (``Role.dated``; docs/architecture.md, "Add a role"); its date,
under a key no other role uses (``pays_on``), is a dated event the ``as_of``
rule knows of from the declaration alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

TOY = '''"""Grant: money promised to a bargainer on a date, which lowers what it needs from the deal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ..domain.parties import Effect, Party
from ..inputs.parties import EffectModel
from ..inputs.types import Date, Text
from ..inputs.validation import Node
from ._declaration import TARGET, Context, Dated, Role


@dataclass(frozen=True)
class GrantParty(Party):
    to: str = ""
    pays_on: dt.date | None = None
    effect: Effect = Effect()


class Model(Node):
    role: Literal["grant"]
    to: Text
    pays_on: Date
    effect: EffectModel


def build(name: str, m: Model, ctx: Context) -> GrantParty:
    key = f"parties.{name}"
    return GrantParty(name, "grant", to=ctx.bargainer(f"{key}.to", m.to),
                      pays_on=ctx.within(f"{key}.pays_on", m.pays_on), effect=m.effect.build(ctx, f"{key}.effect"))


def header(model: Any, party: GrantParty) -> dict[str, Any]:
    return {"to": party.to, "pays_on": party.pays_on.isoformat()}


def describe(party: GrantParty) -> str:
    return f"a grant to {party.to} on {party.pays_on}"


def dated(party: GrantParty) -> tuple[Dated, ...]:
    return (Dated("grant", party.pays_on, party.to, party.effect, (f"{party.name} grants ", TARGET, " a subsidy"),
                  f"parties.{party.name}.pays_on"),)


ROLE = Role("grant", Model, build, header, describe, dated)
'''


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package with the toy role added, and nothing else changed."""
    src = tmp_path_factory.mktemp("toy") / "src"
    shutil.copytree(ROOT / "src" / "negotiation", src / "negotiation",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (src / "negotiation" / "roles" / "grant.py").write_text(TOY, encoding="utf-8")
    return src


def toy_scenario(folder: Path, **extra: Any) -> Path:
    """job_offer with a grant to the candidate on 12 January."""
    raw = yaml.safe_load((ROOT / "configs" / "job_offer.yaml").read_text(encoding="utf-8"))
    raw.update(extra)
    raw["parties"]["state"] = {"role": "grant", "to": "candidate", "pays_on": "2026-01-12",
                               "effect": {"reservation": -0.2}}
    scenario = folder / "toy.yaml"
    scenario.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return scenario


def run(src: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "negotiation", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin",
                                                       "COLUMNS": "200"})


def test_a_toy_role_with_a_dated_effect_is_one_module(package: Path, tmp_path: Path) -> None:
    scenario = toy_scenario(tmp_path)

    def negotiation(*args: str) -> subprocess.CompletedProcess[str]:
        return run(package, tmp_path, *args)

    checked = negotiation("validate", str(scenario))
    assert checked.returncode == 0, checked.stderr
    assert "a grant to candidate on 2026-01-12" in checked.stdout
    done = negotiation("run", str(scenario), "--no-png", "--out", str(tmp_path / "run"))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    state = next(p for p in records[0]["parties"] if p["name"] == "state")
    assert state == {"name": "state", "role": "grant", "to": "candidate", "pays_on": "2026-01-12"}
    grants = [r for r in records if r["type"] == "event" and r["kind"] == "grant"]
    if any(r["type"] == "agreement" and r["date"] < "2026-01-12" for r in records):
        assert grants == []  # agreed before the grant's date: it never came
    else:
        assert [g["text"] for g in grants] == ["state grants candidate a subsidy"]
        before, after = grants[0]["changes"]["candidate"]["reservation"]
        assert after < before  # the subsidy lowers what the candidate needs from the deal


def test_a_forecast_made_before_the_toy_role_s_date_is_refused_at_its_key(package: Path, tmp_path: Path) -> None:
    """The ``as_of`` rule reads the built parties' declared events, not a list
    of known keys: a date under a key only this role uses is caught, and the
    error names that key."""
    facts = str(ROOT / "data" / "facts.yaml")
    before = run(package, tmp_path, "validate", str(toy_scenario(tmp_path, facts=facts, as_of="2026-01-08")))
    assert before.returncode == 2 and "Traceback" not in before.stderr
    assert "parties.state.pays_on: no dated event after as_of (2026-01-08) expected" in before.stderr
    assert "2026-01-12" in before.stderr
    on_the_day = run(package, tmp_path, "validate", str(toy_scenario(tmp_path, facts=facts, as_of="2026-01-12")))
    assert on_the_day.returncode == 0, on_the_day.stderr
