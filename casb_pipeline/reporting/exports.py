"""Every export under ``$CASB_DATA_DIR/exports/``, read from the marts in one pass.

| file | content |
|---|---|
| ``findings.ocsf.jsonl`` | one OCSF Detection Finding per finding |
| ``actions.csv`` | the ranked action list |
| ``gateway_policies.json`` | Gateway HTTP rules for block-upload and restrict-access |
| ``posture_report.html`` | the static posture report |

Each file is replaced atomically, so a reader never sees half an export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from casb_pipeline.reporting.actions_csv import actions_csv
from casb_pipeline.reporting.files import write_text_atomic
from casb_pipeline.reporting.gateway import (
    DEFAULT_DOMAINS,
    POLICY_ACTION_TYPES,
    gateway_policies,
)
from casb_pipeline.reporting.html_report import render_report
from casb_pipeline.reporting.marts import MARTS, MartReader, action_list_sql, open_marts
from casb_pipeline.reporting.ocsf import detection_finding
from casb_pipeline.reporting.report_data import collect_report

FINDINGS_FILE = "findings.ocsf.jsonl"
ACTIONS_FILE = "actions.csv"
POLICIES_FILE = "gateway_policies.json"
REPORT_FILE = "posture_report.html"
EXPORT_FILES = (FINDINGS_FILE, ACTIONS_FILE, POLICIES_FILE, REPORT_FILE)

_POLICY_ACTIONS = """
select
    a.*,
    coalesce(
        u.email,
        (select any_value(f.user_email) from findings as f where f.user_id = a.target_id)
    ) as target_email
from action_list as a
left join stg_users as u on u.id = a.target_id
where a.action_type in (select unnest(?::varchar[]))
order by a.action_id
"""


@dataclass
class ExportResult:
    paths: dict[str, Path] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    skipped_policies: list[str] = field(default_factory=list)


def product_version() -> str:
    try:
        return version("casb-pipeline")
    except PackageNotFoundError:
        return "0+unknown"


def write_exports(
    warehouse: Path,
    out_dir: Path,
    *,
    domains: Sequence[str] = DEFAULT_DOMAINS,
    now: datetime | None = None,
) -> ExportResult:
    """Write the four exports from ``warehouse`` into ``out_dir``."""
    now = now or datetime.now(UTC)
    result = ExportResult()
    release = product_version()
    with open_marts(warehouse) as marts:
        marts.require((*MARTS, "stg_users", "project_exposure"))
        counted = _Counter()
        result.paths["findings"] = write_text_atomic(
            out_dir / FINDINGS_FILE,
            counted.each(_findings_jsonl(marts, release)),
        )
        result.counts["findings"] = counted.n

        counted = _Counter()
        ordered = marts.records(action_list_sql(marts))
        result.paths["actions"] = write_text_atomic(
            out_dir / ACTIONS_FILE, actions_csv(counted.each(ordered))
        )
        result.counts["actions"] = counted.n

        policies = gateway_policies(
            marts.records(_POLICY_ACTIONS, [list(POLICY_ACTION_TYPES)]), domains=domains
        )
        result.paths["gateway_policies"] = write_text_atomic(
            out_dir / POLICIES_FILE, [json.dumps(policies.rules, indent=2, ensure_ascii=False)]
        )
        result.counts["gateway_policies"] = len(policies.rules)
        result.skipped_policies = policies.skipped

        data = collect_report(marts)
        built_at = datetime.fromtimestamp(warehouse.stat().st_mtime, UTC)
        html = render_report(
            data,
            generated_at=now,
            built_at=built_at,
            version=release,
            actions_file=ACTIONS_FILE,
            export_files=EXPORT_FILES,
        )
        result.paths["report"] = write_text_atomic(out_dir / REPORT_FILE, [html])
        result.counts["posture_checks"] = data.posture_total
    return result


def _findings_jsonl(marts: MartReader, release: str) -> Iterator[str]:
    for row in marts.records("select * from findings order by first_seen_at, finding_id"):
        yield json.dumps(detection_finding(row, release), ensure_ascii=False) + "\n"


class _Counter:
    """Counts the items of an iterable as a writer consumes it."""

    def __init__(self) -> None:
        self.n = 0

    def each(self, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            self.n += 1
            yield item
