"""The `exports` asset materialised with the real lake resource over a data dir."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.exports import exports_asset, upstream_keys
from assets.resources import LakeResource
from casb_pipeline.reporting import EXPORT_FILES
from tests.reporting.fixture_warehouse import standard_warehouse


def test_exports_asset_writes_the_files_and_lists_them(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    standard_warehouse().write(data_dir / "warehouse.duckdb")
    asset = exports_asset([])
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [asset], resources={"lake": LakeResource(data_dir=str(data_dir))}, instance=instance
        )
    assert result.success
    (event,) = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    paths = {k: Path(v) for k, v in metadata.items() if k.endswith("_path")}
    assert sorted(p.name for p in paths.values()) == sorted(EXPORT_FILES)
    assert all(p.parent == data_dir / "exports" and p.is_file() for p in paths.values())
    assert metadata["findings_count"] == 8
    assert metadata["actions_count"] == 9
    assert metadata["gateway_policies_count"] == 2
    assert metadata["policies_skipped_without_email"] == 1


def test_exports_follow_the_marts_when_they_exist() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("warehouse"), dg.AssetSpec("findings")])
    def marts():  # Dagster reads the (absent) return annotation
        return None

    assert upstream_keys([marts]) == [dg.AssetKey("findings")]
    assert upstream_keys([]) == [dg.AssetKey("warehouse")]
