"""Backtesting a scenario against the real outcome: one-line baselines,
proper scoring rules, the model's predictive distribution from a Monte Carlo,
and hold-outs (``negotiation backtest``). Sits beside reports/ and
experiments/: it reads the scenario and Monte Carlo rows, never the engine's
internals."""
