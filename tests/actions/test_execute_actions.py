"""`casb-pipeline actions execute` against the simulator: dry run, consent, deletes, errors."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from casb_pipeline.simulator import Simulator
from tests.actions.action_table import action
from tests.actions.conftest import (
    deletes,
    find_targets,
    planted_actions,
    run_actions,
    write_actions,
)

ALLOW = "CASB_ALLOW_DESTRUCTIVE_ACTIONS"


def by_action(log: list[dict]) -> dict[str, dict]:
    return {entry["action_id"]: entry for entry in log}


def test_dry_run_sends_nothing_and_logs_what_it_would_do(
    simulator: Simulator, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = planted_actions(simulator, data_dir)

    run = run_actions(capsys, data_dir)

    assert run.code == 0, run.err
    assert simulator.request_counts() == {}
    assert targets.chat in simulator.expected_ids("chats")
    assert targets.file in simulator.expected_ids("chat_files")
    assert targets.document in simulator.expected_ids("project_documents")
    results = {k: v["result"] for k, v in by_action(run.log).items()}
    assert results == {
        "act_chat": "dry_run",
        "act_file": "dry_run",
        "act_doc": "dry_run",
        "act_rotate": "manual",
        "act_block": "gateway_policy",
    }
    assert {e["mode"] for e in run.log} == {"dry_run"}
    assert "would DELETE the chat" in run.out and targets.chat in run.out
    for line in (
        f"reason: delete_chat of chat {targets.chat}",
        "reason: rotate_credential of finding fnd_0001",
        "reason: block_uploads_for_user of user user_a",
    ):
        assert line in run.out
    assert f"{ALLOW}=1 casb-pipeline actions execute --execute" in run.out


def test_execute_without_consent_refuses_and_sends_nothing(
    simulator: Simulator, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = planted_actions(simulator, data_dir)

    run = run_actions(capsys, data_dir, "--execute", "--all")

    assert run.code == 2
    assert f"--execute also needs {ALLOW}=1" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert simulator.request_counts() == {}
    assert targets.chat in simulator.expected_ids("chats")
    assert {e["result"] for e in run.log} == {"refused"}
    assert len(run.log) == 5


def test_execute_with_consent_deletes_and_logs_request_ids(
    simulator: Simulator,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    targets = planted_actions(simulator, data_dir)
    monkeypatch.setenv(ALLOW, "1")

    run = run_actions(capsys, data_dir, "--execute", "--all")

    assert run.code == 0, run.out + run.err
    assert targets.chat not in simulator.expected_ids("chats")
    assert targets.file not in simulator.expected_ids("chat_files")
    assert targets.document not in simulator.expected_ids("project_documents")
    assert sum(deletes(simulator).values()) == 3
    log = by_action(run.log)
    for action_id in ("act_chat", "act_file", "act_doc"):
        entry = log[action_id]
        assert entry["result"] == "deleted"
        assert entry["http_status"] == 200
        assert entry["request_id"], entry
        assert entry["request_id"] in run.out
        assert entry["mode"] == "execute" and entry["api_base_url"] == simulator.base_url
        assert "@" in entry["actor"] and entry["at"]
    assert log["act_rotate"]["result"] == "manual"
    assert log["act_block"]["result"] == "gateway_policy"
    assert len({e["run_id"] for e in run.log}) == 1


def test_each_error_is_reported_and_the_rest_go_on(
    simulator: Simulator,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    targets = find_targets(simulator)
    write_actions(
        data_dir,
        action("act_gone", "delete_chat", "chat", "claude_chat_01NoSuchChatAnywhere", rank=1),
        action("act_busy", "delete_project", "project", targets.project_with_chats, rank=2),
        action("act_wrong", "delete_chat", "chat", targets.file, rank=3),
        action("act_new", "quarantine_everything", "user", "user_a", rank=4),
        action("act_file", "delete_file", "chat_file", targets.file, rank=5),
    )
    monkeypatch.setenv(ALLOW, "1")
    simulator.reset_counts()

    run = run_actions(capsys, data_dir, "--execute", "--all")

    assert run.code == 1
    log = by_action(run.log)
    assert log["act_gone"]["result"] == "already_gone"
    assert log["act_gone"]["http_status"] == 404
    assert log["act_busy"]["result"] == "conflict"
    assert log["act_busy"]["http_status"] == 409 and log["act_busy"]["request_id"]
    assert targets.project_with_chats in simulator.expected_ids("projects")
    assert log["act_wrong"]["result"] == "invalid_target"
    assert log["act_new"]["result"] == "unsupported"
    assert log["act_file"]["result"] == "deleted"
    assert targets.file not in simulator.expected_ids("chat_files")
    assert sum(deletes(simulator).values()) == 3  # gone, busy, file: never the wrong target


def test_a_key_without_the_delete_scope_is_reported_per_action(
    simulator: Simulator,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_only = "sk-ant-api01-readonly-key-for-tests-000000"
    simulator.add_key(read_only, ["read:compliance_user_data"])
    targets = planted_actions(simulator, data_dir)
    monkeypatch.setenv("ANTHROPIC_COMPLIANCE_ACCESS_KEY", read_only)
    monkeypatch.setenv(ALLOW, "1")

    run = run_actions(capsys, data_dir, "--execute", "act_chat", "act_doc")

    assert run.code == 1
    assert [e["result"] for e in run.log] == ["forbidden", "forbidden"]
    assert all(e["http_status"] == 403 and e["request_id"] for e in run.log)
    assert "delete:compliance_user_data" in run.log[0]["detail"]
    assert targets.chat in simulator.expected_ids("chats")
    for text in (run.out, run.err, (data_dir / "actions" / "log.jsonl").read_text()):
        assert read_only not in text
        assert simulator.api_key not in text


def test_execute_names_its_actions_or_says_all(
    simulator: Simulator,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    targets = planted_actions(simulator, data_dir)
    monkeypatch.setenv(ALLOW, "1")

    run = run_actions(capsys, data_dir, "--execute")

    assert run.code == 2
    (line,) = run.err.strip().splitlines()
    assert "--execute ACTION_ID" in line and "--all" in line
    both = run_actions(capsys, data_dir, "--execute", "--all", "act_chat")
    assert both.code == 2 and "not both" in both.err
    assert simulator.request_counts() == {}
    assert targets.chat in simulator.expected_ids("chats")
    assert run.log == both.log == []


def test_execute_refuses_a_warehouse_older_than_a_day(
    simulator: Simulator,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    targets = planted_actions(simulator, data_dir)
    built = time.time() - 30 * 3600
    os.utime(data_dir / "warehouse.duckdb", (built, built))
    monkeypatch.setenv(ALLOW, "1")

    run = run_actions(capsys, data_dir, "--execute", "act_chat", "act_rotate")

    assert run.code == 2
    (line,) = run.err.strip().splitlines()
    assert "built 30 h ago" in line and "24 h" in line and "casb-pipeline run" in line
    assert simulator.request_counts() == {}
    assert targets.chat in simulator.expected_ids("chats")
    assert [(e["action_id"], e["result"]) for e in run.log] == [
        ("act_chat", "refused"),
        ("act_rotate", "refused"),
    ]
    assert "30 h" in run.log[0]["detail"]

    dry = run_actions(capsys, data_dir, "act_chat")  # a dry run reads any warehouse
    assert dry.code == 0 and dry.log[-1]["result"] == "dry_run"
    monkeypatch.setenv("CASB_ACTIONS_MAX_WAREHOUSE_AGE_HOURS", "36")
    allowed = run_actions(capsys, data_dir, "--execute", "act_rotate")
    assert allowed.code == 0 and allowed.log[-1]["result"] == "manual"
    monkeypatch.setenv("CASB_ACTIONS_MAX_WAREHOUSE_AGE_HOURS", "a day")
    bad = run_actions(capsys, data_dir, "--execute", "act_rotate")
    assert bad.code == 2 and "CASB_ACTIONS_MAX_WAREHOUSE_AGE_HOURS" in bad.err


def test_unknown_action_ids_are_refused_before_anything_happens(
    simulator: Simulator, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planted_actions(simulator, data_dir)

    run = run_actions(capsys, data_dir, "act_chat", "act_nope")

    assert run.code == 2
    assert "act_nope" in run.err and "not in the action list" in run.err
    assert run.log == []


def test_no_warehouse_is_a_clear_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_actions(capsys, data_dir)
    assert run.code == 2
    assert "no warehouse at" in run.err and "casb-pipeline run" in run.err
