"""Client construction, request headers and parameters, and bounded fan-out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from fake_compliance_api import KEY, Reply, error, pages_by_cursor

from casb_pipeline.compliance import ComplianceClient, NotFoundError
from casb_pipeline.config import ConfigError, Settings

START = datetime(2026, 10, 1, tzinfo=UTC)


def test_from_settings_uses_the_documented_variables(api):
    api.route("GET", "/v1/compliance/organizations", Reply(json={"data": [], "has_more": False}))
    env = {
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": KEY,
        "CASB_API_BASE_URL": api.base_url + "/",
        "CASB_RATE_LIMIT_RPM": "0",
    }
    with ComplianceClient.from_settings(Settings.from_env(env)) as client:
        assert list(client.organizations()) == []
        assert client.limiter.rpm == 0
    sent = api.requests()[0]
    assert sent.path == "/v1/compliance/organizations"
    assert sent.headers["x-api-key"] == KEY
    assert sent.headers["anthropic-version"] == "2023-06-01"


def test_from_settings_without_a_key_says_which_variable(tmp_path):
    with pytest.raises(ConfigError, match="ANTHROPIC_COMPLIANCE_ACCESS_KEY"):
        ComplianceClient.from_settings(Settings.from_env({"CASB_DATA_DIR": str(tmp_path)}))


def test_activity_filters_are_sent_as_documented(api, make_client):
    events = [{"id": f"activity_{i}", "created_at": "2026-10-01T00:00:00Z"} for i in range(3)]
    api.route("GET", "/v1/compliance/activities", lambda seen: pages_by_cursor(events, seen))
    client = make_client()
    end = START + timedelta(hours=6)

    listed = list(
        client.activities(START, end, types=["claude_chat_created", "claude_file_uploaded"])
    )
    list(client.activities(START, end, exclude_types=["compliance_api_accessed"]))

    assert [a.id for a in listed] == ["activity_0", "activity_1", "activity_2"]
    first, second = (seen.query for seen in api.requests())
    assert first["activity_types[]"] == ["claude_chat_created", "claude_file_uploaded"]
    assert first["created_at.gte"] == ["2026-10-01T00:00:00Z"]
    assert first["created_at.lt"] == ["2026-10-01T06:00:00Z"]
    assert first["limit"] == ["5000"]
    assert "exclude_activity_types[]" not in first
    assert second["exclude_activity_types[]"] == ["compliance_api_accessed"]
    with pytest.raises(ValueError, match="not both"):
        client.activities(START, end, types=["a"], exclude_types=["b"])


def test_fan_out_is_bounded_and_keeps_every_failure(api, make_client):
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def serve(seen):
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        threading.Event().wait(0.02)
        with lock:
            in_flight -= 1
        file_id = seen.path.rsplit("/", 1)[-1]
        if file_id.endswith("7"):
            return error(404, "not_found_error", f"File not found: {file_id}")
        return Reply(json={"id": file_id})

    api.route("GET", r"/v1/compliance/apps/chats/files/[^/]+", serve)
    client = make_client(max_concurrency=3)
    ids = [f"claude_file_{i:02d}" for i in range(30)]

    results = dict(client.map_concurrent(client.file_metadata, ids))

    assert sorted(results) == ids
    failed = {item for item, result in results.items() if isinstance(result, Exception)}
    assert failed == {"claude_file_07", "claude_file_17", "claude_file_27"}
    assert all(isinstance(results[item], NotFoundError) for item in failed)
    assert all(results[item].id == item for item in set(ids) - failed)
    assert peak == 3


def test_stopping_a_fan_out_early_cancels_the_rest(api, make_client):
    api.route("GET", r"/v1/compliance/apps/chats/files/[^/]+", Reply(json={"id": "x"}, delay=0.01))
    client = make_client(max_concurrency=2)
    fan_out = client.map_concurrent(client.file_metadata, (f"f{i}" for i in range(1000)))
    next(fan_out)
    fan_out.close()
    assert len(api.requests()) <= 8


def test_invalid_options_are_refused():
    with pytest.raises(ValueError, match="max_concurrency"):
        ComplianceClient("http://127.0.0.1:9", KEY, max_concurrency=0)
    with pytest.raises(ValueError, match="page_size"):
        ComplianceClient("http://127.0.0.1:9", KEY, page_size=0)
