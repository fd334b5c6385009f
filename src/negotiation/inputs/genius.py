"""Import GENIUS negotiation domains (Lin et al. 2014) into scenario YAML.

GENIUS describes a domain in one XML file (root ``<negotiation_template>``,
issues with ``<item value=…>`` options) and each party in a linear additive
utility profile (root ``<utility_space>``: an ``evaluation`` per option, a
``<weight index=…>`` per issue, a ``<reservation>`` value and a
``<discount_factor>``). Utility = Σ w_i · eval_i(x_i) / max eval_i, the
formula ``preferences.utility`` also uses, so the raw weights and evaluations
are copied as they are and the scenario normalises them the GENIUS way.

What cannot be represented is refused with an :class:`InputError` (exit 2):
integer and real-valued issues (list their values as a discrete issue first),
nested objectives, non-linear (hyper-rectangle) profiles, a profile naming an
issue or option the domain lacks. A discount factor δ below 1 is kept as
the party's ``cost_of_delay.discount``: GENIUS applies it per unit of
normalised time (the whole session), the scenario per year, so it becomes
δ^(365/span) with span the calendar's days; GENIUS discounts the
reservation value as well, this simulator does not
(``domain/discounting.py``), which a note in the description and a warning
say. Option values stay strings
exactly as written (spaces, ``$``, quotes, accents); party names come from
the profile file names or ``--names``; the scenario name is made of
``[A-Za-z0-9_.-]`` (it names run folders).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from . import values

START = dt.date(2026, 1, 1)
MAX_NAME = 100  # as a scenario's name (inputs.MAX_NAME)  # GENIUS has no calendar: a fixed one keeps imports byte-identical
RESERVED = ("because",)  # a key the scenario schema reads as a citation


@dataclass(frozen=True)
class Issue:
    """A discrete GENIUS issue: its ``index`` orders issues and names weights."""

    name: str
    index: int
    options: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    path: Path
    issues: tuple[Issue, ...]

    def issue(self, name: str) -> Issue | None:
        return next((i for i in self.issues if i.name == name), None)


@dataclass(frozen=True)
class Profile:
    """A linear additive GENIUS profile, raw (unnormalised) as in the file."""

    path: Path
    weights: dict[str, float]
    evaluations: dict[str, dict[str, float]]
    reservation: float = 0.0
    discount: float = 1.0
    notes: tuple[str, ...] = field(default=())


# -- XML --------------------------------------------------------------------------

def _parse(path: Path, what: str) -> ET.Element:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "", "no such file") from None
    except OSError as exc:
        raise InputError(path, "", f"cannot read it ({exc.__class__.__name__})") from None
    if _declares_entities(data):  # GENIUS files never declare entities; refusing them rules out entity bombs
        raise InputError(path, "<!ENTITY>", f"a {what} without entity declarations expected")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise InputError(path, f"line {line}, column {column + 1}",
                         f"a {what} in well-formed XML expected ({reason})") from None
    except (LookupError, ValueError) as exc:  # an encoding Python does not know, e.g. encoding="U0TF-8"
        raise InputError(path, "<?xml encoding?>", f"a {what} in a known encoding (UTF-8, UTF-16, …) expected "
                                                   f"({exc})") from None


class _EntityDeclared(Exception):
    pass


def _declares_entities(data: bytes) -> bool:
    """Whether the document declares an entity, in whatever encoding it is
    written (UTF-16 hides ``<!ENTITY`` from a byte search): expat decodes it
    and reports each declaration before any entity is expanded."""
    if b"<!ENTITY" in data:
        return True

    def refuse(*_: Any) -> None:
        raise _EntityDeclared

    parser = expat.ParserCreate()
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _EntityDeclared:
        return True
    except (expat.ExpatError, LookupError, ValueError, UnicodeError):
        return False  # not well-formed: ElementTree names the line and the reason
    return False


def _objective(root: ET.Element, path: Path) -> ET.Element:
    """The root objective holding the issues (GENIUS nests it once)."""
    objective = root.find("objective")
    objective = root if objective is None else objective
    nested = objective.find("objective")
    if nested is not None:
        raise InputError(path, f"objective {nested.get('name', '')!r}".strip(),
                         "issues directly under the root objective expected (nested objectives are not supported)")
    return objective


def _kind(element: ET.Element) -> str:
    return element.get("type") or element.get("etype") or element.get("vtype") or "discrete"


def _number(path: Path, key: str, text: str | None, lo: float | None = None, hi: float | None = None) -> float:
    """An XML attribute as a number, through the scenario's number rule (finite, in range)."""
    try:
        return values.number(float(text) if text is not None else None, lo=lo, hi=hi)
    except (ValueError, OverflowError):
        bounds = f" in [{lo}, {hi}]" if hi is not None else (f" ≥ {lo}" if lo is not None else "")
        raise InputError(path, key, f"a number{bounds} expected, got {text!r}") from None


