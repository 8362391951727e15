"""Block-upload and restrict-access actions as Cloudflare Gateway HTTP policies.

Each rule is the body of ``POST /accounts/{account_id}/gateway/rules``: an
HTTP (``filters: ["http"]``) block rule whose traffic expression matches the
Claude domains and whose identity expression names the user's email. A user
without a known email cannot be named in an identity expression; such
actions are returned as skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_DOMAINS = ("claude.ai",)
DEFAULT_FIRST_PRECEDENCE = 9000
PRECEDENCE_STEP = 10

# Restricting access wins over blocking uploads, so its rules come first.
_RULES = {
    "restrict_app_access_for_user": (
        "restrict Claude access",
        "",
        "Access to Claude is restricted for your account pending a security review.",
    ),
    "block_uploads_for_user": (
        "block Claude uploads",
        # Upload sizes are whole MiB, so >= 0 matches every upload.
        " and http.upload.file.size >= 0",
        "File uploads to Claude are blocked for your account pending a security review.",
    ),
}
POLICY_ACTION_TYPES = tuple(_RULES)


@dataclass
class GatewayPolicies:
    rules: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # action ids without an email


def wirefilter_string(text: str) -> str:
    """A quoted string literal of the Gateway expression language."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def domains_expression(domains: Sequence[str]) -> str:
    listed = " ".join(wirefilter_string(d) for d in domains)
    return f"any(http.conn.domains[*] in {{{listed}}})"


def gateway_policies(
    actions: Iterable[Mapping[str, Any]],
    *,
    domains: Sequence[str] = DEFAULT_DOMAINS,
    first_precedence: int = DEFAULT_FIRST_PRECEDENCE,
) -> GatewayPolicies:
    """Rules for the ``block_uploads_for_user``/``restrict_app_access_for_user`` actions.

    Each action needs ``target_email`` (its user's); one rule per (action type, email),
    ordered restrict-first then by email, with distinct precedences.
    """
    if not domains:
        raise ValueError("at least one domain is needed for a Gateway traffic expression")
    result = GatewayPolicies()
    chosen: dict[tuple[int, str], Mapping[str, Any]] = {}
    for action in actions:
        action_type = str(action.get("action_type"))
        if action_type not in _RULES:
            continue
        email = action.get("target_email")
        if not email:
            result.skipped.append(str(action.get("action_id")))
            continue
        chosen.setdefault((POLICY_ACTION_TYPES.index(action_type), str(email)), action)
    for position, ((_, email), action) in enumerate(sorted(chosen.items())):
        result.rules.append(
            _rule(action, email, domains, first_precedence + position * PRECEDENCE_STEP)
        )
    return result


def _rule(
    action: Mapping[str, Any], email: str, domains: Sequence[str], precedence: int
) -> dict[str, Any]:
    verb, extra_traffic, block_reason = _RULES[str(action["action_type"])]
    due = action.get("due_date")
    description = (
        f"casb-pipeline action {action.get('action_id')} "
        f"({action.get('severity')}, due {due.isoformat() if due else 'n/a'}): "
        f"{action.get('reason')}"
    )
    return {
        "name": f"casb-pipeline: {verb} for {email}",
        "description": description,
        "action": "block",
        "enabled": True,
        "filters": ["http"],
        "traffic": domains_expression(domains) + extra_traffic,
        "identity": f"identity.email == {wirefilter_string(email)}",
        "precedence": precedence,
        "rule_settings": {"block_page_enabled": True, "block_reason": block_reason},
    }
