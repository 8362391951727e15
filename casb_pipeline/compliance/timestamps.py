"""Lenient timestamp parsing and the RFC 3339 form the API's filters take.

Responses mix ``Z``, ``+00:00``, microseconds and, on a few endpoints, no
offset at all (reference §2.2); everything becomes an aware UTC datetime, a
missing offset meaning UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse_timestamp(value: str) -> datetime:
    """An aware UTC datetime from ISO 8601 / RFC 3339 text; ``ValueError`` otherwise."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with ``Z``, as the filters expect; a naive value counts as UTC."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat().replace("+00:00", "Z")
