"""Exports of the marts: OCSF findings, the action list, Gateway policies, the HTML report."""

from casb_pipeline.reporting.exports import (
    ACTIONS_FILE,
    EXPORT_FILES,
    FINDINGS_FILE,
    POLICIES_FILE,
    REPORT_FILE,
    ExportResult,
    write_exports,
)
from casb_pipeline.reporting.marts import WarehouseNotReady, open_marts

__all__ = [
    "ACTIONS_FILE",
    "EXPORT_FILES",
    "FINDINGS_FILE",
    "POLICIES_FILE",
    "REPORT_FILE",
    "ExportResult",
    "WarehouseNotReady",
    "open_marts",
    "write_exports",
]