def _issue_key(name: str) -> str:
    return f"issue {name!r}"


# -- domain -------------------------------------------------------------------------

def read_domain(path: str | Path) -> Domain:
    """The discrete issues of a GENIUS domain file, ordered by their index."""
    path = Path(path)
    root = _parse(path, "GENIUS domain (<negotiation_template>)")
    if root.tag != "negotiation_template":
        hint = " (this looks like a utility profile)" if root.tag == "utility_space" else ""
        raise InputError(path, f"<{root.tag}>", f"a GENIUS domain with root <negotiation_template> expected{hint}")
    space = root.find("utility_space")
    if space is None:
        raise InputError(path, "negotiation_template", "a <utility_space> element holding the issues expected")
    issues: list[Issue] = []
    for position, element in enumerate(_objective(space, path).findall("issue"), start=1):
        name = element.get("name")
        if not name or not name.strip():
            raise InputError(path, f"issue #{position}", "a non-empty name attribute expected")
        key = _issue_key(name)
        if name in RESERVED:
            raise InputError(path, key, f"an issue name other than {name!r} (a reserved key in scenario YAML)")
        if any(i.name == name for i in issues):
            raise InputError(path, key, "distinct issue names expected; this one repeats")
        kind = _kind(element)
        if kind != "discrete":
            raise InputError(path, key, f'a discrete issue (<item value="…"> options) expected, got type {kind!r}: '
                                        "list its values as a discrete issue first")
        index = int(_number(path, f"{key} index", element.get("index", str(position)), lo=0))
        options = tuple(item.get("value", "") for item in element.findall("item"))
        if not options:
            raise InputError(path, key, 'at least one <item value="…"> option expected')
        for option in options:
            if not option:
                raise InputError(path, f"{key} item", "a non-empty value attribute expected")
            if option in RESERVED:
                raise InputError(path, f"{key} item {option!r}", "an option other than 'because' (reserved)")
        if len(set(options)) != len(options):
            repeated = next(o for o in options if options.count(o) > 1)
            raise InputError(path, f"{key} item {repeated!r}", "distinct option values expected; this one repeats")
        issues.append(Issue(name, index, options))
    if not issues:
        raise InputError(path, "utility_space", "at least one <issue> expected")
    indices = [i.index for i in issues]
    if len(set(indices)) != len(indices):
        clash = next(i for i in issues if indices.count(i.index) > 1)
        raise InputError(path, f"{_issue_key(clash.name)} index", "distinct issue indices expected")
    return Domain(path, tuple(sorted(issues, key=lambda i: i.index)))


# -- profile ------------------------------------------------------------------------

