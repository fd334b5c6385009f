"""Import GENIUS negotiation domains into scenario YAML, checked as a run
would read it back (the readers are ``inputs/genius.py``; the check needs
the whole scenario, roles included, so it sits with the loader)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from ..inputs import genius, values
from ..inputs.config import safe_load
from .load import build_scenario


def import_genius(domain_path: Path, profile_paths: Sequence[Path], out: Path, names: Sequence[str] | None = None,
                  name: str | None = None, rounds: int = 60) -> tuple[str, list[str]]:
    """Read the files, build the YAML text and validate it exactly as a run
    would read it back. Returns the text and the notes; writes nothing."""
    if len(profile_paths) < 2:
        raise InputError("profiles", "", "at least two GENIUS utility profiles expected")
    try:
        values.days(rounds, least=2)
    except ValueError:
        raise InputError("rounds", str(rounds), f"at least 2 and at most {values.MAX_DAYS:,} daily rounds "
                                                  "expected") from None
    domain = genius.read_domain(domain_path)
    profiles = [genius.read_profile(p, domain) for p in profile_paths]
    parties = genius.party_names(profile_paths, names)
    scenario_name = genius.slug(name) if name else \
        genius.slug(re.sub(r"[-_ ]?domain$", "", domain_path.stem, flags=re.I))
    mapping, notes = genius.scenario_mapping(domain, profiles, parties, scenario_name, rounds)
    text = genius.to_yaml(mapping, [domain_path, *profile_paths])
    try:
        scenario = build_scenario(safe_load(text), str(out))
    except InputError as exc:
        raise InputError(domain_path, "", f"cannot be represented as a scenario: {exc.message}") from None
    if [c.name for c in scenario.clauses] != [i.name for i in domain.issues] or \
            [list(c.options) for c in scenario.clauses] != [list(i.options) for i in domain.issues]:
        raise InputError(domain_path, "", "issue and option names that survive a YAML round trip expected")
    return text, notes
