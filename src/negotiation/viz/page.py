"""The app's page: Mesa's SolaraViz around ``AppModel`` and the three views.

SolaraViz (Mesa docs, "Visualization with SolaraViz") gives the Step,
Play/Pause and Reset controls and draws ``model_params`` as inputs; a moved
slider or an edited seed takes effect on Reset, which builds a new model from
the inputs. The inputs depend on the scenario (its bargainers, clauses and
seed), so the page re-creates SolaraViz whenever Reset has switched to
another scenario file. The title, the browser tab and the offers table say
which seed plays. The views are laid out by ``components.Views``, not by
SolaraViz's one-tab draggable grid ("Page 0").

The app has no authentication, so it serves only on a loopback address
(``solara run`` binds to ``--host``, or ``$HOST`` when not given, which many
containers set to 0.0.0.0): on any other address it shows one line saying
how to serve it locally, unless ``NEGOTIATION_APP_PUBLIC=1`` says the user
means it (README, "The app").
"""

from __future__ import annotations

import os
from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz

from .components import Views
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


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def exposed_host() -> str | None:
    """The address the Solara server listens on (``solara run`` puts it in
    ``SERVER_NAME``) when it is not a loopback one and the user did not set
    ``NEGOTIATION_APP_PUBLIC=1``; else None."""
    host = os.environ.get("SERVER_NAME", "127.0.0.1")
    if host in LOOPBACK or host.startswith("127.") or os.environ.get("NEGOTIATION_APP_PUBLIC") == "1":
        return None
    return host


@solara.component
def Page() -> None:
    host = exposed_host()
    if host is None:
        App()
    else:
        solara.Title("negotiation · not served")
        solara.Error(f"The app is listening on {host}, reachable from other machines, and has no authentication, "
                     "so it does not start. Serve it locally with: solara run app.py --host 127.0.0.1 (or set "
                     "NEGOTIATION_APP_PUBLIC=1 to serve it on that address on purpose).")


@solara.component
def App() -> None:
    first = solara.use_memo(lambda: AppModel(default_config()), [])
    model = solara.use_reactive(first)
    config = model.value.config
    title = f"negotiation · {config} · seed {model.value.seed}"
    solara.Title(title)  # the browser tab
    SolaraViz(model, components=[], model_params=model_params(config), name=title, play_interval=200).key(config)
    Views(model.value)
