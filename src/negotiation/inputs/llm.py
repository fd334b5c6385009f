"""``strategy: {name: llm, …}``: a bargainer played by a language model.

The keys (``domain/llm.py`` says what each means) are checked here with the
key path in the message: ``model`` is required, ``base_url`` must be an
http(s) URL without a user or password in it (the key is read from the
environment, never from the scenario: a URL is written to the run folder's
``scenario.yaml``), ``fallback`` is any other strategy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union
from urllib.parse import urlsplit

from pydantic import Discriminator, Field, Tag, field_validator
from pydantic_core import PydanticCustomError

from ..domain.llm import LlmLimits, LlmSpec
from .tactics import strategy_spec
from .types import ERROR
from .validation import Node


class LimitsModel(Node):
    """What one run may spend on this party; a limit reached stops the run (exit 1)."""

    calls: int | None = Field(None, ge=1, description="chat-completion calls, cached ones included")
    tokens: int | None = Field(None, ge=1, description="tokens the endpoint reported, cached ones included")
    seconds: float | None = Field(None, gt=0, description="seconds spent waiting on the endpoint")


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError(ERROR, "an http:// or https:// URL expected (an OpenAI-compatible endpoint, "
                                         "e.g. http://127.0.0.1:11434/v1), got {got}", {"got": repr(value)})
    if parts.username or parts.password:
        raise PydanticCustomError(ERROR, "a URL without a user or password expected (the key is read from "
                                         "NEGOTIATION_LLM_API_KEY or OPENAI_API_KEY)")
    return value.rstrip("/")


def llm_model(tactic: Any) -> Any:
    """The pydantic model of ``strategy: {name: llm, …}``, its fallback one of ``tactic``."""

    class LlmStrategy(Node):
        """A language model plays the party through an OpenAI-compatible chat-completions endpoint;
        the fallback tactic plays a turn the model fails (issue 24)."""

        name: Literal["llm"]
        model: str = Field(min_length=1, description="the model's name at the endpoint")
        base_url: str = Field(description="the endpoint's base URL (…/v1); the key comes from the environment")
        fallback: tactic = Field({"name": "boulware", "e": 0.3}, validate_default=True,
                                 description="the tactic that plays a turn the model fails")
        retries: int = Field(2, ge=0, le=10, description="how many times a bad answer is asked again")
        timeout: float = Field(60.0, gt=0, description="seconds to wait for one answer")
        limits: LimitsModel = Field(None, description="calls, tokens, seconds per run")  # type: ignore[assignment]

        @field_validator("base_url")
        @classmethod
        def _url(cls, value: str) -> str:
            return _check_url(value)

    return LlmStrategy


def _kind(value: Any) -> str:
    return "llm" if isinstance(value, Mapping) and value.get("name") == "llm" else "tactic"


def strategy_with_llm(tactic: Any) -> Any:
    """``strategy:``: the ``llm`` strategy, or any tactic ``tactic`` reads."""
    return Annotated[Union[Annotated[llm_model(tactic), Tag("llm")],  # noqa: UP007
                           Annotated[tactic, Tag("tactic")]], Discriminator(_kind)]


def spec_of(model: Any) -> Any:
    """The validated ``strategy:`` as the spec a bargainer is built from."""
    if getattr(model, "name", None) != "llm":
        return strategy_spec(model)
    fallback = strategy_spec(model.fallback)
    limits = LlmLimits(model.limits.calls, model.limits.tokens, model.limits.seconds) if model.limits else LlmLimits()
    return LlmSpec("llm", (), fallback.acceptance, fallback.opponent_model, model=model.model,
                   base_url=model.base_url, fallback=fallback, retries=model.retries, timeout=model.timeout,
                   limits=limits)
