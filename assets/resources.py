"""Dagster resources: thin adapters over the library's client and lake."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
from pydantic import Field

from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.config import DataPaths, Secret
from casb_pipeline.lake import BlobStore, Lake
from casb_pipeline.simulator import DEFAULT_API_KEY, Simulator, SimulatorConfig


def api_source(base_url: str, api_key: str | None) -> str:
    """Where a run's data comes from, as the data dir records it (never the key).

    No key, or the simulator's documented default key: the embedded simulator
    with the seed and preset of ``CASB_SIM_*``; otherwise the API root.
    """
    if api_key is None or api_key == DEFAULT_API_KEY:
        simulated = SimulatorConfig.from_env()
        return f"the embedded simulator (seed {simulated.seed}, scale {simulated.scale})"
    return base_url


class ComplianceApiResource(dg.ConfigurableResource):
    """The Compliance API, or the embedded simulator when no key is configured.

    The key arrives through ``dg.EnvVar`` so it never enters run config,
    metadata or logs, and the resource's repr leaves it out. Without a key
    each run starts its own simulator on a free loopback port (the UI's demo
    mode); ``casb-pipeline run`` starts one simulator for the whole command
    instead and passes it in as a key.
    """

    base_url: str
    api_key: str | None = Field(default=None, repr=False)
    rate_limit_rpm: int = 480
    max_concurrency: int = 8
    backoff_base_seconds: float = 1.0

    @property
    def source(self) -> str:
        return api_source(self.base_url, self.api_key)

    @contextmanager
    def open(self) -> Iterator[ComplianceClient]:
        if self.api_key:
            with ComplianceClient(
                self.base_url,
                Secret(self.api_key),
                rate_limit_rpm=self.rate_limit_rpm,
                max_concurrency=self.max_concurrency,
                backoff_base=self.backoff_base_seconds,
            ) as client:
                yield client
            return
        config = SimulatorConfig.from_env()
        with (
            Simulator(dataclasses.replace(config, rate_limit_rpm=0)) as simulator,
            ComplianceClient(
                simulator.base_url,
                Secret(simulator.api_key),
                rate_limit_rpm=0,
                max_concurrency=self.max_concurrency,
            ) as client,
        ):
            yield client


class LakeResource(dg.ConfigurableResource):
    """The data dir: lake, blob store and warehouse paths."""

    data_dir: str

    @cached_property
    def paths(self) -> DataPaths:
        return DataPaths(Path(self.data_dir))

    @property
    def lake(self) -> Lake:
        return Lake(self.paths.lake)

    @property
    def blobs(self) -> BlobStore:
        return BlobStore(self.paths.blobs)