def read_profile(path: str | Path, domain: Domain) -> Profile:
    """A linear additive profile over ``domain``, checked option by option."""
    path = Path(path)
    root = _parse(path, "GENIUS utility profile (<utility_space>)")
    if root.tag != "utility_space":
        hint = " (this looks like a domain file)" if root.tag == "negotiation_template" else ""
        raise InputError(path, f"<{root.tag}>", f"a GENIUS utility profile with root <utility_space> expected{hint}")
    objective = _objective(root, path)
    if objective.find("utility_function") is not None or objective.find("utility") is not None:
        raise InputError(path, "utility_function", "a linear additive profile expected (hyper-rectangle "
                                                   "utility functions are not supported)")
    names = [i.name for i in domain.issues]
    index_to_issue = {i.index: i.name for i in domain.issues}
    evaluations: dict[str, dict[str, float]] = {}
    for element in objective.findall("issue"):
        name = element.get("name", "")
        key = _issue_key(name)
        issue = domain.issue(name)
        if issue is None:
            raise InputError(path, key, f"an issue of the domain {domain.path.name} expected "
                                        f"(its issues: {', '.join(map(repr, names))})")
        if _kind(element) != "discrete" or element.find("evaluator") is not None:
            raise InputError(path, key, f"discrete evaluations (<item value=… evaluation=…>) expected, got type "
                                        f"{_kind(element)!r}")
        if element.get("index") is not None:
            index_to_issue[int(_number(path, f"{key} index", element.get("index"), lo=0))] = name
        values: dict[str, float] = {}
        for item in element.findall("item"):
            option = item.get("value", "")
            if option not in issue.options:
                raise InputError(path, f"{key} item {option!r}", f"an option of {name!r} in {domain.path.name} "
                                                                  f"expected ({', '.join(map(repr, issue.options))})")
            values[option] = _number(path, f"{key} item {option!r} evaluation", item.get("evaluation"), lo=0.0)
        missing = [o for o in issue.options if o not in values]
        if missing:
            listed = ", ".join(map(repr, missing))
            raise InputError(path, key, f"an evaluation for every option expected; missing: {listed}")
        evaluations[name] = values
    weights: dict[str, float] = {}
    for element in objective.findall("weight"):
        index = element.get("index")
        target = index_to_issue.get(int(index)) if index is not None and index.strip().isdigit() else None
        if target is None:
            raise InputError(path, f"weight index={index}", f"the index of an issue of the domain expected "
                                                             f"({', '.join(str(i) for i in sorted(index_to_issue))})")
        weights[target] = _number(path, f"weight index={index}", element.get("value"), lo=0.0)
    notes: list[str] = []
    for name in names:
        key = _issue_key(name)
        if name in evaluations and name not in weights:
            raise InputError(path, key, "a <weight index=…> for this issue expected")
        if name not in evaluations:
            if weights.get(name, 0.0) > 0:
                raise InputError(path, key, "evaluations for its options expected (it has a positive weight)")
            weights[name] = 0.0
            notes.append(f"{path.name}: issue {name!r} has no evaluations; it counts for nothing")
        elif weights[name] > 0 and max(evaluations[name].values()) <= 0:
            raise InputError(path, key, "at least one positive evaluation expected (utilities divide by the largest)")
    total = sum(weights.values())
    if total <= 0:
        raise InputError(path, "weight", "at least one positive issue weight expected")
    if abs(total - 1.0) > 1e-6:
        notes.append(f"{path.name}: weights sum to {total:g}, not 1; they are normalised")
    reservation = _value(root, objective, path, "reservation", 0.0, 0.0, 1.0)
    discount = _value(root, objective, path, "discount_factor", 1.0, 0.0, 1.0)
    return Profile(path, weights, evaluations, reservation, discount, tuple(notes))


def _value(root: ET.Element, objective: ET.Element, path: Path, tag: str, default: float,
           lo: float, hi: float) -> float:
    element = root.find(tag)
    element = objective.find(tag) if element is None else element
    if element is None:
        return default
    return _number(path, f"{tag} value", element.get("value"), lo=lo, hi=hi)


# -- to a scenario ------------------------------------------------------------------

