"""Inputs: scenario YAML, facts, the real deal, GENIUS files."""

DEFAULT_SCENARIO = "configs/openai_microsoft_2025.yaml"
MAX_NAME = 100  # a scenario's name: run folder names add a seed and a hash; file systems allow 255 bytes
MAX_ROUNDS = 1_000_000  # a scenario's max_rounds
NAME = rf"[A-Za-z0-9_][A-Za-z0-9_.-]{{0,{MAX_NAME - 1}}}"  # here, import-free: the models and the scenario read it
