"""The command's two consoles: ``console`` (stdout) and ``errors`` (stderr),
terminal-safe (``runtime/terminal.py``). A leaf of ``cli/``: the app
(:mod:`.common`) and the one-line errors (:mod:`.usage`) both print through
them without importing each other.
"""

from ..runtime.terminal import SafeConsole

console = SafeConsole()
errors = SafeConsole(stderr=True)
