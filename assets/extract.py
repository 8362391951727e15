"""Extraction assets: the Compliance API, stream by stream, into the Parquet lake.

Each asset is a thin wrapper over one ``casb_pipeline.extraction`` step: it
opens a client, runs the step over the partition (or the backfill range, in
one run), and reports what it wrote, requested and quarantined.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import pyarrow as pa

from assets.checks import quarantine_check, stream_check_specs, table_checks
from assets.resources import ComplianceApiResource, LakeResource
from casb_pipeline.compliance import STREAMS, schema
from casb_pipeline.config import check_api_source, record_api_source
from casb_pipeline.extraction import chats, contents, directory, feed, projects, sweep
from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.extraction.ledgers import CONTENTS, CONTENTS_SCHEMA
from casb_pipeline.lake import Lake
from casb_pipeline.textract import ExtractLimits

GROUP = "extract"
KINDS = {"python", "parquet"}
POOL = "compliance_api"

Step = Callable[[StreamContext], dict[str, Any] | None]


def run_days(context: dg.AssetExecutionContext) -> list[date]:
    """The partition days of this run (one, or a backfill range); today when unpartitioned."""
    if context.assets_def.partitions_def is None:
        return [datetime.now(UTC).date()]
    return [date.fromisoformat(key) for key in context.partition_keys]


def as_metadata(values: dict[str, Any]) -> dict[str, Any]:
    return {k: dg.MetadataValue.json(v) if isinstance(v, dict) else v for k, v in values.items()}


def run_step(
    context: dg.AssetExecutionContext,
    api: ComplianceApiResource,
    lake: LakeResource,
    step: Step,
) -> tuple[dict[str, Any], list[date]]:
    days = run_days(context)
    writer = context.asset_key.path[-1]
    data_dir = lake.paths.root
    check_api_source(data_dir, api.source)
    with api.open() as client:
        ctx = StreamContext(client, lake.lake, lake.blobs, days, datetime.now(UTC), writer)
        extra = step(ctx) or {}
        metadata = {**ctx.finish(), **extra}
    record_api_source(data_dir, api.source)
    context.log.info(
        f"{metadata['rows_written']} rows, {metadata['requests']} requests, "
        f"{metadata['quarantined']} quarantined"
    )
    return metadata, days


@dataclass(frozen=True)
class Checked:
    """What an asset's key and schema checks read: a dataset, its writer's files, its key."""

    dataset: str
    key: tuple[str, ...]
    schema: pa.Schema
    writer: str | None = None

    def files(self, lake: Lake, days: list[date]) -> list[Path]:
        found = [p for d in days for p in lake.partition_files(self.dataset, d)]
        return [p for p in found if self.writer is None or p.stem == self.writer]


def _stream(name: str) -> Checked:
    return Checked(name, STREAMS[name].key, schema(name))


def _contents(writer: str) -> Checked:
    return Checked(CONTENTS, ("object_type", "object_id"), CONTENTS_SCHEMA, writer)


def _max_bytes() -> int:
    return ExtractLimits.from_env().max_bytes


@dataclass(frozen=True)
class StreamAsset:
    name: str
    description: str
    step: Step
    checked: Checked
    deps: tuple[str, ...] = ()


STREAM_ASSETS = (
    StreamAsset(
        "activities",
        "Activity feed by created_at (10 min look-back); deletion events become tombstones.",
        feed.extract_activities,
        _stream("activities"),
    ),
    StreamAsset(
        "chats",
        "Chats of every user, org-wide walk by updated_at (1 h look-back).",
        chats.extract_chats,
        _stream("chats"),
    ),
    StreamAsset(
        "chat_messages",
        "Whole message lists of the partition's chats; fetched only when the lake lacks "
        "that updated_at.",
        chats.extract_messages,
        _stream("chat_messages"),
        ("chats",),
    ),
    StreamAsset(
        "chat_files",
        "Bytes of files uploaded to the partition's messages, into the blob store once per id.",
        lambda ctx: contents.extract_message_files(ctx, generated=False, max_bytes=_max_bytes()),
        _contents("chat_files"),
        ("chat_messages",),
    ),
    StreamAsset(
        "generated_files",
        "Bytes of files tools generated in the partition's messages, once per id.",
        lambda ctx: contents.extract_message_files(ctx, generated=True, max_bytes=_max_bytes()),
        _contents("generated_files"),
        ("chat_messages",),
    ),
    StreamAsset(
        "artifacts",
        "Artifact versions of the partition's messages: metadata and verified text, once each.",
        lambda ctx: contents.extract_artifacts(ctx, max_bytes=_max_bytes()),
        _stream("artifacts"),
        ("chat_messages",),
    ),
    StreamAsset(
        "projects",
        "Projects by updated_at (1 h look-back) with description and instructions.",
        projects.extract_projects,
        _stream("projects"),
    ),
    StreamAsset(
        "project_attachments",
        "Attachments of changed projects and of projects named by project activities, "
        "with the content of each file and document.",
        lambda ctx: projects.extract_project_attachments(ctx, max_bytes=_max_bytes()),
        _stream("project_attachments"),
        ("projects", "activities"),
    ),
    StreamAsset(
        "project_collaborators",
        "Role grants of changed projects and of projects named by project activities.",
        projects.extract_project_collaborators,
        _stream("project_collaborators"),
        ("projects", "activities"),
    ),
)


def _partitioned_asset(
    spec: StreamAsset, partitions: dg.PartitionsDefinition
) -> dg.AssetsDefinition:
    @dg.asset(
        name=spec.name,
        description=spec.description,
        group_name=GROUP,
        kinds=KINDS,
        pool=POOL,
        deps=list(spec.deps),
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        check_specs=stream_check_specs(spec.name),
    )
    def _asset(
        context: dg.AssetExecutionContext,
        compliance_api: ComplianceApiResource,
        lake: LakeResource,
    ) -> dg.MaterializeResult:
        metadata, days = run_step(context, compliance_api, lake, spec.step)
        checks = table_checks(
            spec.name, spec.checked.files(lake.lake, days), spec.checked.key, spec.checked.schema
        )
        return dg.MaterializeResult(
            metadata=as_metadata(metadata),
            check_results=[*checks, quarantine_check(spec.name, lake.lake, days)],
        )

    return _asset


def _snapshot_asset(
    name: str, description: str, step: Step, deps: tuple[str, ...] = ()
) -> dg.AssetsDefinition:
    @dg.asset(
        name=name,
        description=description,
        group_name=GROUP,
        kinds=KINDS,
        pool=POOL,
        deps=list(deps),
    )
    def _asset(
        context: dg.AssetExecutionContext,
        compliance_api: ComplianceApiResource,
        lake: LakeResource,
    ) -> dg.MaterializeResult:
        metadata, _ = run_step(context, compliance_api, lake, step)
        return dg.MaterializeResult(metadata=as_metadata(metadata))

    return _asset


def extract_assets(partitions: dg.PartitionsDefinition) -> list[dg.AssetsDefinition]:
    return [
        _snapshot_asset(
            "organizations",
            "Organizations under the key's parent (snapshot every run).",
            directory.extract_organizations,
        ),
        _snapshot_asset(
            "users",
            "Members of every organization (snapshot every run), including organizations "
            "seen only in chats, projects or the feed.",
            directory.extract_users,
            ("organizations", "chats", "projects", "activities"),
        ),
        *(_partitioned_asset(spec, partitions) for spec in STREAM_ASSETS),
        _snapshot_asset(
            "deletion_sweep",
            "Chats and projects the lake holds that the API no longer lists (deleted through "
            "the API or by retention) become tombstones.",
            sweep.sweep_deletions,
            ("chats", "projects"),
        ),
    ]
