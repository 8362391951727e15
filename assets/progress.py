"""A Dagster logger for the CLI: one short line per step, and asset progress messages."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import dagster as dg

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
            if record.levelno >= logging.INFO and meta.get("step_key"):
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
            print(f"  ✗ {step} failed: {meta.get('orig_message', '')}", file=sys.stderr)
        else:
            data = event.event_specific_data
            evaluation = getattr(data, "passed", None)
            if evaluation is False:
                print(f"  ! check {step} did not pass", file=sys.stderr)


@dg.logger(description="Short progress lines on stderr for casb-pipeline commands.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("casb_pipeline.progress", level=logging.DEBUG)
    logger.addHandler(_StepLines())
    return logger
