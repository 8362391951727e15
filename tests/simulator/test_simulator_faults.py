"""Each injected fault kind, deterministic and random, on the endpoints it applies to."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import httpx
import pytest
from conftest import api_client

from casb_pipeline.simulator import Simulator


@pytest.fixture
def http(fresh: Simulator):
    with api_client(fresh) as client:
        yield client


@pytest.mark.parametrize(
    ("kind", "status", "error_type"),
    [
        ("429", 429, "rate_limit_error"),
        ("500", 500, "api_error"),
        ("502", 502, "api_error"),
        ("503", 503, "overloaded_error"),
        ("500_no_retry", 500, "api_error"),
    ],
)
def test_status_faults_then_recovery(
    fresh: Simulator, http: httpx.Client, kind: str, status: int, error_type: str
) -> None:
    fresh.faults.fail_next(kind, times=2)
    for _ in range(2):
        response = http.get("/organizations")
        assert response.status_code == status
        assert response.json()["error"]["type"] == error_type
        assert response.headers["request-id"].startswith("req_")
    if kind == "429":
        assert response.headers["retry-after"] == "1"
        assert "anthropic-ratelimit-requests-remaining" in response.headers
    assert (response.headers.get("x-should-retry") == "false") == (kind == "500_no_retry")
    assert http.get("/organizations").status_code == 200


def test_faulted_delete_does_not_delete(fresh: Simulator, http: httpx.Client) -> None:
    chat = sorted(fresh.expected_ids("chats"))[0]
    fresh.faults.fail_next("503")
    assert http.delete(f"/apps/chats/{chat}").status_code == 503
    assert chat in fresh.expected_ids("chats")


def test_slow_delays_the_answer(fresh: Simulator, http: httpx.Client) -> None:
    fresh.faults.fail_next("slow")
    started = time.monotonic()
    assert http.get("/organizations").status_code == 200
    assert time.monotonic() - started >= 0.45


def test_drop_closes_the_connection_mid_response(fresh: Simulator, http: httpx.Client) -> None:
    fresh.faults.fail_next("drop")
    with pytest.raises(httpx.HTTPError):
        http.get("/organizations")
    assert http.get("/organizations").status_code == 200


def test_drop_on_a_download_truncates_the_chunked_stream(
    fresh: Simulator, http: httpx.Client
) -> None:
    file_id = sorted(fresh.expected_ids("chat_files"))[0]
    fresh.faults.fail_next("drop", endpoints=r"/content$")
    assert http.get("/organizations").status_code == 200  # does not match: not consumed
    with pytest.raises(httpx.HTTPError):
        http.get(f"/apps/chats/files/{file_id}/content")


def test_malformed_is_truncated_json_on_json_endpoints_only(
    fresh: Simulator, http: httpx.Client
) -> None:
    file_id = sorted(fresh.expected_ids("chat_files"))[0]
    fresh.faults.fail_next("malformed")
    content = http.get(f"/apps/chats/files/{file_id}/content")  # streamed: not applicable
    assert content.status_code == 200
    response = http.get("/organizations")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_bad_md5_on_content_only(fresh: Simulator, http: httpx.Client) -> None:
    file_id = sorted(fresh.expected_ids("chat_files"))[0]
    fresh.faults.fail_next("bad_md5")
    assert http.get("/organizations").status_code == 200
    response = http.get(f"/apps/chats/files/{file_id}/content")
    served = base64.b64encode(
        hashlib.md5(response.content, usedforsecurity=False).digest()
    ).decode()
    assert response.headers["content-md5"] != served
    again = http.get(f"/apps/chats/files/{file_id}/content")
    assert again.headers["content-md5"] == served


def test_random_faults_hit_about_the_rate_and_only_matching_paths(
    fresh: Simulator, http: httpx.Client
) -> None:
    fresh.faults.set(rate=0.5, kinds=["500", "503"], seed=3, endpoints=r"/organizations$")
    statuses = [http.get("/organizations").status_code for _ in range(60)]
    assert 15 <= statuses.count(200) <= 45
    assert set(statuses) <= {200, 500, 503}
    assert all(http.get("/apps/projects").status_code == 200 for _ in range(10))
    fresh.faults.clear()
    assert all(http.get("/organizations").status_code == 200 for _ in range(10))


def test_unknown_fault_kind_is_refused(fresh: Simulator) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        fresh.faults.fail_next("teapot")
