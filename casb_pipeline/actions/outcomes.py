"""What happened to one action."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from casb_pipeline.actions.plan import Action


class Result(StrEnum):
    DELETED = "deleted"
    ALREADY_GONE = "already_gone"  # 404: deleted before, by someone or by retention
    DRY_RUN = "dry_run"  # would call the API; nothing was sent
    MANUAL = "manual"  # no API: a step for a person
    GATEWAY_POLICY = "gateway_policy"  # no API: apply the exported Gateway rule
    REFUSED = "refused"  # --execute without CASB_ALLOW_DESTRUCTIVE_ACTIONS=1
    INVALID_TARGET = "invalid_target"  # the target id is not of the action's kind
    FORBIDDEN = "forbidden"  # 403: the key lacks delete:compliance_user_data
    CONFLICT = "conflict"  # 409: e.g. a project with chats attached
    FAILED = "failed"  # any other API or network error
    UNSUPPORTED = "unsupported"  # an action type this version does not know


FAILURES = frozenset(
    {Result.INVALID_TARGET, Result.FORBIDDEN, Result.CONFLICT, Result.FAILED, Result.UNSUPPORTED}
)


@dataclass(frozen=True)
class Outcome:
    action: Action
    result: Result
    detail: str
    request_id: str | None = None
    http_status: int | None = None

    @property
    def failed(self) -> bool:
        return self.result in FAILURES
