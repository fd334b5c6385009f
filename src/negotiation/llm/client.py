"""One chat-completions exchange, through the on-disk cache.

The request is the canonical JSON of the model's name, the messages, the
answer's schema (``response_format``) and the run's seed; its SHA-256 is the
exchange's key, the prompt hash the log records carry, and the cache file's
name (``DIR/ab/abcdef….json``, holding the request and the endpoint's whole
answer). A run whose exchanges are all cached replays byte for byte without
the network; the endpoint's URL is not part of the key (the same model
served elsewhere answers from the same cache).

The key is read from ``NEGOTIATION_LLM_API_KEY`` (else ``OPENAI_API_KEY``)
when a request is sent, put in the ``Authorization`` header only, and never
stored, logged or put in a message. The stdlib's ``urllib`` sends the
request (no HTTP library is a dependency of the package).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import LlmError
from .session import Settings

KEY_VARIABLES = ("NEGOTIATION_LLM_API_KEY", "OPENAI_API_KEY")


def api_key() -> str | None:
    return next((os.environ[v] for v in KEY_VARIABLES if os.environ.get(v)), None)


def canonical(request: dict[str, Any]) -> str:
    return json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_hash(request: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(request).encode()).hexdigest()


@dataclass(frozen=True)
class Reply:
    content: str | None  # the message's text; None when the answer had none (an invalid answer)
    tokens: int  # total tokens the endpoint reported (0 if it did not)
    seconds: float  # time spent waiting on the endpoint (0 for a cached answer)


class Endpoint:
    """An OpenAI-compatible chat-completions endpoint, behind the run's cache."""

    def __init__(self, base_url: str, timeout: float, settings: Settings) -> None:
        self.url = f"{base_url.rstrip('/')}/chat/completions"
        self.timeout = timeout
        self.settings = settings

    def ask(self, request: dict[str, Any]) -> Reply:
        key = request_hash(request)
        path = self.settings.cache / key[:2] / f"{key}.json" if self.settings.cache is not None else None
        if path is not None and path.is_file():
            return reply(json.loads(path.read_text(encoding="utf-8"))["response"], 0.0)
        if self.settings.offline:
            raise LlmError(f"{self.url}: no cached answer for request {key[:16]}… in {self.settings.cache} "
                           f"(--llm-cache-only: the network is not used)")
        started = time.perf_counter()
        body = self.post(request)
        seconds = time.perf_counter() - started
        if path is not None:
            store(path, {"request": request, "response": body})
        return reply(body, seconds)

    def post(self, request: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json"}
        secret = api_key()
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        http = urllib.request.Request(self.url, data=canonical(request).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(http, timeout=self.timeout) as answer:  # noqa: S310 - http(s) checked
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            raise LlmError(f"{self.url}: HTTP {exc.code} {exc.reason}") from None
        except (TimeoutError, socket.timeout):
            raise LlmError(f"{self.url}: no answer within {self.timeout:g} s (timeout)") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise LlmError(f"{self.url}: no answer within {self.timeout:g} s (timeout)") from None
            what = "connection refused" if isinstance(reason, ConnectionRefusedError) else str(reason)
            raise LlmError(f"{self.url}: {what}") from None
        except OSError as exc:
            raise LlmError(f"{self.url}: {exc.strerror or type(exc).__name__}") from None
        try:
            return json.loads(raw)
        except ValueError:
            return {"unreadable": raw.decode("utf-8", "replace")[:2000]}


def reply(body: Any, seconds: float) -> Reply:
    """The first choice's text and the tokens used, from a chat-completions answer."""
    content = None
    if isinstance(body, dict):
        choices = body.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            message = choices[0].get("message")
            if isinstance(message, dict) and isinstance(message.get("content"), str):
                content = message["content"]
    usage = body.get("usage") if isinstance(body, dict) else None
    tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
    return Reply(content, tokens if isinstance(tokens, int) and tokens >= 0 else 0, seconds)


def store(path: Path, exchange: dict[str, Any]) -> None:
    """Write the exchange atomically (a temporary file renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(exchange, indent=1, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except OSError as exc:
        raise LlmError(f"{path}: cannot write the cached answer ({exc.strerror or exc})") from None