def slug(text: str, fallback: str = "genius") -> str:
    """Letters (accents dropped), digits, ``_ . -``: a valid scenario name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_text).strip("_.-")[:MAX_NAME].rstrip("_.-")
    return cleaned or fallback


def party_names(profiles: Sequence[Path], names: Sequence[str] | None) -> list[str]:
    """``--names`` as given (checked), else each profile's file name."""
    if names is not None:
        given = [n.strip() for n in names]
        if len(given) != len(profiles) or any(not n for n in given) or len(set(given)) != len(given):
            raise InputError("names", ",".join(names), f"{len(profiles)} distinct non-empty names expected, "
                                                         "one per profile, comma-separated")
        bad = next((n for n in given if "." in n or n in RESERVED), None)
        if bad is not None:
            raise InputError("names", bad, "a name without '.' expected (dotted `sets` paths use it)")
        return given
    out: list[str] = []
    for path in profiles:
        base = re.sub(r"[^\w-]+", "_", path.stem).strip("_") or "party"
        name, n = base, 2
        while name in out or name in RESERVED:
            name, n = f"{base}_{n}", n + 1
        out.append(name)
    return out


def _per_year(discount: float, span_days: int) -> float:
    """A GENIUS discount factor over a session of ``span_days`` as δ per year
    (the smallest positive float if it underflows: δ must be above 0)."""
    return max(discount ** (365 / span_days), 5e-324)


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def scenario_mapping(domain: Domain, profiles: Sequence[Profile], names: Sequence[str], name: str,
                     rounds: int = 60) -> tuple[dict[str, Any], list[str]]:
    """The scenario YAML mapping, and the notes worth telling the user."""
    notes = [note for p in profiles for note in p.notes]
    files = ", ".join([domain.path.name] + [f"{p.path.name} ({n})" for p, n in zip(profiles, names)])
    description = f"Imported from the GENIUS files {files}."
    discounted = [(n, p.discount) for n, p in zip(names, profiles) if 0 < p.discount < 1]
    span = max(rounds - 1, 1)  # days from the calendar's start to its end: GENIUS's normalised time 1
    if discounted:
        listed = ", ".join(f"{n} {d:g}" for n, d in discounted)
        description += (f" GENIUS discount factors over the session, kept as δ per year (δ^(365/{span})): {listed};"
                        f" GENIUS also discounts the reservation value, this simulator does not.")
        notes += [f"{n}: discount factor {d:g} over the session kept as cost_of_delay.discount "
                  f"{_per_year(d, span):.6g} per year; the reservation value is not discounted (GENIUS does)"
                  for n, d in discounted]
    parties: dict[str, Any] = {}
    for party, profile in zip(names, profiles):
        parties[party] = {
            "role": "bargainer",
            "weights": {i.name: _plain(profile.weights[i.name]) for i in domain.issues},
            "values": {i.name: {o: _plain(profile.evaluations[i.name][o]) for o in i.options}
                       for i in domain.issues if i.name in profile.evaluations},
            "reservation": _plain(profile.reservation),
            "strategy": {"name": "time_dependent", "e": 1.0},
        }
        if 0 < profile.discount < 1:
            parties[party]["cost_of_delay"] = {"discount": _per_year(profile.discount, span)}
    mapping = {
        "name": name,
        "description": description,
        "seed": 1,
        "calendar": {"start": START, "round": "1d", "deadline": START + dt.timedelta(days=rounds - 1)},
        "clauses": {i.name: {"options": list(i.options)} for i in domain.issues},
        "parties": parties,
    }
    return mapping, notes


def to_yaml(mapping: dict[str, Any], sources: Sequence[Path]) -> str:
    head = "# Imported by `negotiation import-genius` from " + ", ".join(p.name for p in sources) + ".\n" \
           "# Weights and evaluations are copied as written; utilities normalise them as GENIUS does.\n"
    return head + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
