"""Extraction assets materialised against the simulator: complete, unique, fault-proof."""

from __future__ import annotations

from tests.extraction.conftest import ANCHOR, STAGED, Pipeline, assert_matches_simulator


def test_full_extraction_matches_the_simulator(pipeline: Pipeline) -> None:
    result = pipeline.materialize(pipeline.simulator.first_day, ANCHOR)
    assert result.success
    assert_matches_simulator(pipeline)
    blocking = [
        e for e in result.get_asset_check_evaluations() if e.check_name != "nothing_quarantined"
    ]
    assert blocking and all(e.passed for e in blocking)
    stored = pipeline.query("select count(*) from stg_chat_files where sha256 is not null")
    assert stored[0][0] > 0


def test_rerunning_a_range_changes_nothing_and_costs_no_content_download(
    pipeline: Pipeline,
) -> None:
    first = pipeline.simulator.first_day
    assert pipeline.materialize(first, ANCHOR).success
    before = {t: sorted(pipeline.ids(t)) for t in STAGED}
    pipeline.simulator.reset_counts()
    assert pipeline.materialize(first, ANCHOR).success
    assert {t: sorted(pipeline.ids(t)) for t in STAGED} == before
    counts = pipeline.simulator.request_counts()
    downloads = {k: v for k, v in counts.items() if k.endswith("/content")}
    assert downloads == {}, downloads
    assert counts.get("GET /v1/compliance/apps/chats/{id}/messages", 0) == 0


def test_extraction_survives_a_fault_storm(pipeline: Pipeline) -> None:
    pipeline.simulator.faults.set(
        rate=0.2, kinds=("429", "500", "502", "503", "drop", "malformed"), seed=11
    )
    result = pipeline.materialize(pipeline.simulator.first_day, ANCHOR)
    pipeline.simulator.faults.clear()
    assert result.success
    assert_matches_simulator(pipeline)
    retries = [
        event.materialization.metadata["retries"].value
        for event in result.get_asset_materialization_events()
        if "retries" in event.materialization.metadata
    ]
    assert sum(retries) > 0
