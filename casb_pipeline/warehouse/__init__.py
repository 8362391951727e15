"""Runs the SQL models over the lake into a new DuckDB file, gates it with the blocking
audits, and swaps it in."""

from casb_pipeline.warehouse.audits import AuditRun, GateError, records, run_audits
from casb_pipeline.warehouse.build import BuildResult, LakeSource, build_warehouse
from casb_pipeline.warehouse.models import Model, ModelError, load_audits, load_models, sql_root

__all__ = [
    "AuditRun",
    "BuildResult",
    "GateError",
    "LakeSource",
    "Model",
    "ModelError",
    "build_warehouse",
    "load_audits",
    "load_models",
    "records",
    "run_audits",
    "sql_root",
]
