"""A small simulator with a fixed anchor (everything already visible) per test module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from casb_pipeline.simulator import Simulator, SimulatorConfig

ANCHOR = date(2026, 3, 1)


def api_client(sim: Simulator, key: str | None = None) -> httpx.Client:
    headers = {"anthropic-version": "2023-06-01", "x-api-key": key or sim.api_key}
    return httpx.Client(base_url=sim.base_url + "/v1/compliance", headers=headers, timeout=30)


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """Shared, read-only: tests that mutate build their own."""
    with Simulator(SimulatorConfig(anchor=ANCHOR, rate_limit_rpm=0)) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def client(sim: Simulator) -> Iterator[httpx.Client]:
    with api_client(sim) as http:
        yield http


@pytest.fixture
def fresh() -> Iterator[Simulator]:
    """A private simulator for tests that change state (small builds in milliseconds)."""
    with Simulator(SimulatorConfig(anchor=ANCHOR, rate_limit_rpm=0)) as simulator:
        yield simulator


def walk_pages(http: httpx.Client, path: str, params: dict[str, object]) -> list[dict]:
    """Every item of a page-token list."""
    items: list[dict] = []
    query = dict(params)
    while True:
        body = http.get(path, params=query).raise_for_status().json()
        items += body["data"]
        if not body["has_more"]:
            assert body["next_page"] is None
            return items
        query["page"] = body["next_page"]


def walk_cursor(
    http: httpx.Client, path: str, params: dict[str, object], *, key: str = "data"
) -> list[dict]:
    """Every item of an ID-cursor list, following ``after_id``."""
    items: list[dict] = []
    query = dict(params)
    while True:
        body = http.get(path, params=query).raise_for_status().json()
        items += body[key]
        if not body["has_more"]:
            return items
        query["after_id"] = body["last_id"]
