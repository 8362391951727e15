"""Requests and records per second of the Compliance API client against the simulator.

Starts ``casb-pipeline simulator serve`` (medium preset, rate limit off) in its
own process, so client and server do not share one interpreter lock, then
measures over loopback:

  * the org-wide chat walk and the activity feed (maximum page size);
  * every chat's messages with one worker, the baseline, and with eight
    workers sharing the client (``map_concurrent``), and their ratio;
  * chat file downloads (streamed, hashed, verified, written) with one and
    with eight workers;
  * latency-bound: a second, in-process simulator (small preset) that delays
    every messages response by its ``slow`` fault (~0.5 s), as a distant API
    would, fetched with one and with eight workers (its CPU column includes
    that simulator, which runs in this process).

The simulator builds a chat's messages the first time they are asked for, so
one untimed pass fetches them all before the timed runs. The last column is
the CPU time of this (client) process per request: on a small machine the
simulator's own CPU bounds the rates, and that column shows the client's share.

Run: .venv/bin/python benchmarks/client_throughput.py [--files N]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.simulator import DEFAULT_API_KEY, Simulator, SimulatorConfig

ANCHOR = date(2026, 3, 1)
MAX_FILE_BYTES = 100_000_000
SLOW_CHATS = 24


def start_simulator() -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable, "-m", "casb_pipeline.cli", "simulator", "serve",
        "--port", "0", "--scale", "medium", "--rate-limit-rpm", "0",
        "--anchor", ANCHOR.isoformat(),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"serving (http://127\.0\.0\.1:\d+)", line)
    if not found:
        process.kill()
        raise SystemExit(f"the simulator did not start: {line!r}")
    return process, found.group(1)


def timed(run: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    count = run()
    return count, time.perf_counter() - started


def report(name: str, client: ComplianceClient, run: Callable[[], int], unit: str) -> float:
    """One timed run: requests/s, records/s, and this process's CPU per request."""
    before = client.stats.requests_total
    cpu = time.process_time()
    records, seconds = timed(run)
    cpu = time.process_time() - cpu
    requests = client.stats.requests_total - before
    print(
        f"{name:24} {requests:6d} req {records:8d} {unit:8} {seconds:6.2f} s "
        f"{requests / seconds:7.1f} req/s {records / seconds:10.1f} {unit}/s "
        f"{1000 * cpu / requests:6.2f} client-CPU ms/req"
    )
    return records / seconds


def fan_out(client: ComplianceClient, fn: Callable[[Any], int], items: Iterable[Any]) -> int:
    total = 0
    for item, result in client.map_concurrent(fn, items):
        if isinstance(result, Exception):
            raise SystemExit(f"{item}: {result}")
        total += result
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400, help="chat files to download per run")
    args = parser.parse_args()
    process, base_url = start_simulator()
    try:
        run(base_url, args.files)
    finally:
        process.terminate()
        process.wait(timeout=10)
    run_latency_bound()


def messages_counter(client: ComplianceClient) -> Callable[[str], int]:
    return lambda chat_id: len(client.chat_messages(chat_id).messages)


def downloader(client: ComplianceClient, folder: Path) -> Callable[[str], int]:
    def download(file_id: str) -> int:
        return client.download_file(file_id, folder / file_id, max_bytes=MAX_FILE_BYTES).size

    return download


def run(base_url: str, file_count: int) -> None:
    start = datetime.combine(ANCHOR, datetime.min.time(), UTC) - timedelta(days=400)
    end = datetime.now(UTC)
    one, eight = (
        ComplianceClient(base_url, DEFAULT_API_KEY, rate_limit_rpm=0, max_concurrency=workers)
        for workers in (1, 8)
    )
    print(f"client against `casb-pipeline simulator serve` (medium, no rate limit) at {base_url}")
    chats = [chat.id for chat in one.chats_updated(start, end)]
    files: set[str] = set()

    def first_pass(chat_id: str) -> int:
        whole = eight.chat_messages(chat_id)
        files.update(f.id for m in whole.messages for f in m.files or [])
        return len(whole.messages)

    _, cold = timed(lambda: fan_out(eight, first_pass, chats))
    print(
        f"untimed first pass over {len(chats)} chats' messages (server builds them): {cold:.1f} s"
    )
    picked = sorted(files)[:file_count]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report(
            "chats, org-wide walk", one, lambda: len(list(one.chats_updated(start, end))), "chats"
        )
        report(
            "activities, feed walk", one, lambda: len(list(one.activities(start, end))), "events"
        )
        rates = {
            workers: (
                report(f"messages, {workers} worker(s)", client,
                       lambda c=client: fan_out(c, messages_counter(c), chats), "messages"),
                report(f"files, {workers} worker(s)", client,
                       lambda c=client: fan_out(c, downloader(c, folder), picked), "bytes"),
            )
            for workers, client in ((1, one), (8, eight))
        }  # fmt: skip
    print(f"messages: 8 workers / 1 worker (baseline) = {rates[8][0] / rates[1][0]:.2f}x")
    print(f"files:    8 workers / 1 worker (baseline) = {rates[8][1] / rates[1][1]:.2f}x")
    one.close()
    eight.close()


def run_latency_bound() -> None:
    config = SimulatorConfig(anchor=ANCHOR, rate_limit_rpm=0)
    with Simulator(config) as sim:
        chats = sorted(sim.expected_ids("chats"))[:SLOW_CHATS]
        with ComplianceClient(sim.base_url, sim.api_key, rate_limit_rpm=0) as warm:
            fan_out(warm, messages_counter(warm), chats)  # untimed: the server builds them
        sim.faults.set(rate=1.0, kinds=("slow",), endpoints="/messages$")
        print(f"latency-bound: {len(chats)} chats' messages, every response delayed ~0.5 s")
        rates = []
        for workers in (1, 8):
            with ComplianceClient(
                sim.base_url, sim.api_key, rate_limit_rpm=0, max_concurrency=workers
            ) as client:
                rates.append(
                    report(f"slow messages, {workers} worker(s)", client,
                           lambda c=client: fan_out(c, messages_counter(c), chats), "messages")
                )  # fmt: skip
    print(f"latency-bound messages: 8 workers / 1 worker (baseline) = {rates[1] / rates[0]:.2f}x")


if __name__ == "__main__":
    main()
