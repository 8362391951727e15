"""`casb-pipeline run|extract|ui`: the same definitions the UI shows, on the same instance."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg

from assets.definitions import EXTRACT_GROUPS, build_definitions, start_date_for
from assets.instance import dagster_home, materialized_days, process_tags, reap_dead_runs
from assets.progress import failure_summary
from assets.resources import api_source
from assets.schedules import range_tags
from casb_pipeline.config import DataPaths, Settings, check_api_source, start_date_ignored
from casb_pipeline.errors import CasbError
from casb_pipeline.extraction.preflight import preflight
from casb_pipeline.lake.files import remove_stale_temps
from casb_pipeline.partition_plan import plan_ranges
from casb_pipeline.run_summary import print_summary
from casb_pipeline.simulator import Simulator, SimulatorConfig

# Temporary files this old belong to a writer that was killed, not one at work.
STALE_TEMP_AGE = timedelta(hours=6)
ADMIN_KEY_PREFIX = "sk-ant-admin01-"
# An Admin API key reaches the activity feed only (reference §1.2).
ADMIN_KEY_ASSETS = frozenset({"activities", "warehouse"})


@contextmanager
def api_environment(settings: Settings) -> Iterator[tuple[Settings, date]]:
    """With a key: the configured API. Without: one embedded simulator for the command.

    Yields the settings the run uses and its first daily partition.
    """
    if settings.api_key:
        print(f"Compliance API: {settings.api_base_url}", file=sys.stderr)
        yield settings, start_date_for(settings)
        return
    first_day = start_date_for(settings)
    sim_config = SimulatorConfig.from_env()
    overridden = ("ANTHROPIC_COMPLIANCE_ACCESS_KEY", "CASB_API_BASE_URL", "CASB_RATE_LIMIT_RPM")
    saved = {k: os.environ.get(k) for k in overridden}
    with Simulator(dataclasses.replace(sim_config, rate_limit_rpm=0)) as simulator:
        print(
            f"No ANTHROPIC_COMPLIANCE_ACCESS_KEY set: using the embedded simulator at "
            f"{simulator.base_url} (seed {sim_config.seed}, scale {sim_config.scale}, "
            f"{simulator.first_day} to {simulator.last_day})",
            file=sys.stderr,
        )
        os.environ["ANTHROPIC_COMPLIANCE_ACCESS_KEY"] = simulator.api_key
        os.environ["CASB_API_BASE_URL"] = simulator.base_url
        # The embedded simulator has no budget to protect unless one is asked for.
        os.environ.setdefault("CASB_RATE_LIMIT_RPM", "0")
        try:
            yield Settings.from_env(), first_day
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def run_pipeline(*, start: date | None, end: date | None, extract_only: bool) -> int:
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    warnings.filterwarnings("ignore", category=dg.PreviewWarning)
    settings = Settings.from_env()
    key = settings.api_key.reveal() if settings.api_key else None
    check_api_source(settings.data_dir, api_source(settings.api_base_url, key))
    dagster_home(settings)
    with api_environment(settings) as (live, first_day):
        if ignored := start_date_ignored(settings, first_day):
            print(ignored, file=sys.stderr)
        _preflight(live)
        defs = build_definitions(live, start=first_day)
        instance = dg.DagsterInstance.get()
        for run_id in reap_dead_runs(instance):
            print(f"Marked interrupted run {run_id} as failed.", file=sys.stderr)
        paths = DataPaths(live.data_dir)
        for folder in (paths.lake, paths.blobs):
            remove_stale_temps(folder, STALE_TEMP_AGE)
        job = defs.resolve_implicit_global_asset_job_def()
        selection = _selection(defs, extract_only)
        if live.api_key and live.api_key.reveal().startswith(ADMIN_KEY_PREFIX):
            selection = [k for k in selection if k.to_user_string() in ADMIN_KEY_ASSETS]
            print(
                "The key is an Admin API key: it reaches the activity feed only, so this run "
                "extracts activities alone.",
                file=sys.stderr,
            )
        today = datetime.now(UTC).date()
        ranges = plan_ranges(
            first_day=first_day,
            today=today,
            start=start,
            end=end,
            materialized=materialized_days(instance, _partitioned(defs, selection)),
        )
        for first, last in ranges:
            print(f"Run: partitions {first} to {last}", file=sys.stderr)
            result = job.execute_in_process(
                instance=instance,
                asset_selection=selection,
                tags={**range_tags(first, last), **process_tags()},
                run_config={"loggers": {"progress": {}}},
                raise_on_error=False,
            )
            if not result.success:
                raise CasbError(
                    f"run {result.run_id} failed: {_first_failure(result)}; "
                    "open it in the UI (make ui) for the step logs"
                )
    print_summary(DataPaths(live.data_dir))
    return 0


def _preflight(settings: Settings) -> None:
    """One request with the run's key before any run; stops the command when it fails for good."""
    if settings.api_key is None:
        raise CasbError("no API key for the run: set ANTHROPIC_COMPLIANCE_ACCESS_KEY")
    problem = preflight(settings.api_base_url, settings.api_key)
    if problem is not None:
        print(f"Preflight request failed ({problem}); starting the runs anyway.", file=sys.stderr)


def _first_failure(result: dg.ExecuteInProcessResult) -> str:
    """The first failed step and its error (our errors never carry keys or content)."""
    for event in result.get_step_failure_events():
        return f"step {event.step_key}: {failure_summary(event.step_failure_data.error)}"
    return "a step did not finish"


def _partitioned(defs: dg.Definitions, keys: list[dg.AssetKey]) -> list[dg.AssetKey]:
    graph = defs.resolve_asset_graph()
    return [key for key in keys if graph.get(key).partitions_def is not None]


def _selection(defs: dg.Definitions, extract_only: bool) -> list[dg.AssetKey]:
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    if not extract_only:
        return sorted(keys)
    return sorted(k for k in keys if graph.get(k).group_name in EXTRACT_GROUPS)


def run_ui() -> int:
    """`dagster dev` on 127.0.0.1 over the instance the CLI writes to."""
    settings = Settings.from_env()
    dagster_home(settings)
    dagster = shutil.which("dagster", path=str(Path(sys.executable).parent)) or "dagster"
    workspace = Path("workspace.yaml")
    target = ["-w", str(workspace)] if workspace.exists() else ["-m", "assets.definitions"]
    return subprocess.call([dagster, "dev", *target, "-h", "127.0.0.1"])
