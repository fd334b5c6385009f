"""The browser app (``solara run app.py``): Mesa SolaraViz over the negotiation model."""
