"""The negotiation in the browser: ``solara run app.py --host 127.0.0.1`` (needs ``pip install -e ".[app]"``;
it serves only on a loopback address unless NEGOTIATION_APP_PUBLIC=1: README, "In the browser").

Mesa's SolaraViz with the scenario files of configs/, the run's seed (the
scenario's until another is typed), sliders for each bargainer's reservation
value, concession exponent and clause weights (applied on Reset), Step /
Play / Reset, and three views: the concession
chart over the calendar, the offers on the table clause by clause, and the
utility plane with the Pareto frontier, the Nash point, the offers and the
real deal. See negotiation/viz/.
"""

from negotiation.viz.page import Page

__all__ = ["Page"]
