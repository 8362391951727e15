"""Authentication, scopes, strict parameters, request ids and the rate limit (§1.5, §7)."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from conftest import ANCHOR, api_client

from casb_pipeline.simulator import DEFAULT_ADMIN_KEY, Simulator, SimulatorConfig


def _error(response: httpx.Response) -> tuple[int, str, str]:
    error = response.json()["error"]
    return response.status_code, error["type"], error["message"]


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "sk-ant-api03-not-a-compliance-key"}])
def test_missing_or_foreign_key_is_a_bare_404_without_rate_headers(
    sim: Simulator, headers: dict
) -> None:
    response = httpx.get(sim.base_url + "/v1/compliance/apps/chats", headers=headers)
    assert _error(response) == (404, "not_found_error", "Not found")
    assert response.headers["request-id"].startswith("req_")
    assert "anthropic-ratelimit-requests-limit" not in response.headers


def test_wrong_key_value_is_401(sim: Simulator) -> None:
    with api_client(sim, "sk-ant-api01-wrong") as http:
        assert _error(http.get("/organizations")) == (
            401,
            "authentication_error",
            "API key is invalid.",
        )


def test_unknown_path_is_a_bare_404(client: httpx.Client) -> None:
    assert _error(client.get("/apps/nothing-here")) == (404, "not_found_error", "Not found")


def test_admin_key_reaches_only_the_activity_feed(sim: Simulator) -> None:
    with api_client(sim, DEFAULT_ADMIN_KEY) as http:
        assert http.get("/activities", params={"limit": 1}).status_code == 200
        status, kind, message = _error(http.get("/apps/chats"))
    assert (status, kind) == (403, "permission_error")
    assert message == (
        "Missing required scopes. Got: ['read:compliance_activities'] "
        "Needed one of: ['read:compliance_user_data', 'read:org_audit']"
    )


def test_read_key_cannot_delete_and_audit_scope_reads_everything(sim: Simulator) -> None:
    sim.add_key("sk-ant-api01-reader", ["read:compliance_user_data"])
    sim.add_key("sk-ant-api01-auditor", ["read:org_audit"])
    chat = next(iter(sim.expected_ids("chats")))
    with api_client(sim, "sk-ant-api01-reader") as http:
        assert _error(http.delete(f"/apps/chats/{chat}")) == (
            403,
            "permission_error",
            "Missing required scopes. Got: ['read:compliance_user_data'] "
            "Needed: ['delete:compliance_user_data']",
        )
        assert http.get("/organizations").status_code == 403
    with api_client(sim, "sk-ant-api01-auditor") as http:
        assert http.get("/organizations").status_code == 200
        assert http.get("/activities").status_code == 200
        assert http.get(f"/apps/chats/{chat}/messages").status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        (
            "/apps/chats",
            {"created_at[gte]": "2026-01-01T00:00:00Z"},
            "Unknown query parameter: 'created_at[gte]'. Did you mean 'created_at.gte'?",
        ),
        (
            "/activities",
            {"activity_types": "claude_chat_created"},
            "Unknown query parameter: 'activity_types'. Did you mean 'activity_types[]'?",
        ),
        ("/apps/projects", {"sort": "name"}, "Unknown query parameter: 'sort'."),
        ("/apps/chats", {"limit": 1500}, "limit: Input should be less than or equal to 1000"),
        ("/activities", {"limit": 0}, "limit: Input should be greater than or equal to 1"),
        (
            "/apps/projects",
            {"limit": "ten"},
            "limit: Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            "/activities",
            {"activity_types[]": ["claude_chat_created", "no_such_type"]},
            "activity_types[].1: Input is not one of the permitted values.",
        ),
        ("/activities", {"order": "sideways"}, "order: Input should be 'desc' or 'asc'"),
        (
            "/activities",
            {"after_id": "activity_invalid123"},
            "Invalid activity_id format: 'activity_invalid123'",
        ),
        (
            "/apps/chats",
            {"after_id": "bm90IGEgY3Vyc29y"},
            "Invalid pagination cursor for 'after_id'",
        ),
        (
            "/apps/projects",
            {"page": "garbage"},
            "The page parameter is not a valid cursor for this request.",
        ),
        (
            "/apps/chats",
            {"created_at.gte": "yesterday"},
            "created_at.gte: Input should be a valid datetime or date, input is too short",
        ),
    ],
)
def test_invalid_requests_are_400_with_the_documented_messages(
    client: httpx.Client, path: str, params: dict, message: str
) -> None:
    assert _error(client.get(path, params=params)) == (400, "invalid_request_error", message)


def test_chat_listing_rules(client: httpx.Client) -> None:
    user = client.get("/apps/chats", params={"limit": 1}).json()["data"][0]["user"]["id"]
    rules = [
        {"user_ids[]": user, "order_by": "updated_at"},
        {"user_ids[]": user, "updated_at.gte": "2026-01-01T00:00:00Z"},
        {"project_ids[]": "claude_proj_x"},
        {"before_id": "eyJrIjoiY3JlYXRlZF9hdCJ9"},
        {"order_by": "updated_at", "created_at.gte": "2026-01-01T00:00:00Z"},
        {"updated_at.gte": "2026-01-01T00:00:00Z"},
        {"user_ids[]": [user] * 11},
    ]
    for params in rules:
        assert client.get("/apps/chats", params=params).status_code == 400, params
    created = client.get("/apps/chats", params={"limit": 1}).json()["last_id"]
    response = client.get("/apps/chats", params={"order_by": "updated_at", "after_id": created})
    assert _error(response) == (
        400,
        "invalid_request_error",
        "Invalid pagination cursor for 'after_id'",
    )


def test_page_token_is_bound_to_its_list(client: httpx.Client) -> None:
    orgs = client.get("/organizations").json()["data"]
    token = client.get(f"/organizations/{orgs[0]['uuid']}/users", params={"limit": 1}).json()[
        "next_page"
    ]
    assert client.get("/apps/projects", params={"page": token}).status_code == 400
    assert (
        client.get(f"/organizations/{orgs[1]['uuid']}/users", params={"page": token}).status_code
        == 400
    )


def test_rate_limit_429_then_headers_and_unauthenticated_not_counted() -> None:
    with (
        Simulator(SimulatorConfig(anchor=ANCHOR, rate_limit_rpm=5)) as sim,
        api_client(sim) as http,
    ):
        for _ in range(10):
            httpx.get(sim.base_url + "/v1/compliance/organizations")  # no key: not counted
        sim.add_key("sk-ant-api01-narrow", ["read:compliance_activities"])
        with api_client(sim, "sk-ant-api01-narrow") as narrow:
            assert narrow.get("/organizations").status_code == 403  # counted
        statuses = []
        for _ in range(12):  # a minute boundary inside the loop only delays the 429
            limited = http.get("/organizations")
            statuses.append(limited.status_code)
            if limited.status_code == 429:
                break
        assert 4 <= statuses.count(200) <= 9 and statuses[-1] == 429
        assert limited.status_code == 429
        assert limited.json()["error"]["type"] == "rate_limit_error"
        assert (
            "600" not in limited.json()["error"]["message"]
            and "5 requests per minute" in limited.json()["error"]["message"]
        )
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.headers["anthropic-ratelimit-requests-limit"] == "5"
        assert limited.headers["anthropic-ratelimit-requests-remaining"] == "0"
        assert re.match(
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$",
            limited.headers["anthropic-ratelimit-requests-reset"],
        )
        sim.set_rate_limit(0)
        assert http.get("/organizations").status_code == 200


def test_authenticated_responses_carry_rate_headers() -> None:
    with Simulator(SimulatorConfig(anchor=date(2026, 3, 1))) as sim, api_client(sim) as http:
        response = http.get("/organizations")
        assert response.headers["anthropic-ratelimit-requests-limit"] == "600"
        assert int(response.headers["anthropic-ratelimit-requests-remaining"]) < 600
        error = http.get("/apps/chats", params={"bogus": 1})
        assert (
            error.status_code == 400 and "anthropic-ratelimit-requests-remaining" in error.headers
        )


def test_request_counts_by_endpoint_template(fresh: Simulator) -> None:
    with api_client(fresh) as http:
        chat = http.get("/apps/chats", params={"limit": 1}).json()["data"][0]["id"]
        http.get(f"/apps/chats/{chat}/messages")
        http.get(f"/apps/chats/{chat}/messages")
    counts = fresh.request_counts()
    assert counts["GET /v1/compliance/apps/chats/{id}/messages"] == 2
    assert counts["GET /v1/compliance/apps/chats"] == 1
    fresh.reset_counts()
    assert fresh.request_counts() == {}
