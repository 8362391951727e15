"""Action execution against the simulator over loopback, through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from casb_pipeline.cli import main
from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.simulator import Simulator, SimulatorConfig
from tests.actions.action_table import action, write_action_list

ANCHOR = date(2026, 11, 20)


@dataclass(frozen=True)
class Targets:
    """Ids served by the simulator, chosen so deleting one does not delete another."""

    chat: str
    file: str
    document: str
    project_with_chats: str


@dataclass
class ActionRun:
    code: int
    out: str
    err: str
    log: list[dict[str, Any]]


def find_targets(simulator: Simulator) -> Targets:
    with ComplianceClient(simulator.base_url, simulator.api_key, rate_limit_rpm=0) as client:
        chats = list(client.chats_updated(datetime(2000, 1, 1), datetime(2100, 1, 1)))
        in_project = next(c for c in chats if c.project_id)
        chat = next(c.id for c in chats if not c.project_id and c.deleted_at is None)
        messages = client.chat_messages(chat).messages
    own_files = {f.id for message in messages for f in message.files or []}
    file_id = sorted(simulator.expected_ids("chat_files") - own_files)[0]
    document = sorted(simulator.expected_ids("project_documents"))[0]
    return Targets(chat, file_id, document, in_project.project_id)


def write_actions(data_dir: Path, *rows: tuple[Any, ...]) -> Path:
    return write_action_list(data_dir / "warehouse.duckdb", *rows)


def planted_actions(simulator: Simulator, data_dir: Path) -> Targets:
    """Three deletes of live simulator objects plus two actions without an API; counts reset."""
    targets = find_targets(simulator)
    write_actions(data_dir, *_standard_actions(targets))
    simulator.reset_counts()
    return targets


def _standard_actions(targets: Targets) -> list[tuple[Any, ...]]:
    return [
        action("act_chat", "delete_chat", "chat", targets.chat, rank=1),
        action("act_file", "delete_file", "chat_file", targets.file, rank=2),
        action("act_doc", "delete_project_document", "project_doc", targets.document, rank=3),
        action("act_rotate", "rotate_credential", "finding", "fnd_0001", rank=4),
        action("act_block", "block_uploads_for_user", "user", "user_a", rank=5),
    ]


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    config = SimulatorConfig(seed=7, scale="small", anchor=ANCHOR, rate_limit_rpm=0)
    with Simulator(config) as sim:
        yield sim


@pytest.fixture
def data_dir(tmp_path: Path, simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANTHROPIC_COMPLIANCE_ACCESS_KEY", simulator.api_key)
    monkeypatch.setenv("CASB_API_BASE_URL", simulator.base_url)
    monkeypatch.setenv("CASB_RATE_LIMIT_RPM", "0")
    monkeypatch.delenv("CASB_ALLOW_DESTRUCTIVE_ACTIONS", raising=False)
    return tmp_path / "data"


def run_actions(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> ActionRun:
    code = main(["actions", "execute", *args])
    captured = capsys.readouterr()
    log_file = data_dir / "actions" / "log.jsonl"
    log = (
        [json.loads(line) for line in log_file.read_text().splitlines()]
        if log_file.exists()
        else []
    )
    return ActionRun(code, captured.out, captured.err, log)


def deletes(simulator: Simulator) -> dict[str, int]:
    return {k: v for k, v in simulator.request_counts().items() if k.startswith("DELETE")}
