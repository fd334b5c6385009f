"""negotiation: agent-based simulator of multi-party, multi-clause negotiations.

Data flows one way: ``configs/*.yaml`` → :mod:`scenario` → :mod:`model`
(Mesa agents, strategies, protocol) → :mod:`log` → reports.
"""

__version__ = "0.1.0"
