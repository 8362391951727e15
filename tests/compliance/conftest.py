"""Fixtures: a scriptable loopback API and clients with fast backoff."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fake_compliance_api import KEY, FakeApi

from casb_pipeline.compliance import ComplianceClient


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with FakeApi() as server:
        yield server


@pytest.fixture
def make_client(api: FakeApi) -> Iterator[Callable[..., ComplianceClient]]:
    clients: list[ComplianceClient] = []

    def make(**options: Any) -> ComplianceClient:
        settings = {
            "rate_limit_rpm": 0,
            "backoff_base": 0.001,
            "backoff_cap": 0.01,
            "max_retries": 3,
            "timeout": 5.0,
            **options,
        }
        client = ComplianceClient(api.base_url, settings.pop("api_key", KEY), **settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
