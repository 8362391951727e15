"""The actions to carry out, read from the warehouse's ``action_list``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casb_pipeline.errors import CasbError
from casb_pipeline.reporting.marts import action_list_sql, open_marts

# Statuses of actions still to do; the marts propose, nothing else sets these yet.
OPEN_STATUSES = ("proposed", "open")
_SHOWN_UNKNOWN = 10
_COLUMNS = (
    "action_id",
    "action_type",
    "target_type",
    "target_id",
    "severity",
    "reason",
    "due_date",
    "status",
)


class UnknownActionError(CasbError):
    """An action id given on the command line is not in the action list."""


@dataclass(frozen=True)
class Action:
    action_id: str
    action_type: str
    target_type: str
    target_id: str
    severity: str
    reason: str
    due_date: date | None
    status: str


def load_actions(warehouse: Path, action_ids: Sequence[str] = ()) -> list[Action]:
    """The actions named by ``action_ids`` (every one must exist), else every open one.

    In the action list's own order (its rank).
    """
    with open_marts(warehouse) as marts:
        marts.require(["action_list"])
        rows = marts.records(action_list_sql(marts, ", ".join(_COLUMNS)))
        actions = [Action(**row) for row in rows]
    if not action_ids:
        return [a for a in actions if a.status in OPEN_STATUSES]
    wanted = set(action_ids)
    unknown = sorted(wanted - {a.action_id for a in actions})
    if unknown:
        shown = ", ".join(unknown[:_SHOWN_UNKNOWN]) + (
            " …" if len(unknown) > _SHOWN_UNKNOWN else ""
        )
        raise UnknownActionError(
            f"{len(unknown)} action id(s) not in the action list of {warehouse}: {shown}; "
            "see exports/actions.csv for the current ids"
        )
    return [a for a in actions if a.action_id in wanted]
