"""Materialising the extraction assets against the simulator over loopback."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.definitions import build_definitions
from assets.resources import ComplianceApiResource
from casb_pipeline.config import Settings
from casb_pipeline.simulator import Simulator, SimulatorConfig

ANCHOR = date(2026, 11, 20)
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def settings_for(data_dir: Path, simulator: Simulator) -> Settings:
    return Settings.from_env(
        {
            "CASB_DATA_DIR": str(data_dir),
            "CASB_API_BASE_URL": simulator.base_url,
            "ANTHROPIC_COMPLIANCE_ACCESS_KEY": simulator.api_key,
            "CASB_RATE_LIMIT_RPM": "0",
            "CASB_FINGERPRINT_KEY": "test-fingerprint-key",
        }
    )


@dataclass
class Pipeline:
    """The project's definitions over a temp data dir, pointed at one simulator."""

    simulator: Simulator
    data_dir: Path
    instance: dg.DagsterInstance

    @property
    def settings(self) -> Settings:
        return settings_for(self.data_dir, self.simulator)

    def definitions(self) -> dg.Definitions:
        return build_definitions(self.settings, start=self.simulator.first_day)

    def materialize(
        self, first: date, last: date, *, groups: tuple[str, ...] = ("extract", "warehouse")
    ) -> dg.ExecuteInProcessResult:
        defs = self.definitions()
        graph = defs.resolve_asset_graph()
        selection = [k for k in graph.get_all_asset_keys() if graph.get(k).group_name in groups]
        resources = {
            "compliance_api": ComplianceApiResource(
                base_url=self.simulator.base_url,
                api_key=self.simulator.api_key,
                rate_limit_rpm=0,
                backoff_base_seconds=0.05,
            ),
            "lake": defs.resources["lake"],
        }
        assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
        return dg.materialize(
            assets,
            selection=selection,
            resources=resources,
            instance=self.instance,
            tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()},
        )

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.data_dir / "warehouse.duckdb"), read_only=True) as con:
            return con.execute(sql).fetchall()

    def ids(self, table: str, column: str = "id") -> list[str]:
        return [row[0] for row in self.query(f"select {column} from {table}")]  # noqa: S608


STAGED = {
    "stg_organizations": "organizations",
    "stg_users": "users",
    "stg_chats": "chats",
    "stg_chat_messages": "chat_messages",
    "stg_artifacts": "artifacts",
    "stg_projects": "projects",
    "stg_project_attachments": "project_attachments",
}


def assert_matches_simulator(pipeline: Pipeline) -> None:
    for table, stream in STAGED.items():
        ids = pipeline.ids(table)
        assert len(ids) == len(set(ids)), f"{table} has duplicate ids"
        assert set(ids) == pipeline.simulator.expected_ids(stream), table
    for table, stream in (
        ("stg_chat_files", "chat_files"),
        ("stg_generated_files", "generated_files"),
    ):
        assert set(pipeline.ids(table)) == pipeline.simulator.expected_ids(stream), table


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(seed=7, scale="small", anchor=ANCHOR, rate_limit_rpm=0)) as sim:
        yield sim


@pytest.fixture
def pipeline(simulator: Simulator, tmp_path: Path) -> Iterator[Pipeline]:
    with dg.instance_for_test() as instance:
        yield Pipeline(simulator, tmp_path / "data", instance)


def cli_env(data_dir: Path, simulator: Simulator) -> dict[str, str]:
    """The environment of a `casb-pipeline` command pointed at ``simulator``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASB_", "DAGSTER_"))}
    env.update(
        ANTHROPIC_COMPLIANCE_ACCESS_KEY=simulator.api_key,
        CASB_API_BASE_URL=simulator.base_url,
        CASB_DATA_DIR=str(data_dir),
        CASB_START_DATE=simulator.first_day.isoformat(),
        CASB_RATE_LIMIT_RPM="0",
        CASB_FINGERPRINT_KEY="test-fingerprint-key",
    )
    return env


def cli() -> str:
    """The `casb-pipeline` script installed beside the interpreter running the tests."""
    return str(Path(sys.executable).with_name("casb-pipeline"))
