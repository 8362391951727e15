"""``casb-pipeline actions execute [ACTION_ID ...] [--all] [--execute]``.

A dry run by default: prints what would be done, with each action's reason, and sends
nothing (without ids it covers every open action). ``--execute`` carries out only the
actions named by id, or every open one with ``--all``; it needs
``CASB_ALLOW_DESTRUCTIVE_ACTIONS=1``, a warehouse built within the last day
(:mod:`freshness`) and a key holding ``delete:compliance_user_data``. Every action,
done, dry or refused, is appended to ``$CASB_DATA_DIR/actions/log.jsonl``.
"""

from __future__ import annotations

import os
from collections import Counter

from casb_pipeline.actions.audit import AuditLog, current_actor, log_path
from casb_pipeline.actions.execute import carry_out
from casb_pipeline.actions.freshness import StaleWarehouse, staleness
from casb_pipeline.actions.outcomes import Outcome, Result
from casb_pipeline.actions.plan import Action, load_actions
from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.config import DataPaths, Settings
from casb_pipeline.errors import CasbError

ALLOW_ENV = "CASB_ALLOW_DESTRUCTIVE_ACTIONS"


class DestructiveActionsRefused(CasbError):
    """``--execute`` was given without the environment's consent."""


class ActionSelectionError(CasbError):
    """``--execute`` without saying which actions, or ids and ``--all`` together."""


def destructive_allowed() -> bool:
    return os.environ.get(ALLOW_ENV, "").strip() == "1"


def execute_command(action_ids: list[str], execute: bool, select_all: bool = False) -> int:
    """Exit code 0 when every action went as planned, 1 when one failed."""
    _check_selection(action_ids, execute, select_all)
    settings = Settings.from_env()
    warehouse = DataPaths(settings.data_dir).warehouse
    actions = load_actions(warehouse, action_ids)
    audit = AuditLog(
        log_path(settings.data_dir),
        mode="execute" if execute else "dry_run",
        actor=current_actor(),
        api_base_url=settings.api_base_url if execute else None,
    )
    if not actions:
        print("No open actions in the action list.")
        return 0
    if execute:
        stale = staleness(warehouse)
        if stale:
            _refuse_all(actions, audit, stale)
            raise StaleWarehouse(
                f"{stale}: run casb-pipeline run first, then review the actions again; "
                f"nothing was sent ({len(actions)} action(s) logged as refused in {audit.path})"
            )
        if not destructive_allowed():
            _refuse_all(actions, audit, f"{ALLOW_ENV}=1 is not set")
            raise DestructiveActionsRefused(
                f"--execute also needs {ALLOW_ENV}=1 in the environment; nothing was sent "
                f"({len(actions)} action(s) logged as refused in {audit.path})"
            )
        with ComplianceClient.from_settings(settings) as client:
            print(f"Executing {len(actions)} action(s) against {settings.api_base_url}")
            outcomes = carry_out(actions, client=client, audit=audit, report=_print)
    else:
        print(f"Dry run of {len(actions)} action(s): nothing is sent to the API.")
        outcomes = carry_out(actions, client=None, audit=audit, report=_print)
    _summary(outcomes, audit, execute)
    return 1 if any(o.failed for o in outcomes) else 0


def _check_selection(action_ids: list[str], execute: bool, select_all: bool) -> None:
    if action_ids and select_all:
        raise ActionSelectionError("give action ids or --all, not both")
    if execute and not action_ids and not select_all:
        raise ActionSelectionError(
            "--execute needs the actions to carry out: name them "
            "(casb-pipeline actions execute --execute ACTION_ID ...) or pass --all for every "
            "open one; a dry run (without --execute) lists them with their ids"
        )


def _refuse_all(actions: list[Action], audit: AuditLog, why: str) -> None:
    for action in actions:
        audit.record(Outcome(action, Result.REFUSED, why))


def _print(outcome: Outcome) -> None:
    """Two lines an action: what happened to which target, then why it was proposed."""
    action: Action = outcome.action
    line = (
        f"  {outcome.result.value:<15} {action.action_id}  {action.action_type} "
        f"{action.target_type} {action.target_id}: {outcome.detail}"
    )
    if outcome.request_id:
        line += f" (request-id {outcome.request_id})"
    print(line)
    print(f"  {'':<15} reason: {action.reason}")


def _summary(outcomes: list[Outcome], audit: AuditLog, execute: bool) -> None:
    counts = Counter(o.result.value for o in outcomes)
    print("Results: " + ", ".join(f"{name} {n}" for name, n in sorted(counts.items())))
    if not execute and counts.get(Result.DRY_RUN.value):
        print(
            f"To send the {counts[Result.DRY_RUN.value]} delete(s): "
            f"{ALLOW_ENV}=1 casb-pipeline actions execute --execute ACTION_ID ... (or --all)"
        )
    print(f"Audit log: {audit.path}")
