"""The Dagster instance in ``DAGSTER_HOME``, shared by the CLI and the UI."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import dagster as dg

from casb_pipeline.config import DataPaths, Settings

# One op at a time per pool: `compliance_api` (the API budget is shared by
# every run anyway; parallelism lives inside an asset, behind the client's
# rate limiter) and `warehouse` (DuckDB allows one writer).
DAGSTER_YAML = """\
# Written by casb-pipeline; edits are replaced on the next run.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""

PID_TAG = "casb/pid"
HOST_TAG = "casb/host"


def dagster_home(settings: Settings) -> Path:
    """``DAGSTER_HOME``, defaulting to ``$CASB_DATA_DIR/dagster``; exported for Dagster."""
    home = Path(os.environ.get("DAGSTER_HOME") or DataPaths(settings.data_dir).dagster_home)
    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def process_tags() -> dict[str, str]:
    """Tags that let a later command recognise this run if its process dies."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def reap_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark runs whose CLI process was killed as failed and free their pool slots.

    A SIGKILLed command leaves its run STARTED and its pool slot claimed, which
    would block every later run. Only runs started on this host by a process
    that no longer exists are touched.
    """
    reaped = []
    records = instance.get_run_records(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING])
    )
    for record in records:
        run = record.dagster_run
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if not pid or host != socket.gethostname() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, "its casb-pipeline process ended without finishing")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(run.run_id)
    return reaped


def materialized_days(
    instance: dg.DagsterInstance, partitioned: Iterable[dg.AssetKey]
) -> set[date]:
    """Days every one of the ``partitioned`` (daily) assets has materialised."""
    done: set[date] | None = None
    for key in partitioned:
        days = {date.fromisoformat(k) for k in instance.get_materialized_partitions(key)}
        done = days if done is None else done & days
    return done or set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
