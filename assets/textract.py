"""The ``file_texts`` asset: text of every object fetched for a partition, located
by page, sheet, slide or archive member, with one coverage row per object."""

import os
from collections.abc import Sequence
from datetime import UTC, datetime

import dagster as dg
from pydantic import Field

from assets.checks import PRIMARY_KEY, SCHEMA, quarantine_check, stream_check_specs, table_checks
from assets.extract import Checked, as_metadata, run_days
from assets.resources import LakeResource
from casb_pipeline.scoring.file_texts import MB, TextRun, extract_texts
from casb_pipeline.scoring.tables import (
    TEXT_COVERAGE,
    TEXT_COVERAGE_SCHEMA,
    TEXTS,
    TEXTS_SCHEMA,
)
from casb_pipeline.textract import ExtractLimits

NAME = "file_texts"
GROUP = "text"
# The extraction assets that write the `contents` rows this asset reads.
CONTENT_ASSETS = ("chat_files", "generated_files", "artifacts", "project_attachments")
CHECKED = (
    Checked(TEXTS, ("source_type", "source_id", "part"), TEXTS_SCHEMA, NAME),
    Checked(TEXT_COVERAGE, ("source_type", "source_id"), TEXT_COVERAGE_SCHEMA, NAME),
)


class FileTextsConfig(dg.Config):
    """Run settings; the guards themselves come from the ``CASB_TEXTRACT_*`` variables."""

    workers: int = Field(default=0, ge=0, description="Extraction processes; 0: one per CPU.")
    batch_mb: int = Field(
        default=512,
        ge=1,
        description="Days are extracted in groups of at most this many MB of files "
        "(a day is never split); one group's texts are held in memory at a time.",
    )


def file_texts_asset(partitions: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    @dg.asset(
        name=NAME,
        description="Text of the partition's chat files, generated files, artifacts and "
        "project attachments (texts), one coverage row per object (text_coverage); "
        "corrupt, encrypted or oversized files are quarantined. A blob extracted before "
        "is copied, not read again.",
        group_name=GROUP,
        kinds={"python", "parquet"},
        deps=list(CONTENT_ASSETS),
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        check_specs=stream_check_specs(NAME),
    )
    def _asset(
        context: dg.AssetExecutionContext, config: FileTextsConfig, lake: LakeResource
    ) -> dg.MaterializeResult:
        days = run_days(context)
        run = TextRun(
            lake=lake.lake,
            blobs=lake.blobs,
            now=datetime.now(UTC),
            writer=NAME,
            limits=ExtractLimits.from_env(),
            workers=config.workers or os.cpu_count() or 1,
            batch_bytes=config.batch_mb * MB,
        )
        stats = extract_texts(run, days)
        metadata = {**stats.metadata(), "days": len(days)}
        context.log.info(
            f"{metadata['objects']} objects ({metadata['blobs_extracted']} blobs read, "
            f"{metadata['mb_read']} MB at {metadata['mb_per_s']} MB/s), "
            f"{metadata['quarantined']} quarantined"
        )
        checks = _merged(
            [table_checks(NAME, c.files(lake.lake, days), c.key, c.schema) for c in CHECKED]
        )
        return dg.MaterializeResult(
            metadata=as_metadata(metadata),
            check_results=[*checks, quarantine_check(NAME, lake.lake, days)],
        )

    return _asset


def _merged(per_dataset: Sequence[list[dg.AssetCheckResult]]) -> list[dg.AssetCheckResult]:
    """One key check and one schema check over both datasets, metadata prefixed by dataset."""
    merged = []
    for name in (PRIMARY_KEY, SCHEMA):
        results = [r for results in per_dataset for r in results if r.check_name == name]
        metadata = {
            f"{checked.dataset}.{key}": value
            for checked, result in zip(CHECKED, results, strict=True)
            for key, value in result.metadata.items()
        }
        merged.append(
            dg.AssetCheckResult(
                check_name=name,
                asset_key=NAME,
                passed=all(r.passed for r in results),
                metadata=metadata,
            )
        )
    return merged
