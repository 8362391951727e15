"""Folders the pipeline creates are owner-only all the way down, and the API resource
never shows its key."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from assets.resources import ComplianceApiResource
from casb_pipeline.config import ensure_private_dir

CANARY = "sk-ant-api01-CANARYcanary0123456789CANARYcanary-ZZ"


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
def test_every_folder_created_is_owner_only(tmp_path: Path) -> None:
    existing = tmp_path / "data"
    existing.mkdir(mode=0o755)
    leaf = existing / "lake" / "chats" / "date=2026-11-20"

    ensure_private_dir(leaf)

    assert {p.name: _mode(p) for p in (leaf, leaf.parent, leaf.parent.parent)} == {
        "date=2026-11-20": 0o700,
        "chats": 0o700,
        "lake": 0o700,
    }
    assert _mode(existing) == 0o755  # a folder it did not create is left as it was


def test_the_api_resource_never_shows_its_key() -> None:
    resource = ComplianceApiResource(base_url="https://api.example.test", api_key=CANARY)
    shown = " ".join([repr(resource), str(resource), f"{resource}", f"{resource!r}"])
    assert "https://api.example.test" in shown
    assert CANARY not in shown
    assert CANARY[14:30] not in shown
