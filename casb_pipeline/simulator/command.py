"""`casb-pipeline simulator serve`: the synthetic organization on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import dataclasses
import sys
import threading
from datetime import date

from casb_pipeline.simulator.config import SimulatorConfig, SimulatorConfigError
from casb_pipeline.simulator.simulator import Simulator


def serve_command(
    port: int,
    seed: int | None,
    scale: str | None,
    anchor: date | None,
    api_key: str | None,
    rate_limit_rpm: int | None,
) -> int:
    """Serve until interrupted; None means the environment's value or the default."""
    if not 0 <= port <= 65535:
        raise SimulatorConfigError(f"--port {port} is not a TCP port: use 0 (any free) to 65535")
    config = SimulatorConfig.from_env()
    overrides = {
        name: value
        for name, value in (
            ("seed", seed),
            ("scale", scale),
            ("anchor", anchor),
            ("api_key", api_key),
            ("rate_limit_rpm", rate_limit_rpm),
        )
        if value is not None
    }
    config = dataclasses.replace(config, **overrides)
    simulator = Simulator(config)
    simulator.start(port)
    limit = f"{config.rate_limit_rpm} requests/min" if config.rate_limit_rpm else "no rate limit"
    print(
        f"casb-pipeline simulator: seed {config.seed}, scale {config.scale}, data "
        f"{simulator.first_day}..{simulator.last_day}, {limit}, serving {simulator.base_url} "
        "(accepts the key given by --api-key, or the documented default); Ctrl-C stops it",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("casb-pipeline simulator: stopped", file=sys.stderr)
    finally:
        simulator.stop()
    return 0
