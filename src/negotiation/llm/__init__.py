"""Language-model parties (issue 24): the prompt and the answer's schema
(``prompt.py``), the chat-completions client and its on-disk cache
(``client.py``), and the settings of a run (``session.py``: the cache folder
and whether the network may be used).

It sits beside ``inputs`` in the import order (it uses ``domain`` only; the
engine's language-model bargainer, ``engine/llm_party.py``, uses it), and
knows nothing of scenarios, runs or the real deal.
"""

from __future__ import annotations


class LlmError(Exception):
    """A run cannot go on: the endpoint is unreachable, timed out or refused
    the request, a cached answer is missing in offline mode, or a limit of
    the run was reached. Its text is one line naming the endpoint or the
    key; the command prints it and exits 1 without a run folder."""
