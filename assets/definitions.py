"""The one composition root: every asset, check, resource, schedule and logger."""

from __future__ import annotations

import os
from datetime import date, timedelta

import dagster as dg

from assets.exports import exports_asset
from assets.extract import GROUP as EXTRACT_GROUP
from assets.extract import extract_assets
from assets.progress import progress_logger
from assets.resources import ComplianceApiResource, LakeResource
from assets.schedules import hourly_schedule
from assets.scoring import dlp_findings_asset
from assets.textract import file_texts_asset
from assets.warehouse import GROUP as WAREHOUSE_GROUP
from assets.warehouse import warehouse_asset
from casb_pipeline.config import DEFAULT_START_DATE_WITH_KEY, Settings, resolve_start_date
from casb_pipeline.simulator import SimulatorConfig

# Groups `casb-pipeline extract` materialises.
EXTRACT_GROUPS = frozenset({EXTRACT_GROUP, WAREHOUSE_GROUP})


def start_date_for(settings: Settings) -> date:
    """The first daily partition, pinned in the data dir at the first run.

    Its default: with a key, a day before the API existed (the first run
    inventories everything); without one, the embedded simulator's first day.
    """
    if settings.api_key:
        return resolve_start_date(settings, DEFAULT_START_DATE_WITH_KEY)
    simulated = SimulatorConfig.from_env()
    return resolve_start_date(
        settings, simulated.last_day - timedelta(days=simulated.spec.days - 1)
    )


def daily_partitions(start: date) -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(
        start_date=start.isoformat(), end_offset=1, timezone="UTC", fmt="%Y-%m-%d"
    )


def build_definitions(settings: Settings, start: date | None = None) -> dg.Definitions:
    partitions = daily_partitions(start or start_date_for(settings))
    extracted = extract_assets(partitions)
    scored = [file_texts_asset(partitions), dlp_findings_asset(partitions)]
    warehouse = warehouse_asset([*extracted, *scored])
    exports = exports_asset([warehouse])
    pipeline = dg.define_asset_job("pipeline", selection=dg.AssetSelection.all())
    return dg.Definitions(
        assets=[*extracted, *scored, warehouse, exports],
        jobs=[pipeline],
        schedules=[hourly_schedule(pipeline)],
        resources={
            "compliance_api": ComplianceApiResource(
                base_url=settings.api_base_url,
                api_key=dg.EnvVar("ANTHROPIC_COMPLIANCE_ACCESS_KEY") if settings.api_key else None,
                rate_limit_rpm=settings.rate_limit_rpm,
            ),
            "lake": LakeResource(data_dir=str(settings.data_dir)),
        },
        loggers={"progress": progress_logger},
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded by `dagster dev` (workspace.yaml) and `casb-pipeline run`."""
    os.environ.setdefault("DAGSTER_HOME", str(Settings.from_env().data_dir / "dagster"))
    return build_definitions(Settings.from_env())
