"""Snapshot of the asset graph: keys, groups, kinds, partitions, pools, parents, checks,
jobs and schedules. A change to the graph shows up here in review.

Regenerate after an intended change:
``UPDATE_GRAPH_SNAPSHOT=1 pytest tests/test_definitions_graph.py``.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg

from assets.definitions import build_definitions
from casb_pipeline.config import Settings

SNAPSHOT = Path(__file__).with_name("definitions_graph.json")


def graph_snapshot(defs: dg.Definitions) -> dict[str, Any]:
    graph = defs.resolve_asset_graph()
    pools = {
        key: definition.op.pool
        for definition in defs.assets or []
        if isinstance(definition, dg.AssetsDefinition)
        for key in definition.keys
    }
    assets = {}
    for key in sorted(graph.get_all_asset_keys()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "kinds": sorted(node.kinds),
            "partitions": type(node.partitions_def).__name__ if node.partitions_def else None,
            "single_run_backfill": node.backfill_policy == dg.BackfillPolicy.single_run(),
            "pool": pools.get(key),
            "parents": sorted(k.to_user_string() for k in node.parent_keys),
            "checks": sorted(k.name for k in node.check_keys),
            "has_description": bool(node.description),
        }
    return {
        "assets": assets,
        "jobs": sorted(job.name for job in defs.jobs or []),
        "schedules": {s.name: s.cron_schedule for s in defs.schedules or []},
    }


def test_asset_graph_matches_the_snapshot(tmp_path: Path) -> None:
    settings = Settings.from_env({"CASB_DATA_DIR": str(tmp_path), "CASB_FINGERPRINT_KEY": "k"})
    current = graph_snapshot(build_definitions(settings, start=date(2026, 3, 1)))
    if os.environ.get("UPDATE_GRAPH_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())
    assert all(asset["has_description"] for asset in current["assets"].values())
