"""The action list of a real warehouse build, carried out against the simulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from casb_pipeline.simulator import Simulator
from tests.actions.conftest import deletes, find_targets, run_actions
from tests.marts.lake_builder import FixtureLake, Hit, ago


def test_the_marts_deletes_are_carried_out(
    simulator: Simulator,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    targets = find_targets(simulator)
    lake = FixtureLake(data_dir)
    lake.user("user_a", "a@example.com")
    lake.chat(targets.chat, "user_a")
    lake.message("claude_chat_msg_x", targets.chat)
    lake.scan("chat_message", "claude_chat_msg_x", ago(days=1), [Hit("stripe_secret_key", "s1")])
    lake.chat("claude_chat_other", "user_a")
    lake.message("claude_chat_msg_y", "claude_chat_other", files=(targets.file,))
    lake.scan("chat_file", targets.file, ago(days=1), [Hit("aws_secret_access_key", "k1")])
    lake.project("claude_proj_x", "user_a")
    lake.attachments("claude_proj_x", {targets.document: "project_doc"}, ago(days=1))
    lake.scan("project_attachment", targets.document, ago(days=1), [Hit("us_ssn", "ssn1")])
    warehouse = lake.build()
    proposed = {
        row["action_type"]: row["target_id"]
        for row in warehouse.rows(
            "select action_type, target_id from action_list where action_type like 'delete_%'"
        )
    }
    assert proposed == {
        "delete_chat": targets.chat,
        "delete_file": targets.file,
        "delete_project_document": targets.document,
    }
    monkeypatch.setenv("CASB_ALLOW_DESTRUCTIVE_ACTIONS", "1")
    simulator.reset_counts()

    run = run_actions(capsys, data_dir, "--execute", "--all")

    assert run.code == 0, run.out + run.err
    # each result line is followed by the action's reason, its values masked
    assert (
        "reason: Rotate this stripe_secret_key (sk_live_…(32 chars)): exposed in 1 object(s)"
        in run.out
    )
    assert "reason: Delete the uploaded file: it holds 1 open finding(s)" in run.out
    deleted = {e["target_id"]: e["request_id"] for e in run.log if e["result"] == "deleted"}
    assert set(deleted) == set(proposed.values()) and all(deleted.values())
    assert sum(deletes(simulator).values()) == 3
    assert targets.chat not in simulator.expected_ids("chats")
    assert targets.file not in simulator.expected_ids("chat_files")
    assert targets.document not in simulator.expected_ids("project_documents")
    others = {e["action_type"]: e["result"] for e in run.log if e["result"] != "deleted"}
    assert others and set(others.values()) <= {"manual", "gateway_policy"}
