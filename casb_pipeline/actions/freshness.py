"""How old the warehouse behind an action list is, and whether it may still be acted on.

Deletes are sent only from a recent build: a proposal from days ago may name objects
that changed since. The limit is ``CASB_ACTIONS_MAX_WAREHOUSE_AGE_HOURS`` (24 by
default); a dry run reads any build.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from casb_pipeline.errors import CasbError

MAX_AGE_ENV = "CASB_ACTIONS_MAX_WAREHOUSE_AGE_HOURS"
DEFAULT_MAX_AGE_HOURS = 24.0


class StaleWarehouse(CasbError):
    """``--execute`` on an action list built too long ago."""


def max_warehouse_age() -> timedelta:
    """The limit from ``CASB_ACTIONS_MAX_WAREHOUSE_AGE_HOURS``; a clear error if malformed."""
    raw = os.environ.get(MAX_AGE_ENV, "").strip()
    if not raw:
        return timedelta(hours=DEFAULT_MAX_AGE_HOURS)
    try:
        hours = float(raw)
    except ValueError:
        hours = -1.0
    if not hours > 0:
        raise CasbError(f"{MAX_AGE_ENV}={raw!r} is not a positive number of hours")
    return timedelta(hours=hours)


def built_at(warehouse: Path) -> datetime:
    """When the warehouse file was swapped in (each build replaces it whole)."""
    return datetime.fromtimestamp(warehouse.stat().st_mtime, UTC)


def hours_text(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} days"


def staleness(warehouse: Path, now: datetime | None = None) -> str | None:
    """Why the warehouse is too old to act on, or None when it is recent enough."""
    built = built_at(warehouse)
    age = (now or datetime.now(UTC)) - built
    limit = max_warehouse_age()
    if age <= limit:
        return None
    return (
        f"the warehouse {warehouse} was built {hours_text(age)} ago ({built:%Y-%m-%d %H:%M} "
        f"UTC); --execute acts only on one built within the last {hours_text(limit)} "
        f"({MAX_AGE_ENV})"
    )
