"""gateway_policies.json: Cloudflare Gateway HTTP block rules a user can POST as they are."""

from __future__ import annotations

import json

from casb_pipeline.reporting.gateway import gateway_policies, wirefilter_string
from tests.reporting.conftest import Exported
from tests.reporting.report_lake import HOSTILE_EMAIL

RULE_KEYS = {
    "name",
    "description",
    "action",
    "enabled",
    "filters",
    "traffic",
    "identity",
    "precedence",
    "rule_settings",
}


def test_block_and_restrict_actions_become_http_block_rules(exported: Exported) -> None:
    rules = json.loads(exported.text("gateway_policies"))
    assert len(rules) == exported.result.counts["gateway_policies"] == 2
    assert exported.result.skipped_policies == []
    actions = {
        row["action_type"]: row["action_id"]
        for row in exported.rows(
            "select action_type, action_id from action_list where target_id = 'user_h'"
        )
    }
    for rule in rules:
        assert set(rule) == RULE_KEYS
        assert rule["action"] == "block" and rule["enabled"] is True
        assert rule["filters"] == ["http"]
        assert rule["traffic"].startswith('any(http.conn.domains[*] in {"claude.ai"})')
        assert rule["rule_settings"]["block_reason"]
    restrict, block = rules
    assert actions["restrict_app_access_for_user"] in restrict["description"]
    assert actions["block_uploads_for_user"] in block["description"]
    assert restrict["traffic"] == 'any(http.conn.domains[*] in {"claude.ai"})'
    assert block["traffic"].endswith(" and http.upload.file.size >= 0")
    for rule in rules:
        assert rule["identity"] == 'identity.email == "o\\"brien<b>@example.com"'
        assert rule["identity"] == f"identity.email == {wirefilter_string(HOSTILE_EMAIL)}"
    assert restrict["precedence"] < block["precedence"]


def test_one_rule_per_user_and_type_with_distinct_precedences() -> None:
    actions = [
        {"action_id": f"a{n}", "action_type": kind, "target_email": email, "reason": "r"}
        for n, (kind, email) in enumerate(
            [
                ("block_uploads_for_user", "b@x.test"),
                ("block_uploads_for_user", "a@x.test"),
                ("block_uploads_for_user", "a@x.test"),
                ("restrict_app_access_for_user", "a@x.test"),
                ("make_project_private", "a@x.test"),
                ("block_uploads_for_user", None),
            ]
        )
    ]
    policies = gateway_policies(actions, domains=("claude.ai", "claude.com"), first_precedence=100)
    assert [r["name"].split(": ")[1] for r in policies.rules] == [
        "restrict Claude access for a@x.test",
        "block Claude uploads for a@x.test",
        "block Claude uploads for b@x.test",
    ]
    assert [r["precedence"] for r in policies.rules] == [100, 110, 120]
    assert policies.skipped == ["a5"]  # no email: no identity to name
    assert policies.rules[0]["traffic"] == 'any(http.conn.domains[*] in {"claude.ai" "claude.com"})'


def test_wirefilter_strings_escape_quotes_and_backslashes() -> None:
    assert wirefilter_string('a"b\\c') == '"a\\"b\\\\c"'
