"""A run SIGKILLed half-way, then started again, ends with exactly a clean run's data."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.extraction.conftest import ANCHOR, Pipeline, assert_matches_simulator, cli, cli_env


def test_sigkill_mid_run_then_rerun_gives_the_clean_result(pipeline: Pipeline) -> None:
    sim = pipeline.simulator
    env = cli_env(pipeline.data_dir, sim)
    command = [cli(), "extract", "--start", sim.first_day.isoformat(), "--end", ANCHOR.isoformat()]
    # Slow message fetches keep the run inside chat_messages long enough to kill it there.
    sim.faults.set(rate=1.0, kinds=("slow",), endpoints=r"/messages$")
    proc = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    for line in proc.stderr:
        if "… chat_messages" in line or time.monotonic() > deadline:
            break
    time.sleep(1.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    sim.faults.clear()
    lake = Path(pipeline.data_dir, "lake")
    assert list(lake.glob("chats/date=*/*.parquet")), "killed before chats were written"
    assert not list(lake.glob("chat_messages/date=*/*.parquet")), "killed after chat_messages"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "Marked interrupted run" in rerun.stderr
    assert_matches_simulator(pipeline)
