"""A planted canary key never shows in logs, errors, tracebacks, reprs or stats."""

from __future__ import annotations

import json
import logging
import traceback

import pytest
from fake_compliance_api import Reply, error

from casb_pipeline.compliance import ComplianceApiError, MalformedRecord
from casb_pipeline.config import Secret

CANARY_SECRET_PART = "CanaryQ7vX2mLp9RtW4zKd8HsN3bJf6Gy1AcUe5"
CANARY = "sk-ant-api01-" + CANARY_SECRET_PART
FILES = r"/v1/compliance/apps/chats/files/[^/]+"


def _fragments(secret: str, width: int = 6) -> set[str]:
    return {secret[i : i + width] for i in range(len(secret) - width + 1)}


@pytest.fixture
def everything_logged(caplog):
    for name in ("httpx", "httpcore", "casb_pipeline", "tenacity", ""):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _scenarios(api) -> None:
    api.route(
        "GET",
        "/v1/compliance/apps/chats/files/claude_file_401",
        error(401, "authentication_error", f"API key {CANARY} is invalid."),
    )
    api.route(
        "GET",
        "/v1/compliance/apps/chats/files/claude_file_403",
        error(403, "permission_error", "Missing required scopes. Got: [] Needed: ['x']"),
    )
    api.route(
        "GET", "/v1/compliance/apps/chats/files/claude_file_500", error(500, "api_error", "boom")
    )
    api.route("GET", "/v1/compliance/apps/chats/files/claude_file_drop", Reply(no_response=True))
    api.script(
        "GET",
        "/v1/compliance/apps/chats/files/claude_file_ok",
        error(429, "rate_limit_error", "slow", headers={"retry-after": "0"}),
        Reply(no_response=True),
    )
    api.route("GET", "/v1/compliance/apps/projects/claude_proj_bad", Reply(json={"name": "x"}))
    api.route("GET", FILES, Reply(json={"id": "claude_file_ok"}))


def test_the_key_never_leaks(api, make_client, everything_logged, capsys, tmp_path):
    _scenarios(api)
    client = make_client(api_key=Secret(CANARY), max_retries=2)
    captured: list[str] = [repr(client), repr(client.limiter), repr(client.stats)]

    assert client.file_metadata("claude_file_ok").id == "claude_file_ok"
    for object_id in ("claude_file_401", "claude_file_403", "claude_file_500", "claude_file_drop"):
        with pytest.raises(ComplianceApiError) as caught:
            client.file_metadata(object_id)
        captured += [str(caught.value), repr(caught.value)]
        captured.append(
            "".join(
                traceback.TracebackException.from_exception(
                    caught.value, capture_locals=True
                ).format()
            )
        )
    with pytest.raises(MalformedRecord) as bad:
        client.project("claude_proj_bad")
    captured.append("".join(traceback.format_exception(bad.value)))
    captured.append(json.dumps(client.stats.snapshot()))

    out, err = capsys.readouterr()
    captured += [out, err, everything_logged.text]
    captured += [record.getMessage() for record in everything_logged.records]
    text = "\n".join(captured)

    assert "claude_file_401" in text and "retry" in text  # the capture did see the run
    leaked = sorted(f for f in _fragments(CANARY_SECRET_PART) if f in text)
    assert leaked == []

    # and the key did reach the server, as x-api-key only
    sent = api.requests()[0].headers
    assert sent["x-api-key"] == CANARY
    assert sent["anthropic-version"] == "2023-06-01"
    assert "authorization" not in sent


def test_a_plain_string_key_is_wrapped(api, make_client):
    api.route("GET", FILES, Reply(json={"id": "x"}))
    client = make_client(api_key=CANARY)
    client.file_metadata("x")
    assert CANARY_SECRET_PART not in repr(client)
    assert api.requests()[0].headers["x-api-key"] == CANARY
