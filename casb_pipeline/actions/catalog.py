"""What each action type of the action list turns into.

Three delete endpoints of the Compliance API carry out actions directly.
Blocking uploads and restricting access belong to the network edge: they
are exported as Cloudflare Gateway-style policies. The rest have no API
and are steps for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Execution(StrEnum):
    API = "api"
    GATEWAY_POLICY = "gateway_policy"
    MANUAL = "manual"


@dataclass(frozen=True)
class ActionKind:
    """How one ``action_type`` is carried out.

    API-backed kinds name the ``ComplianceClient`` method and the id prefix a
    target must have, so a wrong target type never reaches a delete endpoint.
    """

    execution: Execution
    guidance: str
    client_method: str | None = None
    target_prefix: str | None = None


CATALOG: dict[str, ActionKind] = {
    "delete_chat": ActionKind(
        Execution.API,
        "DELETE the chat (with its messages and files)",
        "delete_chat",
        "claude_chat_",
    ),
    "delete_file": ActionKind(
        Execution.API, "DELETE the uploaded file", "delete_file", "claude_file_"
    ),
    "delete_project_document": ActionKind(
        Execution.API,
        "DELETE the project document",
        "delete_project_document",
        "claude_proj_doc_",
    ),
    "delete_project": ActionKind(
        Execution.API,
        "DELETE the project (refused while chats are attached to it)",
        "delete_project",
        "claude_proj_",
    ),
    "block_uploads_for_user": ActionKind(
        Execution.GATEWAY_POLICY,
        "apply the user's block-uploads rule from exports/gateway_policies.json",
    ),
    "restrict_app_access_for_user": ActionKind(
        Execution.GATEWAY_POLICY,
        "apply the user's restrict-access rule from exports/gateway_policies.json",
    ),
    "make_project_private": ActionKind(
        Execution.MANUAL,
        "ask the project owner (or an admin) to make the project private in claude.ai",
    ),
    "rotate_credential": ActionKind(
        Execution.MANUAL, "revoke and reissue the credential at its issuer; the old value is burnt"
    ),
    "notify_owner": ActionKind(
        Execution.MANUAL, "tell the owner what was found and how to avoid it next time"
    ),
}


def kind_of(action_type: str) -> ActionKind | None:
    return CATALOG.get(action_type)


def execution_of(action_type: str) -> str:
    """``api``, ``gateway_policy`` or ``manual``; ``unsupported`` for types not listed."""
    kind = CATALOG.get(action_type)
    return kind.execution.value if kind else "unsupported"
