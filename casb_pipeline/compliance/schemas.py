"""One Arrow schema per lake stream, derived from the record classes.

Each schema is the record's fields in order (the API's names; timestamps as
``timestamp[us, tz=UTC]``; lists of sub-objects as list<struct> with nullable
fields) followed by two nullable bookkeeping columns the lake writer fills:
``_extracted_at`` (timestamp) and ``_partition`` (string: the partition day
``YYYY-MM-DD``, or the snapshot time). :func:`records_to_table` can fill them
too. Fields the API always sends (ids, the context they were listed under)
are non-nullable; ``Stream.key`` names the columns that identify a row.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import pyarrow as pa

from casb_pipeline.compliance import records
from casb_pipeline.compliance.parsing import field_plans

EXTRACTED_AT = "_extracted_at"
PARTITION = "_partition"
TIMESTAMP = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Stream:
    """A lake stream: its record class, the columns identifying a row, and the API's id key.

    Collaborators have no id of their own: a row is a project, a principal
    type and whichever principal column that type fills.
    """

    name: str
    record: type
    key: tuple[str, ...]
    id_field: str | None = "id"


STREAMS: dict[str, Stream] = {
    stream.name: stream
    for stream in (
        Stream("organizations", records.Organization, ("uuid",), "uuid"),
        Stream("users", records.User, ("id", "organization_uuid")),
        Stream("activities", records.Activity, ("id",)),
        Stream("chats", records.Chat, ("id",)),
        Stream("chat_messages", records.ChatMessage, ("id",)),
        Stream("chat_files", records.ChatFile, ("id",)),
        Stream("generated_files", records.GeneratedFile, ("id",)),
        Stream("artifacts", records.Artifact, ("version_id",), "version_id"),
        Stream("projects", records.Project, ("id",)),
        Stream("project_attachments", records.ProjectAttachment, ("id", "project_id")),
        Stream(
            "project_collaborators",
            records.ProjectCollaborator,
            ("project_id", "type", "user_id", "group_id", "organization_uuid", "organization_role"),
            None,
        ),
        Stream("project_documents", records.ProjectDocument, ("id",)),
    )
}


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a record field's annotation (without its ``None``)."""
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return pa.list_(arrow_type(item))
    if dataclasses.is_dataclass(annotation):
        return pa.struct(
            [pa.field(plan.name, arrow_type(plan.annotation)) for plan in field_plans(annotation)]
        )
    return _SCALAR_TYPES[annotation]


_SCALAR_TYPES: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    bool: pa.bool_(),
    datetime: TIMESTAMP,
}


@cache
def schema(stream: str) -> pa.Schema:
    """The lake schema of ``stream`` (see the module docstring)."""
    spec = _stream(stream)
    fields = [
        pa.field(plan.name, arrow_type(plan.annotation), nullable=not plan.required)
        for plan in field_plans(spec.record)
    ]
    fields += [pa.field(EXTRACTED_AT, TIMESTAMP), pa.field(PARTITION, pa.string())]
    return pa.schema(fields)


def _stream(name: str) -> Stream:
    try:
        return STREAMS[name]
    except KeyError:
        raise ValueError(f"unknown stream {name!r}; known: {', '.join(STREAMS)}") from None


def records_to_table(
    stream: str,
    rows: Iterable[Any],
    *,
    extracted_at: datetime | None = None,
    partition: str | None = None,
) -> pa.Table:
    """Records of ``stream`` as a table with exactly :func:`schema` (empty input too)."""
    spec = _stream(stream)
    rows = list(rows)
    for row in rows:
        if type(row) is not spec.record:
            raise TypeError(f"{stream} takes {spec.record.__name__} records, not {type(row)}")
    target = schema(stream)
    columns = [
        pa.array([_plain(getattr(row, field.name)) for row in rows], type=field.type)
        for field in target
        if field.name not in (EXTRACTED_AT, PARTITION)
    ]
    columns.append(pa.array([extracted_at] * len(rows), type=TIMESTAMP))
    columns.append(pa.array([partition] * len(rows), type=pa.string()))
    return pa.Table.from_arrays(columns, schema=target)


def _plain(value: Any) -> Any:
    """Nested records as dicts, which Arrow turns into structs."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value
