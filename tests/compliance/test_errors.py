"""Error responses become specific, clear errors; only transient ones are retried."""

from __future__ import annotations

import pytest
from fake_compliance_api import Reply, error

from casb_pipeline.compliance import (
    ApiNotEnabledError,
    AuthenticationError,
    ComplianceApiError,
    ConflictError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)
from casb_pipeline.errors import CasbError

PROJECTS = "/v1/compliance/apps/projects"


def test_bad_key_is_an_authentication_error_that_says_what_to_do(api, make_client):
    api.route("GET", PROJECTS, error(401, "authentication_error", "API key is invalid."))
    with pytest.raises(AuthenticationError) as caught:
        list(make_client().projects())
    err = caught.value
    assert (err.status, err.error_type, err.request_id) == (
        401,
        "authentication_error",
        "req_401_authentication_error",
    )
    assert "ANTHROPIC_COMPLIANCE_ACCESS_KEY" in str(err)
    assert "GET /v1/compliance/apps/projects" in str(err)
    assert "\n" not in str(err)
    assert isinstance(err, CasbError)
    assert len(api.requests()) == 1  # not retried


def test_bare_not_found_on_a_list_means_bad_credentials(api, make_client):
    # no route: the fake answers 404 "Not found", as the API does without a valid key
    with pytest.raises(AuthenticationError, match="API key was not accepted"):
        list(make_client().organizations())


def test_not_found_on_an_object_is_not_found(api, make_client):
    api.route(
        "GET",
        r"/v1/compliance/apps/chats/files/.*",
        error(404, "not_found_error", "File not found: 1b2c"),
    )
    with pytest.raises(NotFoundError) as caught:
        make_client().file_metadata("claude_file_gone")
    assert "File not found" in str(caught.value)
    assert "does not exist" in str(caught.value)


def test_missing_scope_names_needed_and_granted_scopes(api, make_client):
    message = (
        "Missing required scopes. Got: ['read:compliance_activities'] "
        "Needed one of: ['read:compliance_user_data', 'read:org_audit']"
    )
    api.route("GET", PROJECTS, error(403, "permission_error", message))
    with pytest.raises(PermissionDeniedError) as caught:
        list(make_client().projects())
    err = caught.value
    assert err.needed_scopes == ("read:compliance_user_data", "read:org_audit")
    assert err.granted_scopes == ("read:compliance_activities",)
    assert "read:compliance_user_data" in str(err)
    assert "activity feed only" in str(err)


def test_delete_scope_message_form_is_parsed(api, make_client):
    message = (
        "Missing required scopes. Got: ['read:compliance_user_data'] "
        "Needed: ['delete:compliance_user_data']"
    )
    api.route("DELETE", r"/v1/compliance/apps/chats/.*", error(403, "permission_error", message))
    with pytest.raises(PermissionDeniedError) as caught:
        make_client().delete_chat("claude_chat_1")
    assert caught.value.needed_scopes == ("delete:compliance_user_data",)


def test_reworded_permission_message_still_maps_by_status(api, make_client):
    api.route("GET", PROJECTS, error(403, "permission_error", "Nope."))
    with pytest.raises(PermissionDeniedError) as caught:
        list(make_client().projects())
    assert caught.value.needed_scopes is None


def test_api_not_enabled_is_its_own_error(api, make_client):
    api.route(
        "GET",
        PROJECTS,
        error(400, "invalid_request_error", "Compliance API is not enabled for this organization"),
    )
    with pytest.raises(ApiNotEnabledError, match="primary owner"):
        list(make_client().projects())


def test_other_bad_requests_are_invalid_request_errors(api, make_client):
    api.route(
        "GET",
        PROJECTS,
        error(
            400,
            "invalid_request_error",
            "limit: Input should be less than or equal to 100",
            details={"error_code": "some_code", "unknown_detail": 1},
        ),
    )
    with pytest.raises(InvalidRequestError) as caught:
        list(make_client().projects())
    assert type(caught.value) is InvalidRequestError
    assert caught.value.error_code == "some_code"
    assert len(api.requests()) == 1


