"""Inputs: scenario YAML, facts, the real deal, GENIUS files."""

DEFAULT_SCENARIO = "configs/openai_microsoft_2025.yaml"
