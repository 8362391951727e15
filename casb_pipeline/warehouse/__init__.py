"""Runs the SQL models over the lake into a new DuckDB file and swaps it in."""

from casb_pipeline.warehouse.build import BuildResult, LakeSource, ModelError, build_warehouse
from casb_pipeline.warehouse.models import Model, load_audits, load_models, sql_root

__all__ = [
    "BuildResult",
    "LakeSource",
    "Model",
    "ModelError",
    "build_warehouse",
    "load_audits",
    "load_models",
    "sql_root",
]
