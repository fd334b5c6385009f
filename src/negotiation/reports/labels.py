"""Text from files, made safe to draw with matplotlib.

Party, scenario, clause and option names come from files a user may not have
written. Drawn as they are, two things go wrong: a control character has no
glyph, and matplotlib's "Glyph 27 missing" warning prints it raw to stderr
(an ESC or BEL reaching the terminal: the terminal-injection risk that
``runtime/terminal.py`` guards the tables against); and a ``$`` starts
matplotlib's mathtext (matplotlib docs, "Writing mathematical expressions"),
so ``a$b$`` is drawn as math and an unbalanced ``\\frac`` between dollars
fails at draw time. ``label`` writes each control character as its ``\\xNN``
escape and each ``$`` as a literal dollar.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f$]")


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return r"\$" if char == "$" else f"\\x{ord(char):02x}"


def label(text: object) -> str:
    """``text`` as matplotlib should draw it, character for character."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
