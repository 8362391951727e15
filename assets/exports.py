"""The ``exports`` asset: OCSF findings, actions CSV, Gateway policies and the HTML report."""

from collections.abc import Sequence

import dagster as dg

from assets.resources import LakeResource
from casb_pipeline.reporting import write_exports
from casb_pipeline.reporting.marts import MARTS

NAME = "exports"
GROUP = "reporting"


def upstream_keys(assets: Sequence[dg.AssetsDefinition]) -> list[dg.AssetKey]:
    """The mart assets among ``assets``; the ``warehouse`` asset while there are none."""
    keys = {key for asset in assets for key in asset.keys}
    marts = [dg.AssetKey(name) for name in MARTS if dg.AssetKey(name) in keys]
    return marts or [dg.AssetKey("warehouse")]


def exports_asset(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    @dg.asset(
        name=NAME,
        description="Files under $CASB_DATA_DIR/exports/ read from the marts: findings as OCSF "
        "Detection Findings (JSON Lines), the action list (CSV), Cloudflare Gateway policies "
        "for block-upload and restrict-access actions (JSON) and the posture report (HTML).",
        group_name=GROUP,
        kinds={"json", "csv", "html"},
        deps=upstream_keys(upstream),
    )
    def _asset(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
        result = write_exports(lake.paths.warehouse, lake.paths.exports)
        if result.skipped_policies:
            context.log.warning(
                f"{len(result.skipped_policies)} block/restrict action(s) have no user email "
                f"and got no Gateway rule: {', '.join(result.skipped_policies[:10])}"
            )
        metadata: dict[str, dg.RawMetadataValue] = {
            f"{name}_path": dg.MetadataValue.path(str(path)) for name, path in result.paths.items()
        }
        metadata.update({f"{name}_count": count for name, count in result.counts.items()})
        metadata["policies_skipped_without_email"] = len(result.skipped_policies)
        return dg.MaterializeResult(metadata=metadata)

    return _asset
