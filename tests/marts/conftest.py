"""A fresh fixture lake per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.marts.lake_builder import FixtureLake


@pytest.fixture
def lake(tmp_path: Path) -> FixtureLake:
    return FixtureLake(tmp_path / "data")
