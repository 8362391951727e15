"""Extraction of the `medium` preset: requests vs the minimum, records/s, incremental cost.

Run: .venv/bin/python benchmarks/extraction_medium.py [--scale medium]

Prints, for a full run over every partition and then for an incremental
re-run of the last partition after 1 % new chats: requests made, the minimum
the data needs (one request per list page, message list, download, artifact
metadata, project detail/attachments/collaborators), records per second, and
the incremental run's requests and time as fractions of the full run's.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
import warnings
from datetime import UTC, date, datetime
from datetime import time as clock
from pathlib import Path

import dagster as dg
import duckdb

from assets.definitions import build_definitions
from assets.resources import ComplianceApiResource
from assets.schedules import RANGE_END, RANGE_START
from casb_pipeline.config import Settings
from casb_pipeline.simulator import Simulator, SimulatorConfig

ANCHOR = date(2026, 11, 20)


def run(sim: Simulator, data_dir: Path, first: date, last: date) -> tuple[float, int]:
    settings = Settings.from_env(
        {
            "CASB_DATA_DIR": str(data_dir),
            "CASB_API_BASE_URL": sim.base_url,
            "ANTHROPIC_COMPLIANCE_ACCESS_KEY": sim.api_key,
            "CASB_RATE_LIMIT_RPM": "0",
        }
    )
    defs = build_definitions(settings, start=sim.first_day)
    graph = defs.resolve_asset_graph()
    keys = [k for k in graph.get_all_asset_keys() if graph.get(k).group_name in ("extract",)]
    resources = {
        "compliance_api": ComplianceApiResource(
            base_url=sim.base_url, api_key=sim.api_key, rate_limit_rpm=0
        ),
        "lake": defs.resources["lake"],
    }
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    sim.reset_counts()
    started = time.perf_counter()
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            assets,
            selection=keys,
            resources=resources,
            instance=instance,
            tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()},
        )
    seconds = time.perf_counter() - started
    assert result.success
    rows = sum(
        e.materialization.metadata["rows_written"].value
        for e in result.get_asset_materialization_events()
        if e.partition in (None, last.isoformat()) and "rows_written" in e.materialization.metadata
    )
    return seconds, rows


def minimum_requests(sim: Simulator) -> int:
    """One request per page, per message list, per download, per artifact (metadata + content)."""
    ids = sim.expected_ids
    orgs = len(ids("organizations"))
    projects = len(ids("projects"))
    return (
        1
        + orgs * max(1, math.ceil(len(ids("users")) / orgs / 1000))
        + max(1, math.ceil(len(ids("activities")) / 5000))
        + max(1, math.ceil(len(ids("chats")) / 1000))
        + max(1, math.ceil(projects / 100))
        + 3 * projects
        + len(ids("chats"))
        + len(ids("chat_files"))
        + len(ids("generated_files"))
        + 2 * len(ids("artifacts"))
        + len(ids("project_attachments"))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium", choices=("small", "medium", "large"))
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    config = SimulatorConfig(seed=7, scale=args.scale, anchor=ANCHOR, rate_limit_rpm=0)
    with Simulator(config) as sim, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        full_s, full_rows = run(sim, data, sim.first_day, ANCHOR)
        full_requests = sum(sim.request_counts().values())
        minimum = minimum_requests(sim)
        new = sim.add_chats(
            max(1, len(sim.expected_ids("chats")) // 100),
            at=datetime.combine(ANCHOR, clock(15), UTC),
        )
        inc_s, _ = run(sim, data, ANCHOR, ANCHOR)
        inc_requests = sum(sim.request_counts().values())
        with duckdb.connect() as con:
            messages = con.execute(
                f"select count(*) from '{data}/lake/chat_messages/*/*.parquet'"  # noqa: S608
            ).fetchone()[0]
    print(
        f"preset {args.scale}: {len(sim.expected_ids('chats')):,} chats, {messages:,} message rows"
    )
    print(
        f"full run:        {full_requests:,} requests; minimum the data needs {minimum:,} "
        f"(ratio {full_requests / minimum:.2f})"
    )
    rate = full_rows / full_s
    print(f"                 {full_s:.1f} s, {full_rows:,} records, {rate:,.0f} records/s")
    print(
        f"incremental run: {len(new)} new chats (1 %): {inc_requests:,} requests "
        f"({inc_requests / full_requests:.2%} of the full run), {inc_s:.1f} s "
        f"({inc_s / full_s:.1%} of the full run's time)"
    )


if __name__ == "__main__":
    main()
