"""The `exports` asset materialised with the real lake resource over a data dir."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from assets.exports import exports_asset, upstream_keys
from assets.resources import LakeResource
from casb_pipeline.reporting import EXPORT_FILES


def test_exports_asset_writes_the_files_and_lists_them(
    report_warehouse: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(report_warehouse, data_dir / "warehouse.duckdb")
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
    with duckdb.connect(str(report_warehouse), read_only=True) as con:
        findings, actions, policy_actions = con.execute(
            "select (select count(*) from findings), (select count(*) from action_list), "
            "(select count(*) from action_list where action_type in "
            "('block_uploads_for_user', 'restrict_app_access_for_user'))"
        ).fetchone()
    assert metadata["findings_count"] == findings
    assert metadata["actions_count"] == actions
    assert metadata["gateway_policies_count"] == policy_actions
    assert metadata["policies_skipped_without_email"] == 0


def test_exports_follow_the_marts_when_they_exist() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("warehouse"), dg.AssetSpec("findings")])
    def marts():  # Dagster reads the (absent) return annotation
        return None

    assert upstream_keys([marts]) == [dg.AssetKey("findings")]
    assert upstream_keys([]) == [dg.AssetKey("warehouse")]
