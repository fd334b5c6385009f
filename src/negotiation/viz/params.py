"""What the browser app lets a user change, and the Mesa model it rebuilds.

Mesa's ``SolaraViz`` re-creates the model on *Reset* by calling its class
with the current values of ``model_params`` as keyword arguments (Mesa docs,
"Visualization"; ``mesa.visualization.solara_viz.ModelController``).
``AppModel`` is therefore the negotiation model of a scenario file, with each
slider's value set at its key path of the scenario in memory (``changes``:
dotted path → value, the data a ``--set`` is parsed into) and the changed
scenario validated by the service (``service.scenarios.change``), with no
YAML written or read again: a slider left at its default changes nothing,
so an untouched app plays the scenario exactly as ``negotiation run`` does.

Sliders per bargainer: its reservation value, its concession exponent ``e``
(time-dependent tactics only; Faratin et al. 1998: e < 1 Boulware, e > 1
Conceder; a moved slider makes the tactic ``time_dependent`` with that e,
since Boulware and Conceder are that tactic with a bounded e) and one weight
per clause (moving any weight sets all of the party's weights, normalised).

The seed is Mesa's text input (``{"type": "InputText"}``, the convention of
Mesa's examples), showing the scenario's seed until the user types another;
on Reset it is applied as ``negotiation run --seed`` applies it, so the app
plays byte for byte the log of ``negotiation run SCENARIO --seed N`` with the
same overrides. A seed that is not a whole number ≥ 0 is not used: the
scenario's is, and the model says why (``seed_problem``), for the page to
show instead of a traceback.

Reset after picking another scenario passes the inputs still on screen,
which belong to the scenario shown so far (``params_of``): they are dropped
and the new scenario opens as written, with its own seed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..engine.model import NegotiationModel
from ..errors import InputError
from ..inputs import DEFAULT_SCENARIO
from ..domain.scenario import Scenario
from ..service.scenarios import change, load

TIME_DEPENDENT = ("time_dependent", "boulware", "linear", "conceder")
E_RANGE = (0.05, 4.0)


def configs_dir() -> Path:
    """``configs/`` in the working directory, else in the source checkout."""
    here = Path("configs")
    return here if here.is_dir() else Path(__file__).resolve().parents[3] / "configs"


def scenario_files() -> dict[str, Path]:
    """Scenario files of ``configs/`` (overlays in sub-folders are not scenarios), by file stem."""
    return {p.stem: p for p in sorted(configs_dir().glob("*.yaml"))}


def default_config() -> str:
    """The scenario the app opens with: ``$NEGOTIATION_APP_SCENARIO`` (a file
    stem of configs/), else the project's default scenario."""
    return os.environ.get("NEGOTIATION_APP_SCENARIO") or Path(DEFAULT_SCENARIO).stem


@lru_cache(maxsize=8)
def base_scenario(config: str) -> Scenario:
    """The scenario file as written (cached: the sliders' defaults come from it)."""
    files = scenario_files()
    if config not in files:
        raise ValueError(f"no scenario {config!r} in {configs_dir()}; one of {', '.join(files)} expected")
    return load(files[config])


@dataclass(frozen=True)
class Knob:
    """One slider: the model keyword it sets and the scenario path it changes."""

    key: str        # keyword argument of AppModel (an identifier)
    label: str
    party: str
    kind: str       # "reservation", "e" or "weight"
    path: str       # dotted scenario path
    default: float
    lo: float
    hi: float
    step: float


def knobs(scenario: Scenario) -> list[Knob]:
    """The sliders of a scenario's bargainers, in party then clause order."""
    out: list[Knob] = []
    for party in scenario.bargainers:
        prefs, name = party.preferences, party.name
        assert prefs is not None
        out.append(Knob(f"reservation__{name}", f"{name}: reservation value", name, "reservation",
                        f"parties.{name}.reservation", round(prefs.reservation, 4), 0.0, 1.0, 0.01))
        strategy = party.strategy
        if strategy is not None and strategy.name in TIME_DEPENDENT:
            e = dict(strategy.params).get("e", {"boulware": 0.2, "conceder": 2.0}.get(strategy.name, 1.0))
            out.append(Knob(f"e__{name}", f"{name}: concession exponent e", name, "e",
                            f"parties.{name}.strategy", round(float(e), 4), *E_RANGE, 0.05))
        for clause in scenario.clauses:
            weight = prefs.weights.get(clause.name, 0.0)
            out.append(Knob(f"weight__{name}__{clause.name}", f"{name}: weight of {clause.name}", name, "weight",
                            f"parties.{name}.weights", round(weight, 4), 0.0, 1.0, 0.01))
    return out


def changes(scenario: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario's values (dotted path → value) the sliders that moved from their defaults set."""
    out: dict[str, Any] = {}
    moved = {k.key: k for k in knobs(scenario) if k.key in values and abs(float(values[k.key]) - k.default) > 1e-9}
    for knob in moved.values():
        if knob.kind == "reservation":
            out[knob.path] = float(values[knob.key])
        elif knob.kind == "e":
            party = scenario.party(knob.party)
            assert party.strategy is not None
            kept = {k: v for k, v in party.strategy.params if k != "e"}
            out[f"{knob.path}.name"] = "time_dependent"
            out[f"{knob.path}.e"] = float(values[knob.key])
            out.update({f"{knob.path}.{k}": v for k, v in kept.items()})
    for party in {k.party for k in moved.values() if k.kind == "weight"}:
        out[f"parties.{party}.weights"] = {k.key.split("__", 2)[2]: float(values.get(k.key, k.default))
                                           for k in knobs(scenario) if k.kind == "weight" and k.party == party}
    return out


def chosen_seed(text: Any) -> int | None:
    """The seed typed into the app: None (the scenario's) when left empty;
    raises InputError unless it is a whole number (its range is the
    scenario's, checked where the scenario is read)."""
    if text is None or isinstance(text, int) and not isinstance(text, bool):
        return text
    if isinstance(text, str) and not text.strip():
        return None
    if isinstance(text, str) and re.fullmatch(r"\s*[0-9]+\s*", text, flags=re.ASCII):
        return int(text)
    raise InputError("the seed input", "seed", "a whole number ≥ 0 expected")


class AppModel(NegotiationModel):
    """The negotiation model as SolaraViz builds it: a scenario of
    ``configs/`` by name, its seed (text, as typed; default the scenario's)
    and slider values as keyword arguments."""

    def __init__(self, config: str | None = None, seed: int | str | None = None, params_of: str | None = None,
                 **values: Any) -> None:
        # Mesa's reset also passes its own experiment object as ``scenario``: not ours, ignored
        values.pop("scenario", None)
        values.pop("rng", None)
        self.config = config or default_config()
        if params_of is not None and params_of != self.config:  # the inputs on screen were another scenario's
            values, seed = {}, None
        base = base_scenario(self.config)
        self.changes = changes(base, values)
        self.seed_problem: str | None = None
        try:
            spec = self._scenario(base, chosen_seed(seed))
        except InputError as exc:
            if exc.key != "seed":
                raise
            self.seed_problem = f"seed {str(seed).strip()!r} not used: {exc.expected}"
            spec = self._scenario(base, None)
        super().__init__(spec)

    def _scenario(self, base: Scenario, seed: int | None) -> Scenario:
        """The scenario as ``negotiation run --set … --seed N`` plays it, changed in memory (the
        scenario as written when nothing moved)."""
        return change(base, self.changes, seed=seed)
