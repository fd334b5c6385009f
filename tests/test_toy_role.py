"""Adding a role is one module: a toy role with a dated effect, dropped into
a copy of the package's ``roles/`` and nothing else, is read, validated,
described, logged in the header and played by the engine from its declared
dated effect (``Role.dated``; docs/architecture.md, "Add a role")."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

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
    on: dt.date | None = None
    effect: Effect = Effect()


class Model(Node):
    role: Literal["grant"]
    to: Text
    on: Date
    effect: EffectModel


def build(name: str, m: Model, ctx: Context) -> GrantParty:
    key = f"parties.{name}"
    return GrantParty(name, "grant", to=ctx.bargainer(f"{key}.to", m.to), on=ctx.within(f"{key}.on", m.on),
                      effect=m.effect.build(ctx, f"{key}.effect"))


def header(model: Any, party: GrantParty) -> dict[str, Any]:
    return {"to": party.to, "on": party.on.isoformat()}


def describe(party: GrantParty) -> str:
    return f"a grant to {party.to} on {party.on}"


def dated(party: GrantParty) -> tuple[Dated, ...]:
    return (Dated("grant", party.on, party.to, party.effect, (f"{party.name} grants ", TARGET, " a subsidy"),
                  f"parties.{party.name}.on"),)


ROLE = Role("grant", Model, build, header, describe, dated)
'''


def test_a_toy_role_with_a_dated_effect_is_one_module(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "negotiation", src / "negotiation",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (src / "negotiation" / "roles" / "grant.py").write_text(TOY, encoding="utf-8")
    raw = yaml.safe_load((ROOT / "configs" / "job_offer.yaml").read_text(encoding="utf-8"))
    raw["parties"]["state"] = {"role": "grant", "to": "candidate", "on": "2026-01-12",
                               "effect": {"reservation": -0.2}}
    scenario = tmp_path / "toy.yaml"
    scenario.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")

    def negotiation(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "negotiation", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin",
                                                           "COLUMNS": "200"})

    checked = negotiation("validate", str(scenario))
    assert checked.returncode == 0, checked.stderr
    assert "a grant to candidate on 2026-01-12" in checked.stdout
    done = negotiation("run", str(scenario), "--no-png", "--out", str(tmp_path / "run"))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    state = next(p for p in records[0]["parties"] if p["name"] == "state")
    assert state == {"name": "state", "role": "grant", "to": "candidate", "on": "2026-01-12"}
    grants = [r for r in records if r["type"] == "event" and r["kind"] == "grant"]
    if any(r["type"] == "agreement" and r["date"] < "2026-01-12" for r in records):
        assert grants == []  # agreed before the grant's date: it never came
    else:
        assert [g["text"] for g in grants] == ["state grants candidate a subsidy"]
        before, after = grants[0]["changes"]["candidate"]["reservation"]
        assert after < before  # the subsidy lowers what the candidate needs from the deal
