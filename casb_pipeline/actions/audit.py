"""The audit log of action runs: ``$CASB_DATA_DIR/actions/log.jsonl``.

One JSON object a line, appended and flushed to disk as each action
finishes: who ran it, when, in which mode, what it targeted, the result and
the API's request id. Never a key, never a sensitive value.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from casb_pipeline.actions.outcomes import Outcome
from casb_pipeline.config import ensure_private_dir


def log_path(data_dir: Path) -> Path:
    return data_dir / "actions" / "log.jsonl"


def current_actor() -> str:
    """``user@host`` of whoever runs the command."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid:{os.getuid()}"
    return f"{user}@{socket.gethostname()}"


@dataclass
class AuditLog:
    path: Path
    mode: str  # dry_run | execute
    actor: str
    api_base_url: str | None = None
    run_id: str = ""

    def __post_init__(self) -> None:
        self.run_id = self.run_id or uuid.uuid4().hex

    def record(self, outcome: Outcome) -> None:
        action = outcome.action
        entry = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "run_id": self.run_id,
            "actor": self.actor,
            "mode": self.mode,
            "api_base_url": self.api_base_url,
            "action_id": action.action_id,
            "action_type": action.action_type,
            "target_type": action.target_type,
            "target_id": action.target_id,
            "severity": action.severity,
            "result": outcome.result.value,
            "http_status": outcome.http_status,
            "request_id": outcome.request_id,
            "detail": outcome.detail,
        }
        ensure_private_dir(self.path.parent)
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
