"""The marts over what the real pipeline extracts and scores from the simulator, across
a run, deletions in the simulator (by a user, through the API) and a second run."""

from __future__ import annotations

from datetime import UTC, datetime, time

from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.warehouse import load_audits
from tests.extraction.conftest import ANCHOR, Pipeline

# everything up to the warehouse build, which builds the marts too
SCORED = ("extract", "text", "dlp", "warehouse")


def _findings(pipeline: Pipeline) -> dict[str, tuple[str, str, str | None, str]]:
    rows = pipeline.query(
        "select finding_id, chat_id, status, resolution, source_type from findings"
    )
    return {row[0]: row[1:] for row in rows}


def test_deleted_chats_resolve_their_findings_and_the_rest_stay_open(
    pipeline: Pipeline,
) -> None:
    sim = pipeline.simulator
    assert pipeline.materialize(sim.first_day, ANCHOR, groups=SCORED).success
    before = _findings(pipeline)
    assert before and {status for _, status, _, _ in before.values()} == {"open"}
    assert _bad_rows(pipeline) == {}
    in_messages = sorted({chat for chat, _, _, kind in before.values() if kind == "chat_message"})
    by_user, by_api = in_messages[0], in_messages[1]
    sim.user_delete_chat(by_user, at=datetime.combine(ANCHOR, time(18), UTC))
    with ComplianceClient(sim.base_url, sim.api_key, rate_limit_rpm=0) as client:
        client.delete_chat(by_api)

    assert pipeline.materialize(ANCHOR, ANCHOR, groups=SCORED).success
    after = _findings(pipeline)
    assert set(after) == set(before)
    expected = {
        finding_id: (
            chat,
            "resolved" if chat in (by_user, by_api) else "open",
            {by_user: "deleted_by_user", by_api: "source_deleted"}.get(chat),
            kind,
        )
        for finding_id, (chat, _, _, kind) in before.items()
    }
    assert after == expected
    deleted = pipeline.query(
        "select subject_id from posture_report where check_id = 'chat_deleted_after_critical'"
    )
    critical_in_deleted = pipeline.query(
        f"select count(*) from findings where chat_id = '{by_user}' and severity = 'critical'"  # noqa: S608
    )[0][0]
    assert deleted == ([(by_user,)] if critical_in_deleted else [])
    proposed = {row[0] for row in pipeline.query("select target_id from action_list")}
    assert not {by_user, by_api} & proposed
    assert _bad_rows(pipeline) == {}


def _bad_rows(pipeline: Pipeline) -> dict[str, int]:
    counts = {audit.name: len(pipeline.query(audit.sql)) for audit in load_audits()}
    return {name: count for name, count in counts.items() if count}
