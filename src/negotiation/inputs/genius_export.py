"""Export a scenario as GENIUS XML (Lin et al. 2014), the files
``negotiation import-genius`` reads, so GENIUS's and NegMAS's agents
(``negmas.inout.Scenario.from_genius_folder``) can play it.

One domain file (``<name>-domain.xml``: each clause an issue, each option an
``<item>``) and one linear additive profile per bargainer (``<name>.xml``:
the clause weights, normalised; each option's value as its ``evaluation``,
normalised so the best is 1, which is the GENIUS formula Σ w·eval/max eval
``preferences.utility`` computes; the reservation value; the discount
factor). Any value table is exact (a non-linear shape such as
``concave_increasing`` is an evaluator table like any other), so import →
export → import gives the same utility for every outcome.

The simulator has no time discounting (a bargainer's cost of delay is its
soft deadlines), so the discount factor written is 1.0. What a GENIUS
domain and profile cannot hold is never dropped silently: each thing is
named (``dropped`` lines on stderr), or, with ``strict``, the export is
refused. Those are a bargainer's constraints (deal-breakers: GENIUS
profiles have none; the exported utilities of forbidden outcomes are their
plain weighted sums), the links between clauses, the parties that do not
bargain (ratifiers, investors, outside options: GENIUS has only
negotiators), hard deadlines and soft deadlines (a GENIUS session sets its
own deadline, in rounds or seconds), the ratification plan and ``as_of``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import InputError
from .genius import slug
from ..domain.scenario import Scenario

DISCOUNT = 1.0  # no time discounting in the simulator (see the module docstring)


def dropped(scenario: Scenario) -> list[str]:
    """Everything in ``scenario`` the GENIUS files cannot hold, one line each."""
    notes = []
    for party in scenario.parties:
        if party.role != "bargainer":
            notes.append(f"{party.name} ({party.role}): GENIUS has only negotiators; not exported")
            continue
        prefs = party.preferences
        assert prefs is not None
        if prefs.constraints:
            texts = "; ".join(f"{c.clause} {c.text}" for c in prefs.constraints)
            notes.append(f"{party.name}: constraints ({texts}): GENIUS profiles have no deal-breakers; the "
                         "outcomes they forbid keep their weighted-sum utility")
        if party.deadline is not None:
            notes.append(f"{party.name}: deadline {party.deadline}: a GENIUS session sets its own deadline")
        for soft in party.soft_deadlines:
            notes.append(f"{party.name}: soft deadline {soft.on} ({soft.cost.describe()}): no dated costs in GENIUS; "
                         f"discount factor {DISCOUNT:g} written")
    for link in scenario.links:
        notes.append(f"link ({link.text}): GENIUS issues are independent; not exported")
    if scenario.ratification is not None:
        notes.append("ratification: no reviews in GENIUS; not exported")
    if scenario.as_of is not None:
        notes.append(f"as_of {scenario.as_of}: no information cut-off in GENIUS; not exported")
    return notes


def _objective(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, "objective", index="0", description="", name=name, type="objective",
                         etype="objective")


def _issue(parent: ET.Element, index: int, name: str) -> ET.Element:
    return ET.SubElement(parent, "issue", index=str(index), etype="discrete", type="discrete", vtype="discrete",
                         name=name)


def _text(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def domain_xml(scenario: Scenario) -> str:
    root = ET.Element("negotiation_template")
    space = ET.SubElement(root, "utility_space", number_of_issues=str(len(scenario.clauses)))
    objective = _objective(space, scenario.name)
    for i, clause in enumerate(scenario.clauses, start=1):
        issue = _issue(objective, i, clause.name)
        for j, option in enumerate(clause.options, start=1):
            ET.SubElement(issue, "item", index=str(j), value=str(option), description="")
    return _text(root)


def profile_xml(scenario: Scenario, party: str) -> str:
    """A bargainer's linear additive profile: weights, evaluations (best option 1), reservation, discount."""
    prefs = scenario.party(party).preferences
    assert prefs is not None
    root = ET.Element("utility_space")
    objective = _objective(root, scenario.name)
    for i, clause in enumerate(scenario.clauses, start=1):
        issue = _issue(objective, i, clause.name)
        values = prefs.values.get(clause.name) or (1.0,) * len(clause.options)  # weight 0: any positive table
        for j, (option, value) in enumerate(zip(clause.options, values), start=1):
            ET.SubElement(issue, "item", index=str(j), value=str(option), evaluation=repr(float(value)))
    for i, clause in enumerate(scenario.clauses, start=1):
        ET.SubElement(objective, "weight", index=str(i), value=repr(float(prefs.weights.get(clause.name, 0.0))))
    ET.SubElement(root, "reservation", value=repr(float(prefs.reservation)))
    ET.SubElement(root, "discount_factor", value=repr(DISCOUNT))
    return _text(root)


def file_names(scenario: Scenario) -> tuple[str, dict[str, str]]:
    """The domain file's name and each bargainer's profile file name (distinct, safe)."""
    domain = f"{slug(scenario.name)}-domain.xml"
    names: dict[str, str] = {}
    for party in scenario.bargainers:
        base, n = slug(party.name, "party"), 2
        stem = base
        while f"{stem}.xml" in (domain, *names.values()):
            stem, n = f"{base}_{n}", n + 1
        names[party.name] = f"{stem}.xml"
    return domain, names


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(scenario: Scenario) -> None:
    """XML 1.0 cannot hold control characters (other than tab and newlines): refuse a name with one."""
    names = [("name", scenario.name)] + [(f"clauses.{c.name}", c.name) for c in scenario.clauses]
    names += [(f"clauses.{c.name}.options", str(o)) for c in scenario.clauses for o in c.options]
    names += [(f"parties.{p.name}", p.name) for p in scenario.bargainers]
    for key, text in names:
        if _CONTROL.search(text):
            raise InputError(scenario.source, key, f"names without control characters expected (GENIUS XML "
                                                   f"cannot hold them), got {text!r}")


def export_files(scenario: Scenario, strict: bool = False) -> tuple[dict[str, str], list[str]]:
    """File name → XML text of the domain and the profiles, and what was
    dropped (with ``strict``, anything dropped is refused instead)."""
    _xml_safe(scenario)
    notes = dropped(scenario)
    if strict and notes:
        more = f" (and {len(notes) - 1} more)" if len(notes) > 1 else ""
        raise InputError(scenario.source, "", f"a scenario GENIUS can express expected (`strict`); it cannot "
                                              f"hold: {notes[0]}{more}")
    domain, profiles = file_names(scenario)
    return {domain: domain_xml(scenario), **{f: profile_xml(scenario, p) for p, f in profiles.items()}}, notes
