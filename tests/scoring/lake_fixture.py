"""A small lake written the way the extraction assets write it, and the two scoring
assets materialised over it through Dagster."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
import pyarrow as pa

from assets.resources import LakeResource
from assets.scoring import dlp_findings_asset
from assets.textract import file_texts_asset
from casb_pipeline.compliance import schema
from casb_pipeline.config import DataPaths
from casb_pipeline.extraction.ledgers import CONTENTS, ContentRow, contents_table
from casb_pipeline.lake import BlobStore, Lake

FIRST_DAY = date(2026, 3, 1)
DAY = date(2026, 3, 2)
STAGING = Path(__file__).resolve().parents[2] / "sql" / "staging"
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
# Writers of the contents dataset, by object type (as the extraction assets name them).
CONTENT_WRITER = {
    "chat_file": "chat_files",
    "generated_file": "generated_files",
    "artifact": "artifacts",
    "project_file": "project_attachments",
    "project_doc": "project_attachments",
}


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def text_block(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def tool_use(tool_id: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "tool_use",
        "id": tool_id,
        "name": "code_execution",
        "input": json.dumps(tool_input, ensure_ascii=False),
    }


def tool_result(tool_id: str, text: str) -> dict[str, Any]:
    return {"type": "tool_result", "tool_use_id": tool_id, "content_text": text}


@dataclass
class LakeFixture:
    """Rows of API streams and content blobs, written per day like the extraction does."""

    data_dir: Path
    contents: dict[tuple[date, str], list[ContentRow]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @property
    def lake(self) -> Lake:
        return Lake(DataPaths(self.data_dir).lake)

    @property
    def blobs(self) -> BlobStore:
        return BlobStore(DataPaths(self.data_dir).blobs)

    def write(self, stream: str, day: date, rows: list[dict[str, Any]]) -> None:
        """``rows`` as the lake stores them (missing fields are null)."""
        stamped = [
            {"_raw": "{}", "_extracted_at": at(day), "_partition": day.isoformat(), **row}
            for row in rows
        ]
        self.lake.write_partition(stream, day, pa.Table.from_pylist(stamped, schema=schema(stream)))

    def message(
        self, message_id: str, chat_id: str, blocks: list[dict[str, Any]], **lists: Any
    ) -> dict[str, Any]:
        return {
            "id": message_id,
            "chat_id": chat_id,
            "chat_updated_at": at(DAY),
            "role": "user",
            "created_at": at(DAY),
            "content": blocks,
            **lists,
        }

    def content(
        self,
        day: date,
        object_type: str,
        object_id: str,
        data: bytes | None,
        *,
        filename: str | None = None,
        mime: str | None = None,
        sha256: str | None = None,
    ) -> str:
        """A fetched object: its blob (unless ``data`` is None) and its contents row."""
        digest = self.blobs.put_bytes(data) if data is not None else sha256
        assert digest is not None
        size = len(data) if data is not None else 0
        row = ContentRow(object_type, object_id, digest, size, mime, filename, at(day), None)
        self.contents[(day, CONTENT_WRITER[object_type])].append(row)
        return digest

    def flush_contents(self) -> None:
        for (day, writer), rows in self.contents.items():
            self.lake.write_partition(CONTENTS, day, contents_table(rows), writer=writer)
        self.contents.clear()

    def read(self, dataset: str, writer: str | None = None) -> pl.DataFrame:
        files = [p for p in self.lake.files(dataset) if writer is None or p.stem == writer]
        return pl.read_parquet(files) if files else pl.DataFrame()

    def stage_message_texts(self) -> dict[str, str]:
        """``stg_chat_messages.text`` by message id: the staging model run by DuckDB."""
        files = [str(p) for p in self.lake.files("chat_messages")]
        with duckdb.connect() as con:
            con.read_parquet(files).create_view("lake_chat_messages")
            rows = con.sql((STAGING / "stg_chat_messages.sql").read_text()).pl()
        return dict(zip(rows["id"], rows["text"], strict=True))


def partitions() -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(
        start_date=FIRST_DAY.isoformat(), end_offset=1, timezone="UTC", fmt="%Y-%m-%d"
    )


def materialize(
    fixture: LakeFixture,
    instance: dg.DagsterInstance,
    selection: Sequence[str] = ("file_texts", "dlp_findings"),
    *,
    first: date = DAY,
    last: date = DAY,
    run_config: dict[str, Any] | None = None,
) -> dg.ExecuteInProcessResult:
    defs = partitions()
    return dg.materialize(
        [file_texts_asset(defs), dlp_findings_asset(defs)],
        selection=list(selection),
        resources={"lake": LakeResource(data_dir=str(fixture.data_dir))},
        instance=instance,
        tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()},
        run_config=run_config,
        raise_on_error=False,
    )


def metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict[str, Any]:
    """The materialisation metadata of ``asset`` (one event per partition, same values)."""
    events = [
        e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(asset)
    ]
    assert events, f"{asset} was not materialised"
    return {key: value.value for key, value in events[0].materialization.metadata.items()}


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
