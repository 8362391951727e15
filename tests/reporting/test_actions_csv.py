"""actions.csv: the action list in rank order, safe for spreadsheets."""

from __future__ import annotations

import csv
import io

import pytest

from casb_pipeline.actions.catalog import CATALOG
from casb_pipeline.reporting.actions_csv import csv_cell
from tests.reporting.conftest import Exported

HEADER = [
    "rank",
    "action_id",
    "action_type",
    "execution",
    "target_type",
    "target_id",
    "severity",
    "due_date",
    "status",
    "reason",
    "finding_count",
    "finding_ids",
]


def test_one_row_per_action_in_rank_order(exported: Exported) -> None:
    reader = csv.reader(io.StringIO(exported.text("actions")))
    header, *rows = list(reader)
    assert header == HEADER
    expected = [
        tuple(row.values())
        for row in exported.rows(
            "select action_id, action_type, target_id, finding_ids, due_date from action_list "
            "order by rank"
        )
    ]
    assert len(rows) == len(expected) == exported.result.counts["actions"]
    records = [dict(zip(HEADER, row, strict=True)) for row in rows]
    for record, (action_id, action_type, target_id, finding_ids, due) in zip(
        records, expected, strict=True
    ):
        assert (record["action_id"], record["action_type"], record["target_id"]) == (
            action_id,
            action_type,
            target_id,
        )
        assert record["finding_ids"].split() == finding_ids
        assert int(record["finding_count"]) == len(finding_ids)
        assert record["due_date"] == due.isoformat()
        assert record["execution"] == CATALOG[action_type].execution.value
    assert [int(r["rank"]) for r in records] == sorted(int(r["rank"]) for r in records)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain", "plain"),
        (None, ""),
        (["a", "b"], "a b"),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell
