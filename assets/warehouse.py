"""The warehouse asset: every SQL model over the lake, into a new DuckDB file swapped in whole."""

import dagster as dg

from assets.resources import LakeResource
from casb_pipeline.warehouse import build_warehouse, load_models
from casb_pipeline.warehouse.sources import lake_sources

GROUP = "warehouse"


def warehouse_asset(deps: list[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    @dg.asset(
        name="warehouse",
        description="Staging models (one row per entity, latest version, tombstones flagged) "
        "built into a new warehouse.duckdb that replaces the old one whole.",
        group_name=GROUP,
        kinds={"duckdb", "sql"},
        pool="warehouse",
        deps=deps,
    )
    def _asset(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        result = build_warehouse(lake.paths.warehouse, lake_sources(lake.lake), load_models())
        context.log.info(f"warehouse built in {result.seconds:.1f} s")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.path)),
                "seconds": round(result.seconds, 2),
                "rows": dg.MetadataValue.json(result.row_counts),
            }
        )

    return _asset
