"""One request before any run: a wrong URL, a refused key, a missing scope or a disabled
API stop the command at once with one line; a healthy API costs one small request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from casb_pipeline.compliance import ServerError
from casb_pipeline.config import Secret
from casb_pipeline.errors import CasbError
from casb_pipeline.extraction.preflight import preflight
from tests.compliance.fake_compliance_api import KEY, FakeApi, Reply, error

ACTIVITIES = "/v1/compliance/activities"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with FakeApi() as server:
        yield server


def _check(api: FakeApi) -> ServerError | None:
    return preflight(api.base_url, Secret(KEY), backoff_base=0.001)


def _refusal(api: FakeApi) -> str:
    with pytest.raises(CasbError) as caught:
        _check(api)
    message = str(caught.value)
    assert "\n" not in message
    assert api.base_url in message
    assert KEY not in message
    return message


def test_a_healthy_api_costs_one_request_for_one_minute_and_one_record(api: FakeApi) -> None:
    api.route("GET", ACTIVITIES, Reply(json={"data": [], "has_more": False}))
    before = datetime.now(UTC)

    assert _check(api) is None

    (seen,) = api.requests()
    assert seen.query["limit"] == ["1"]
    low = datetime.fromisoformat(seen.query["created_at.gte"][0])
    high = datetime.fromisoformat(seen.query["created_at.lt"][0])
    assert high - low == timedelta(minutes=1)
    assert before - timedelta(seconds=5) <= high <= datetime.now(UTC) + timedelta(seconds=5)


def test_a_refused_key_stops_after_one_request(api: FakeApi) -> None:
    api.route("GET", ACTIVITIES, error(401, "authentication_error", "API key is invalid."))
    message = _refusal(api)
    assert "ANTHROPIC_COMPLIANCE_ACCESS_KEY" in message
    assert "req_401_authentication_error" in message
    assert len(api.requests()) == 1


def test_a_wrong_base_url_reads_as_a_bare_not_found(api: FakeApi) -> None:
    # Any path the server does not know (here: all of them) answers a bare 404.
    message = _refusal(api)
    assert "CASB_API_BASE_URL" in message
    assert len(api.requests()) == 1


def test_a_missing_scope_names_it(api: FakeApi) -> None:
    denied = "Missing required scopes. Got: ['read:compliance_user_data'] Needed one of: "
    api.route(
        "GET",
        ACTIVITIES,
        error(403, "permission_error", denied + "['read:compliance_activities', 'read:org_audit']"),
    )
    assert "read:compliance_activities" in _refusal(api)


def test_a_disabled_api_says_who_turns_it_on(api: FakeApi) -> None:
    api.route(
        "GET",
        ACTIVITIES,
        error(400, "invalid_request_error", "Compliance API is not enabled for this organization"),
    )
    assert "primary owner" in _refusal(api)


def test_an_unreachable_api_is_tried_three_times_at_most(api: FakeApi) -> None:
    api.route("GET", ACTIVITIES, Reply(no_response=True))
    message = _refusal(api)
    assert "CASB_API_BASE_URL" in message
    assert len(api.requests()) == 3


def test_a_server_error_is_reported_but_does_not_stop_the_command(api: FakeApi) -> None:
    api.route("GET", ACTIVITIES, error(503, "overloaded_error", "Overloaded"))
    problem = _check(api)
    assert isinstance(problem, ServerError)
    assert len(api.requests()) == 3
