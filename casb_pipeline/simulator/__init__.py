"""The embedded Compliance API simulator: a seeded synthetic Claude Enterprise
tenant served over HTTP on 127.0.0.1, with planted sensitive values and the
answer key that lists them.

``DEFAULT_API_KEY`` is the documented key the simulator accepts unless
another one is configured (``--api-key``); ``DEFAULT_ADMIN_KEY`` reaches the
activity feed only. Neither is a secret, and neither is ever printed.
"""

from casb_pipeline.simulator.config import (
    ALL_SCOPES,
    DEFAULT_ADMIN_KEY,
    DEFAULT_API_KEY,
    SimulatorConfig,
)
from casb_pipeline.simulator.faults import FaultPlan
from casb_pipeline.simulator.planted import AnswerKey, PlantedValue
from casb_pipeline.simulator.simulator import Simulator, SimulatorError, answer_key

__all__ = [
    "ALL_SCOPES",
    "DEFAULT_ADMIN_KEY",
    "DEFAULT_API_KEY",
    "AnswerKey",
    "FaultPlan",
    "PlantedValue",
    "Simulator",
    "SimulatorConfig",
    "SimulatorError",
    "answer_key",
]
