"""The app's page: Mesa's SolaraViz around ``AppModel`` and the three views.

SolaraViz (Mesa docs, "Visualization with SolaraViz") gives the Step,
Play/Pause and Reset controls and draws ``model_params`` as inputs; a moved
input takes effect on Reset, which builds a new model from the inputs. The
inputs depend on the scenario (its bargainers and clauses), so the page
re-creates SolaraViz whenever Reset has switched to another scenario file.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz

from .components import VIEWS
from .params import AppModel, base_scenario, default_config, knobs, scenario_files


def model_params(config: str) -> dict[str, Any]:
    """SolaraViz inputs: the scenario file, then one slider per knob."""
    params: dict[str, Any] = {
        "config": {"type": "Select", "value": config, "values": list(scenario_files()), "label": "scenario"},
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
              name=f"negotiation · {config}", play_interval=200).key(config)
