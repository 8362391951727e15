"""Fixtures of the scoring tests: an empty data dir to build a lake in, a Dagster instance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from tests.scoring.lake_fixture import LakeFixture


@pytest.fixture
def fixture(tmp_path: Path) -> LakeFixture:
    return LakeFixture(tmp_path / "data")


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance
