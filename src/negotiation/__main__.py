"""``python -m negotiation``: the same entry point as the ``negotiation`` command."""

from .cli import main

main()
