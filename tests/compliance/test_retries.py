"""Faults are survived with the documented retry semantics."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fake_compliance_api import Reply, error, pages_by_cursor

from casb_pipeline.compliance import InvalidRequestError, NetworkError

FILES = r"/v1/compliance/apps/chats/files/[^/]+"
CHATS = "/v1/compliance/apps/chats"
START = datetime(2026, 10, 1, tzinfo=UTC)


def _file(seen) -> Reply:
    return Reply(
        json={"id": seen.path.rsplit("/", 1)[-1], "filename": "a.txt"},
        headers={"request-id": "req_ok"},
    )


def _wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def test_429_retry_after_is_honoured_and_holds_every_worker(api, make_client):
    api.route("GET", FILES, _file)
    api.script(
        "GET", FILES + "first", error(429, "rate_limit_error", "slow", headers={"retry-after": "1"})
    )
    client = make_client(max_concurrency=4)
    first = threading.Thread(target=client.file_metadata, args=("claude_file_first",))
    first.start()
    _wait_for(lambda: len(api.requests()) == 1)
    time.sleep(0.1)  # the 429 has been read by now; a second worker starts
    assert client.file_metadata("claude_file_other").id == "claude_file_other"
    first.join()

    limited, *after = api.requests()
    assert limited.path.endswith("claude_file_first")
    assert len(after) == 2
    for seen in after:  # neither the retry nor the other worker went out early
        assert seen.at - limited.at >= 0.95


def test_exhausted_budget_headers_hold_requests_until_reset(api, make_client):
    def spent(seen) -> Reply:
        reset = datetime.now(UTC) + timedelta(seconds=0.6)
        budget = {
            "anthropic-ratelimit-requests-limit": "600",
            "anthropic-ratelimit-requests-remaining": "0" if seen.path.endswith("_1") else "9",
            "anthropic-ratelimit-requests-reset": reset.isoformat().replace("+00:00", "Z"),
        }
        return Reply(json={"id": "x"}, headers=budget)

    api.route("GET", FILES, spent)
    client = make_client()
    for name in ("claude_file_1", "claude_file_2", "claude_file_3"):
        client.file_metadata(name)
    first, second, third = api.requests()
    assert second.at - first.at >= 0.55  # held until the reset the first answer named
    assert third.at - second.at < 0.5  # remaining 9: no hold


def test_5xx_storm_is_survived(api, make_client):
    api.route("GET", FILES, _file)
    api.script(
        "GET",
        FILES,
        *(error(status, "api_error", "transient") for status in (500, 502, 503, 504, 529)),
    )
    client = make_client(max_retries=5)
    assert client.file_metadata("claude_file_1").filename == "a.txt"
    assert len(api.requests()) == 6
    stats = client.stats.snapshot()
    assert stats["retries_total"] == 5
    assert stats["requests"] == {"GET /v1/compliance/apps/chats/files/{id}": 6}


@pytest.mark.parametrize(
    "fault",
    [
        Reply(no_response=True),
        Reply(chunks=[b'{"id": "claude_file_1", '], cut_stream=True),
        Reply(body=b'{"id": "claude_file_1", "filen'),
        Reply(body=b"", status=200),
    ],
    ids=["dropped", "cut-chunked-stream", "truncated-json", "empty-body"],
)
def test_dropped_and_malformed_responses_are_retried(api, make_client, fault):
    api.route("GET", FILES, _file)
    api.script("GET", FILES, fault, fault)
    client = make_client(max_retries=3)
    assert client.file_metadata("claude_file_1").id == "claude_file_1"
    assert len(api.requests()) == 3


def test_persistent_connection_failure_is_a_network_error(api, make_client):
    api.route("GET", FILES, Reply(no_response=True))
    with pytest.raises(NetworkError, match="check the network"):
        make_client(max_retries=2).file_metadata("claude_file_1")
    assert len(api.requests()) == 3


def test_4xx_other_than_429_are_not_retried(api, make_client):
    api.route("GET", FILES, error(400, "invalid_request_error", "bad"))
    with pytest.raises(InvalidRequestError):
        make_client(max_retries=5).file_metadata("claude_file_1")
    assert len(api.requests()) == 1


def test_each_retry_is_logged_with_template_status_and_request_id(api, make_client, caplog):
    chats = [{"id": "claude_chat_1", "updated_at": "2026-10-01T00:00:00Z"}]
    api.route("GET", CHATS, lambda seen: pages_by_cursor(chats, seen))
    api.script("GET", CHATS, error(503, "overloaded_error", "Overloaded"))
    with caplog.at_level(logging.WARNING, logger="casb_pipeline.compliance"):
        list(make_client().chats_updated(START, START + timedelta(days=1)))
    (record,) = [r for r in caplog.records if r.name == "casb_pipeline.compliance"]
    text = record.getMessage()
    assert record.levelno == logging.WARNING
    assert "GET /v1/compliance/apps/chats" in text
    assert "503" in text
    assert "req_503_overloaded_error" in text
    assert "2026-10" not in text  # no query values


def test_retry_after_waits_no_longer_than_asked(api, make_client):
    api.route("GET", FILES, _file)
    api.script("GET", FILES, error(429, "rate_limit_error", "slow", headers={"retry-after": "0"}))
    client = make_client(backoff_base=30.0, backoff_cap=30.0)
    started = time.monotonic()
    client.file_metadata("claude_file_1")
    assert time.monotonic() - started < 5  # retry-after: 0 beats the 30 s backoff