def test_top_level_error_type_is_tolerated(api, make_client):
    body = {
        "type": "error",
        "error": {"type": "not_found_error", "message": "Chat conversation not found: 'x'"},
    }
    api.route("GET", r"/v1/compliance/apps/chats/.*/messages", Reply(status=404, json=body))
    with pytest.raises(NotFoundError, match="Chat conversation not found"):
        make_client().chat_messages("x")


def test_conflict_is_mapped_by_status_whatever_the_type(api, make_client):
    message = 'The "claude_proj_1" project cannot be deleted as it has chats attached to it.'
    api.route(
        "DELETE", r"/v1/compliance/apps/projects/.*", error(409, "invalid_request_error", message)
    )
    with pytest.raises(ConflictError):
        make_client().delete_project("claude_proj_1")


def test_server_error_marked_final_is_not_retried(api, make_client):
    api.route("GET", PROJECTS, error(500, "api_error", "boom", headers={"x-should-retry": "false"}))
    client = make_client(max_retries=5)
    with pytest.raises(ServerError) as caught:
        list(client.projects())
    assert caught.value.should_retry is False
    assert len(api.requests()) == 1


def test_error_body_that_is_not_json_still_maps_by_status(api, make_client):
    api.route("GET", PROJECTS, Reply(status=401, body=b"<html>nope</html>"))
    with pytest.raises(AuthenticationError):
        list(make_client().projects())


def test_unexpected_status_is_a_compliance_error(api, make_client):
    api.route(
        "GET", PROJECTS, Reply(status=302, headers={"location": "https://elsewhere.example/"})
    )
    with pytest.raises(ComplianceApiError) as caught:
        list(make_client().projects())
    assert caught.value.status == 302


def test_a_wrong_shaped_body_is_not_retried(api, make_client):
    api.route("GET", PROJECTS, Reply(json=[1, 2, 3]))
    with pytest.raises(MalformedResponseError):
        list(make_client(max_retries=3).projects())
    assert len(api.requests()) == 1


def test_persistent_rate_limit_ends_as_rate_limited_error(api, make_client):
    api.route("GET", PROJECTS, error(429, "rate_limit_error", "slow down"))
    with pytest.raises(RateLimitedError) as caught:
        list(make_client(max_retries=2).projects())
    assert caught.value.retry_after is None
    assert len(api.requests()) == 3


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"id": "claude_chat_1", "type": "claude_chat_deleted"}, "claude_chat_deleted"),
        ({"id": "claude_chat_1"}, None),
    ],
)
def test_delete_confirms_the_type_when_present(api, make_client, answer, expected):
    api.route("DELETE", "/v1/compliance/apps/chats/claude_chat_1", Reply(json=answer))
    result = make_client().delete_chat("claude_chat_1")
    assert (result.id, result.type, result.already_gone) == ("claude_chat_1", expected, False)


def test_delete_with_a_wrong_confirmation_fails(api, make_client):
    api.route(
        "DELETE",
        "/v1/compliance/apps/projects/documents/claude_proj_doc_1",
        Reply(json={"id": "claude_proj_doc_1", "type": "claude_chat_deleted"}),
    )
    with pytest.raises(MalformedResponseError, match="claude_project_document_deleted"):
        make_client().delete_project_document("claude_proj_doc_1")


def test_retried_delete_that_finds_the_object_gone_succeeds(api, make_client):
    path = "/v1/compliance/apps/chats/files/claude_file_1"
    api.route("DELETE", path, error(404, "not_found_error", "File not found: 1b2c"))
    api.script("DELETE", path, Reply(no_response=True))
    result = make_client().delete_file("claude_file_1")
    assert result.already_gone is True
    assert len(api.requests()) == 2


def test_ids_are_sent_as_one_path_segment(api, make_client):
    api.route("GET", r"/v1/compliance/apps/chats/files/[^/]+", Reply(json={"id": "x"}))
    make_client().file_metadata("../../organizations")
    assert api.requests()[0].path == "/v1/compliance/apps/chats/files/..%2F..%2Forganizations"
