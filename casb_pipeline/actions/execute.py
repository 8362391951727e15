"""Carrying out actions: API deletes when a client is given, a dry run otherwise.

Each action's error is its own: a 404 means the object is already gone, a
409 or 403 is reported, and the next action goes on. Every outcome is
written to the audit log as it happens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from casb_pipeline.actions.audit import AuditLog
from casb_pipeline.actions.catalog import ActionKind, Execution, kind_of
from casb_pipeline.actions.outcomes import Outcome, Result
from casb_pipeline.actions.plan import Action
from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.compliance.errors import (
    ComplianceApiError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)

_ID_TAIL = re.compile(r"[A-Za-z0-9_-]+")


def carry_out(
    actions: Iterable[Action],
    *,
    client: ComplianceClient | None,
    audit: AuditLog,
    report: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """One outcome per action, in order; ``client=None`` sends nothing (dry run)."""
    outcomes = []
    for action in actions:
        outcome = _one(action, client)
        audit.record(outcome)
        report(outcome)
        outcomes.append(outcome)
    return outcomes


def _one(action: Action, client: ComplianceClient | None) -> Outcome:
    kind = kind_of(action.action_type)
    if kind is None:
        return Outcome(action, Result.UNSUPPORTED, f"no handler for {action.action_type!r}")
    if kind.execution is Execution.GATEWAY_POLICY:
        return Outcome(action, Result.GATEWAY_POLICY, kind.guidance)
    if kind.execution is Execution.MANUAL:
        return Outcome(action, Result.MANUAL, kind.guidance)
    if not _valid_target(kind, action.target_id):
        return Outcome(
            action,
            Result.INVALID_TARGET,
            f"{action.target_id!r} is not a {kind.target_prefix}… id; nothing was sent",
        )
    if client is None:
        return Outcome(action, Result.DRY_RUN, f"would {kind.guidance}")
    return _delete(action, kind, client)


def _valid_target(kind: ActionKind, target_id: str) -> bool:
    prefix = kind.target_prefix or ""
    return target_id.startswith(prefix) and bool(_ID_TAIL.fullmatch(target_id[len(prefix) :]))


def _delete(action: Action, kind: ActionKind, client: ComplianceClient) -> Outcome:
    delete = getattr(client, str(kind.client_method))
    try:
        done = delete(action.target_id)
    except NotFoundError as error:
        return _from_error(action, Result.ALREADY_GONE, error, "already gone (404)")
    except PermissionDeniedError as error:
        return _from_error(action, Result.FORBIDDEN, error, str(error))
    except ConflictError as error:
        return _from_error(action, Result.CONFLICT, error, str(error))
    except ComplianceApiError as error:
        return _from_error(action, Result.FAILED, error, str(error))
    if done.already_gone:
        return Outcome(action, Result.ALREADY_GONE, "already gone (404 on a retried delete)")
    return Outcome(action, Result.DELETED, f"{done.type or 'deleted'}", done.request_id, 200)


def _from_error(action: Action, result: Result, error: ComplianceApiError, detail: str) -> Outcome:
    return Outcome(action, result, detail, error.request_id, error.status)
