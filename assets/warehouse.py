"""The warehouse build: staging and marts into one new DuckDB file, swapped in whole.

One multi-asset (one writer, pool ``warehouse``) builds every SQL model; its specs are
``warehouse`` (the staging models, group "warehouse") and the marts (group
"reporting"). It can be subset: it always builds everything, but reports only the
selected assets and runs only the selected non-blocking audit checks (``casb-pipeline
extract`` selects ``warehouse`` alone).

The blocking audits gate every build: they run on the new file before it is swapped
in, and when one returns rows the old file stays, their check results are reported
and the step fails with the audit files and bad row counts. The others run as checks
on the swapped-in file.
"""

from collections.abc import Iterator, Sequence

import dagster as dg
import duckdb

from assets.reporting import GROUP as REPORTING_GROUP
from assets.reporting import (
    MARTS,
    audit_check_specs,
    audit_results,
    audits,
    check_results,
    mart_metadata,
)
from assets.resources import LakeResource
from casb_pipeline.warehouse import GateError, build_warehouse, load_models
from casb_pipeline.warehouse.sources import lake_sources

GROUP = "warehouse"
NAME = "warehouse"
KINDS = {"duckdb", "sql"}


def warehouse_asset(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The build, after every asset in ``upstream`` (extraction, text, scoring)."""
    lake_keys = sorted({key for asset in upstream for key in asset.keys})
    specs = [
        dg.AssetSpec(
            NAME,
            description="Staging models (one row per entity, latest version, tombstones "
            "flagged) built with the marts into a new warehouse.duckdb that replaces the old "
            "one whole.",
            group_name=GROUP,
            kinds=KINDS,
            deps=lake_keys,
        ),
        *(
            dg.AssetSpec(
                mart, description=text, group_name=REPORTING_GROUP, kinds=KINDS, deps=[NAME]
            )
            for mart, text in MARTS.items()
        ),
    ]
    checks = audits()
    gate = [audit for audit in checks if audit.blocking]
    after_swap = [audit for audit in checks if not audit.blocking]

    @dg.multi_asset(
        name="warehouse_build",
        specs=specs,
        check_specs=audit_check_specs(checks),
        can_subset=True,
        pool="warehouse",
    )
    def _build(
        context: dg.AssetExecutionContext, lake: LakeResource
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        selected_checks = context.selected_asset_check_keys
        try:
            result = build_warehouse(
                lake.paths.warehouse,
                lake_sources(lake.lake),
                load_models(),
                gate=[audit.model for audit in gate],
            )
        except GateError as failed:
            yield from check_results(gate, failed.runs, selected_checks)
            raise
        context.log.info(f"warehouse built in {result.seconds:.1f} s")
        selected = context.selected_asset_keys
        with duckdb.connect(str(result.path), read_only=True) as con:
            con.execute("set TimeZone = 'UTC'")
            materialized = [
                dg.MaterializeResult(asset_key=mart, metadata=mart_metadata(con, mart))
                for mart in MARTS
                if dg.AssetKey(mart) in selected
            ]
            checked = [
                *check_results(gate, result.gate, selected_checks),
                *audit_results(con, after_swap, selected_checks),
            ]
        if dg.AssetKey(NAME) in selected:
            yield dg.MaterializeResult(
                asset_key=NAME,
                metadata={
                    "path": dg.MetadataValue.path(str(result.path)),
                    "seconds": round(result.seconds, 2),
                    "rows": dg.MetadataValue.json(result.row_counts),
                },
            )
        yield from materialized
        yield from checked

    return _build
