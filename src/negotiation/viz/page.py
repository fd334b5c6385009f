"""The app's page: Mesa's SolaraViz around ``AppModel`` and the three views.

SolaraViz (Mesa docs, "Visualization with SolaraViz") gives the Step,
Play/Pause and Reset controls and draws ``model_params`` as inputs; a moved
slider or an edited seed takes effect on Reset, which builds a new model from
the inputs. The inputs depend on the scenario (its bargainers, clauses and
seed), so the page re-creates SolaraViz whenever Reset has switched to
another scenario file. The title and the offers table say which seed plays.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz

from .components import VIEWS
from .params import AppModel, base_scenario, default_config, knobs, scenario_files


def model_params(config: str) -> dict[str, Any]:
    """SolaraViz inputs: the scenario file, its seed (Mesa's text input,
    showing the scenario's own), then one slider per knob; ``params_of`` (a
    fixed value, not an input) tells the model which scenario they are for."""
    params: dict[str, Any] = {
        "config": {"type": "Select", "value": config, "values": list(scenario_files()), "label": "scenario"},
        "seed": {"type": "InputText", "value": str(base_scenario(config).seed), "label": "seed (applied on Reset)"},
        "params_of": config,
    }
    for knob in knobs(base_scenario(config)):
        params[knob.key] = Slider(knob.label, value=knob.default, min=knob.lo, max=knob.hi, step=knob.step,
                                  dtype=float)
    return params


@solara.component
def Page() -> None:
    first = solara.use_memo(lambda: AppModel(default_config()), [])
    model = solara.use_reactive(first)
    config = model.value.config
    SolaraViz(model, components=[(view, 0) for view in VIEWS], model_params=model_params(config),
              name=f"negotiation · {config} · seed {model.value.seed}", play_interval=200).key(config)
