"""How long each preset takes to start and how much memory it holds.

Each preset runs in a fresh interpreter: build the organization, start the
server, answer one request; the child reports seconds and resident-memory
growth. The small preset is the baseline the others are compared with.

Run: .venv/bin/python benchmarks/simulator_startup.py
"""

from __future__ import annotations

import json
import subprocess
import sys

_CHILD = """
import json, time, psutil, httpx
from datetime import date
process = psutil.Process()
import casb_pipeline.simulator as simulator
before = process.memory_info().rss
started = time.perf_counter()
sim = simulator.Simulator(simulator.SimulatorConfig(scale=SCALE, anchor=date(2026, 3, 1)))
built = time.perf_counter() - started
sim.start()
httpx.get(sim.base_url + "/v1/compliance/organizations",
          headers={"x-api-key": sim.api_key}).raise_for_status()
first = time.perf_counter() - started
world = sim._store.world
print(json.dumps({"built": built, "first": first, "rss": process.memory_info().rss - before,
                  "chats": len(world.chats), "messages": 2 * sum(world.chats.turns),
                  "activities": len(sim._store.activities)}))
sim.stop()
"""


def measure(scale: str) -> dict[str, float]:
    code = _CHILD.replace("SCALE", repr(scale))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    print(
        f"{'preset':8} {'chats':>8} {'messages':>9} {'activities':>10} {'build s':>8} "
        f"{'1st answer s':>12} {'RSS MiB':>8} {'s/small':>8} {'MiB/small':>9}"
    )
    base = measure("small")
    for scale in ("small", "medium", "large"):
        row = base if scale == "small" else measure(scale)
        mib = row["rss"] / 2**20
        print(
            f"{scale:8} {row['chats']:8.0f} {row['messages']:9.0f} {row['activities']:10.0f} "
            f"{row['built']:8.3f} {row['first']:12.2f} {mib:8.1f} "
            f"{row['first'] / base['first']:8.1f} {mib / max(base['rss'] / 2**20, 0.1):9.1f}"
        )


if __name__ == "__main__":
    main()
