"""Scenarios: a whole scenario file read, its parties built by their roles.

Above the readers (``inputs/``: YAML, values, the pydantic nodes of a key,
facts and the real deal) and the roles (``roles/``, which parse with those
readers), below the engine: the scenario's pydantic model, whose parties
are the roles' models told apart by ``role`` (``models.py``, which also
gives the JSON Schema), the loader that checks a file and builds the domain
:class:`~negotiation.domain.scenario.Scenario` from it (``load.py``), and
the GENIUS import, which checks what it writes as a run would read it
(``genius.py``). So the imports run one way: domain ← inputs ← roles ←
scenarios ← engine; the engine takes the ``Scenario`` from ``domain`` and
never reaches the loader, nor through it the real deal.
"""
