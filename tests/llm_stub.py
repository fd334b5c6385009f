"""A small OpenAI-compatible chat-completions server for the tests: a real
HTTP server on 127.0.0.1 (``http.server`` in a thread) that plays a scripted
policy from the prompt alone, as a model would read it.

Policy (deterministic in the prompt, so answers are cacheable): it reads
its options' values, weights and reservation value from the prompt's
lines; its target starts at its best outcome and falls by ``rate`` per
offer it has made (never below its reservation value + ``margin``); it
accepts an offer on the table worth at least its target, else offers, among
the outcomes worth at least its target, the one closest to the other side's
last offer (most clauses in common), then the best for itself.

``script`` makes it misbehave on its first calls, one mode a call:
``garbage`` (not JSON), ``unknown`` (an option not listed), ``below`` (its
worst outcome, under its reservation value), ``walk`` (walks away),
``sleep`` (answers after ``delay`` seconds).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CLAUSE = re.compile(r"^- (\w+) \(weight ([\d.]+)\): (.*)$")
OPTION = re.compile(r"([^,=]+?) = ([\d.]+)(?: \(status quo\))?(?:, |$)")
OFFER = re.compile(r"^- round \d+ \([\d-]+\), (\w+): (.*) \(value to you ([\d.]+)\)$")


class Stub:
    def __init__(self, rate: float = 0.05, margin: float = 0.02, script: list[str] | None = None,
                 delay: float = 2.0) -> None:
        self.rate, self.margin, self.delay = rate, margin, delay
        self.script = list(script or [])
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.spaces: dict[tuple, tuple[list[dict], list[float]]] = {}
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with stub.lock:
                    stub.requests.append(body)
                    stub.headers.append(dict(self.headers))
                    mode = stub.script.pop(0) if stub.script else "policy"
                if not self.path.endswith("/chat/completions"):
                    self.send_error(404)
                    return
                if mode == "sleep":
                    time.sleep(stub.delay)
                content = stub.answer(body, mode)
                data = json.dumps({"id": "stub", "object": "chat.completion", "model": body["model"],
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": content}}],
                                   "usage": {"prompt_tokens": 100, "completion_tokens": 20,
                                             "total_tokens": 120}}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        # shutdown() waits for serve_forever to look again: every 0.5 s by default, half a second per test
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def __enter__(self) -> Stub:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the policy ------------------------------------------------------------------
    def answer(self, body: dict[str, Any], mode: str) -> str:
        prompt = body["messages"][1]["content"]
        me = re.search(r"^You are (\w+),", prompt, re.M).group(1)
        clauses = {}
        for line in prompt.splitlines():
            if m := CLAUSE.match(line):
                clauses[m.group(1)] = (float(m.group(2)), [(o.strip(), float(v)) for o, v in OPTION.findall(m.group(3))])
        rv = float(re.search(r"no deal is worth to you\): (\d+\.\d+)", prompt).group(1))
        if floor := re.search(r"a deal today must be worth at least (\d+\.\d+)", prompt):  # a cost of delay
            rv = max(rv, float(floor.group(1)))
        offers = [(m.group(1), dict(t.split("=", 1) for t in m.group(2).split(", ")))
                  for line in prompt.splitlines() if (m := OFFER.match(line))]
        earlier = re.search(r"\((\d+) earlier offers not shown\)", prompt)
        made = sum(1 for who, _ in offers if who == me) + (int(earlier.group(1)) // 2 if earlier else 0)
        table = re.search(r"On the table now: .* worth ([\d.]+) to you", prompt)
        outcomes, values = self.space(clauses)
        best = max(values)
        target = max(rv + self.margin, best - self.rate * made)
        if mode == "garbage":
            return "Sure! I think we should split the difference."
        if mode == "walk":
            return json.dumps({"action": "walk_away", "offer": None, "message": "We are too far apart."})
        if mode == "unknown":
            terms = {c: opts[0][0] for c, (_, opts) in clauses.items()}
            terms[next(iter(clauses))] = "a_moon_base"
            return json.dumps({"action": "offer", "offer": terms, "message": "A new idea."})
        if mode == "below":
            worst = outcomes[values.index(min(values))]  # the first of the worst, as min() gives
            return json.dumps({"action": "offer", "offer": worst, "message": "Take everything."})
        if table is not None and float(table.group(1)) >= target:
            return json.dumps({"action": "accept", "offer": None, "message": "We accept these terms."})
        theirs = next((t for who, t in reversed(offers) if who != me), {})
        fit = ([(o, v) for o, v in zip(outcomes, values) if v >= target - 1e-9]
               or [(outcomes[values.index(best)], best)])
        chosen, worth = max(fit, key=lambda ov: (sum(ov[0][c] == theirs.get(c) for c in ov[0]), ov[1]))
        return json.dumps({"action": "offer", "offer": chosen,
                           "message": f"We propose terms worth {worth:.2f} to us."})

    def space(self, clauses: dict[str, tuple[float, list[tuple[str, float]]]]) -> tuple[list[dict], list[float]]:
        """Every outcome (``itertools.product`` order) and its value to the party whose clauses these are,
        worked out once per party: the prompts of one party differ only in the offers (a default run's
        party has thousands of outcomes, and it was the tests' slowest part)."""
        key = tuple((c, w, tuple(opts)) for c, (w, opts) in clauses.items())
        if key not in self.spaces:
            def value(terms: dict[str, str]) -> float:
                return sum(w * dict(opts)[terms[c]] for c, (w, opts) in clauses.items())

            outcomes = [dict(zip(clauses, combo)) for combo in itertools.product(*([o for o, _ in opts]
                                                                                   for _, opts in clauses.values()))]
            self.spaces[key] = outcomes, [value(o) for o in outcomes]
        return self.spaces[key]
