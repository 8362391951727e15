"""The warehouse multi-asset materialised with Dagster over fixture lakes: what it
reports, subsetting, audit checks, and a blocking audit stopping what comes after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from assets.resources import LakeResource
from assets.warehouse import warehouse_asset
from tests.marts.lake_builder import FixtureLake, Hit, ago

RAW_TOKEN = "ghp_" + "Q7vR2kX9mW4pL8nT3sY6bC1dF5gH0jK2aZ4e"
MARTS = ("findings", "posture_report", "user_risk", "action_list")


@dg.asset(deps=["findings"])
def export_after_findings() -> None:
    """Stands in for the exports: runs after the marts unless a blocking audit failed."""


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _lake(tmp_path: Path) -> FixtureLake:
    lake = FixtureLake(tmp_path / "data")
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1", text=f"deploy with {RAW_TOKEN} please")
    lake.message("m2", "c1")
    lake.scan("chat_message", "m1", ago(days=2), [Hit("github_token", "g1", start=12)])
    lake.scan("chat_message", "m2", ago(days=2), [Hit("iban", "i1"), Hit("us_ssn", "s1")])
    lake.write()
    return lake


def _materialize(
    lake: FixtureLake,
    instance: dg.DagsterInstance,
    selection: list[str],
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [warehouse_asset([]), export_after_findings],
        selection=selection,
        resources={"lake": LakeResource(data_dir=str(lake.data_dir))},
        instance=instance,
        raise_on_error=False,
    )


def test_builds_staging_and_marts_with_metadata_and_passing_audits(
    tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    lake = _lake(tmp_path)
    result = _materialize(lake, instance, ["warehouse", *MARTS, "export_after_findings"])
    assert result.success
    materialized = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert set(materialized) == {"warehouse", *MARTS, "export_after_findings"}
    assert materialized["warehouse"]["rows"].data["stg_chat_messages"] == 2
    findings = materialized["findings"]
    assert findings["rows"].value == 3
    assert findings["by_status"].data == {"open": 3}
    assert findings["by_severity"].data == {"high": 2, "medium": 1}
    assert "ghp_…(40 chars)" in findings["preview"].md_str
    assert materialized["action_list"]["by_action_type"].data == {
        "rotate_credential": 1,
        "delete_chat": 1,
        "notify_owner": 1,
    }
    assert "| 1 | rotate_credential | high |" in materialized["action_list"]["preview"].md_str
    assert materialized["user_risk"]["rows"].value == 1
    checks = {
        (e.asset_key.to_user_string(), e.check_name): e.passed
        for e in result.get_asset_check_evaluations()
    }
    assert checks == {
        ("findings", "ids_unique"): True,
        ("findings", "findings_have_sources"): True,
        ("findings", "findings_lifecycle_valid"): True,
        ("findings", "no_raw_values"): True,
        ("posture_report", "no_raw_values"): True,
        ("user_risk", "no_raw_values"): True,
        ("action_list", "no_raw_values"): True,
        ("action_list", "ids_unique"): True,
        ("action_list", "action_targets_exist"): True,
    }
    events = repr(instance.all_logs(result.run_id))
    assert "ghp_…(40 chars)" in events
    assert RAW_TOKEN not in events


def test_selecting_the_staging_asset_alone_reports_it_alone(
    tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    lake = _lake(tmp_path)
    result = _materialize(lake, instance, ["warehouse"])
    assert result.success
    assert [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == [
        "warehouse"
    ]
    assert result.get_asset_check_evaluations() == []
    assert (lake.data_dir / "warehouse.duckdb").is_file()


def test_a_failed_blocking_audit_keeps_the_previous_warehouse_and_fails_the_build(
    tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    lake = _lake(tmp_path)
    everything = ["warehouse", *MARTS, "export_after_findings"]
    assert _materialize(lake, instance, everything).success
    warehouse = lake.data_dir / "warehouse.duckdb"
    previous = warehouse.read_bytes()

    # a scoring defect: the raw token where its masked rendering belongs
    lake.message("m3", "c1")
    lake.scan("chat_message", "m3", ago(days=1), [Hit("github_token", "g2", masked=RAW_TOKEN)])
    lake.write()
    result = _materialize(lake, instance, everything)
    assert not result.success
    checks = {
        (e.asset_key.to_user_string(), e.check_name): (e.passed, e.metadata["bad_rows"].value)
        for e in result.get_asset_check_evaluations()
    }
    # the gate's checks only: the others would have run on the swapped-in file
    assert checks == {
        ("findings", "no_raw_values"): (False, 1),
        ("action_list", "no_raw_values"): (False, 1),
        ("posture_report", "no_raw_values"): (True, 0),
        ("user_risk", "no_raw_values"): (True, 0),
        ("findings", "ids_unique"): (True, 0),
        ("action_list", "ids_unique"): (True, 0),
    }
    assert result.get_asset_materialization_events() == []
    (failure,) = result.get_step_failure_events()
    error = failure.step_failure_data.error
    message = (error.cause or error).message
    assert "no_raw_values.sql returned 2 bad rows" in message
    assert "was not replaced" in message
    assert warehouse.read_bytes() == previous
    assert sorted(p.name for p in lake.data_dir.iterdir() if p.name.startswith(".")) == []

    sample = next(
        e.metadata["sample"].md_str
        for e in result.get_asset_check_evaluations()
        if e.check_name == "no_raw_values" and e.asset_key.to_user_string() == "findings"
    )
    assert "github_token" in sample
    assert RAW_TOKEN not in repr(instance.all_logs(result.run_id))
