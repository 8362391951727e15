"""A Dagster logger for the CLI: one short line per step, and asset progress messages.

A failed step is one line with its error; the steps Dagster then does not run
(everything downstream) print nothing, so a failure reads as what failed, not
as a cascade.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Any

import dagster as dg

if TYPE_CHECKING:
    from dagster._utils.error import SerializableErrorInfo

_SHOWN_EVENTS = {"STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "ASSET_CHECK_EVALUATION"}


class _StepLines(logging.Handler):
    """Prints step starts/ends with timings, failures, and INFO messages from assets."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self._started: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        meta: dict[str, Any] = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        if event is None:
            # Errors without an event are Dagster's notes on steps it skips after a
            # failure; the failure itself was printed with its cause.
            if logging.INFO <= record.levelno < logging.ERROR and meta.get("step_key"):
                print(f"    {meta['step_key']}: {meta.get('orig_message', '')}", file=sys.stderr)
            return
        kind, step = event.event_type_value, event.step_key
        if kind not in _SHOWN_EVENTS or step is None:
            return
        if kind == "STEP_START":
            self._started[step] = time.monotonic()
            print(f"  … {step}", file=sys.stderr)
        elif kind == "STEP_SUCCESS":
            seconds = time.monotonic() - self._started.get(step, time.monotonic())
            print(f"  ✓ {step} ({seconds:.1f} s)", file=sys.stderr)
        elif kind == "STEP_FAILURE":
            error = getattr(event.event_specific_data, "error", None)
            print(f"  ✗ {step} failed: {failure_summary(error)}", file=sys.stderr)
        else:
            data = event.event_specific_data
            evaluation = getattr(data, "passed", None)
            if evaluation is False:
                print(f"  ! check {step} did not pass", file=sys.stderr)


def failure_summary(error: SerializableErrorInfo | None) -> str:
    """A step failure's error on one line: the user code's exception (the first cause of
    Dagster's wrapper), without its module path. Our errors never carry keys or content."""
    cause = error.cause if error is not None and error.cause is not None else error
    if cause is None:
        return "unknown error"
    lines = cause.message.strip().splitlines()
    message = lines[-1] if lines else cause.cls_name or "unknown error"
    head, colon, rest = message.partition(": ")
    return f"{cause.cls_name}: {rest}" if colon and head.endswith(f".{cause.cls_name}") else message


@dg.logger(description="Short progress lines on stderr for casb-pipeline commands.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("casb_pipeline.progress", level=logging.DEBUG)
    logger.addHandler(_StepLines())
    return logger
