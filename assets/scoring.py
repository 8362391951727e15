"""The ``dlp_findings`` asset: the DLP engine over a partition's messages, projects
and file texts, into the lake's ``findings`` and ``scans``."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from assets.extract import as_metadata, run_days
from assets.resources import LakeResource
from assets.textract import NAME as FILE_TEXTS
from casb_pipeline.config import Settings, fingerprint_key
from casb_pipeline.scoring.findings import MB, PREVIEW_COLUMNS, ScoreRun, policy_for, score_days
from casb_pipeline.scoring.scan_inputs import BatchLimits

NAME = "dlp_findings"
GROUP = "dlp"


class DlpFindingsConfig(dg.Config):
    profiles_path: str | None = Field(
        default=None,
        description="DLP profiles file (YAML) added to the built-in profiles; "
        "default: the file CASB_DLP_PROFILES names, if any.",
    )
    batch_rows: int = Field(default=20_000, ge=1, description="Texts per DLP batch, at most.")
    batch_mb: int = Field(
        default=64,
        ge=1,
        description="MB of file text per DLP batch, at most (a larger "
        "single text is a batch of its own).",
    )


def dlp_findings_asset(partitions: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        name=NAME,
        description="Findings of the DLP profiles in the partition's message texts, project "
        "names, descriptions and instructions, and file texts: one row per match with its "
        "location, masked value and keyed fingerprint, never the value itself; one scans "
        "row per source, clean or not.",
        group_name=GROUP,
        kinds={"polars", "parquet"},
        deps=["chat_messages", "projects", FILE_TEXTS],
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
    )
    def _asset(
        context: dg.AssetExecutionContext, config: DlpFindingsConfig, lake: LakeResource
    ) -> dg.MaterializeResult:
        days = run_days(context)
        now = datetime.now(UTC)
        run = ScoreRun(
            lake=lake.lake,
            now=now,
            writer=NAME,
            key=fingerprint_key(replace(Settings.from_env(), data_dir=Path(lake.data_dir))),
            policy=policy_for(config.profiles_path, now.date()),
            limits=BatchLimits(config.batch_rows, config.batch_mb * MB),
        )
        stats = score_days(run, days)
        metadata = {**stats.metadata(), "days": len(days)}
        context.log.info(
            f"{metadata['sources_scanned']} sources, {metadata['mb_scanned']} MB at "
            f"{metadata['mb_per_s']} MB/s: {metadata['findings']} findings"
        )
        return dg.MaterializeResult(
            metadata={
                **as_metadata(metadata),
                "preview": dg.MetadataValue.md(_preview(stats.preview)),
            }
        )

    return _asset


def _preview(rows: list[dict[str, Any]]) -> str:
    """A markdown table of a few findings: locations and masked values only."""
    if not rows:
        return "no findings"
    lines = [
        "| " + " | ".join(PREVIEW_COLUMNS) + " |",
        "|" + "---|" * len(PREVIEW_COLUMNS),
    ]
    for row in rows:
        cells = (
            str(row[c] if row[c] is not None else "").replace("|", "\\|") for c in PREVIEW_COLUMNS
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
