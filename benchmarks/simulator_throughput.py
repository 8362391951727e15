"""Requests per second the embedded simulator serves over loopback.

Starts the medium preset (rate limit off) and measures, in one run:
  * the baseline: the same handlers called in-process (query parsing, data,
    JSON encoding) with no HTTP at all;
  * one keep-alive httpx client sending requests one after another;
  * eight threads sharing one client (connection pool), as the pipeline does.
Prints requests/s for four request mixes and the ratios to the baseline.
Each mix is first run once in-process so that the three figures see the same
caches (files are rebuilt when they fall out of the small bytes cache, as on
a first download pass).

Run: .venv/bin/python benchmarks/simulator_throughput.py
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx

from casb_pipeline.simulator import Simulator, SimulatorConfig
from casb_pipeline.simulator.endpoints import Content, match
from casb_pipeline.simulator.params import parse_query

REQUESTS = 1500
ANCHOR = date(2026, 3, 1)


def _paths(sim: Simulator) -> dict[str, list[str]]:
    chats = sorted(sim.expected_ids("chats"))
    files = sorted(sim.expected_ids("chat_files"))
    return {
        "organizations": ["/v1/compliance/organizations"],
        "chat messages": [f"/v1/compliance/apps/chats/{c}/messages" for c in chats],
        "chat list page (100)": ["/v1/compliance/apps/chats?limit=100&order_by=updated_at"],
        "file content": [f"/v1/compliance/apps/chats/files/{f}/content" for f in files],
    }


def _in_process(sim: Simulator, path: str) -> None:
    store = sim._state.store  # the baseline deliberately skips the HTTP layer
    route_path, _, query = path.partition("?")
    route, ids = match("GET", route_path)
    result = route.handler(store, ids, parse_query(query, route.params), int(time.time()))
    if not isinstance(result, Content):
        json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode()


def _rate(run: Callable[[int], None], count: int, workers: int = 1) -> float:
    started = time.perf_counter()
    if workers == 1:
        for n in range(count):
            run(n)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, range(count)))
    return count / (time.perf_counter() - started)


def main() -> None:
    config = SimulatorConfig(scale="medium", anchor=ANCHOR, rate_limit_rpm=0)
    with (
        Simulator(config) as sim,
        httpx.Client(
            base_url=sim.base_url,
            headers={"x-api-key": sim.api_key},
            limits=httpx.Limits(max_connections=8, max_keepalive_connections=8),
        ) as http,
    ):
        print(f"simulator medium preset, {REQUESTS} requests per figure, rate limit off")
        print(
            f"{'mix':24} {'in-process/s':>13} {'http x1/s':>10} {'http x8/s':>10} "
            f"{'x1/base':>8} {'x8/x1':>6}"
        )
        for name, paths in _paths(sim).items():
            for path in paths[:REQUESTS]:  # every figure then sees the same cache state
                _in_process(sim, path)

            def over_http(n: int, paths: list[str] = paths) -> None:
                http.get(paths[n % len(paths)]).raise_for_status()

            def direct(n: int, paths: list[str] = paths) -> None:
                _in_process(sim, paths[n % len(paths)])

            base = _rate(direct, REQUESTS)
            single = _rate(over_http, REQUESTS)
            pooled = _rate(over_http, REQUESTS, workers=8)
            print(
                f"{name:24} {base:13.0f} {single:10.0f} {pooled:10.0f} "
                f"{single / base:8.2f} {pooled / single:6.2f}"
            )


if __name__ == "__main__":
    main()
