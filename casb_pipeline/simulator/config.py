"""The simulator's settings: seed, size preset, last day of data, key and rate limit."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from casb_pipeline.config import Settings
from casb_pipeline.errors import CasbError

# Documented, not secret: the keys the embedded simulator accepts out of the box.
# They are still never printed or logged.
DEFAULT_API_KEY = "sk-ant-api01-CasbSimulatorDefaultComplianceKey0000000000000000000000-AA"
DEFAULT_ADMIN_KEY = "sk-ant-admin01-CasbSimulatorDefaultAdminKey000000000000000000000000-AA"

SCOPE_ACTIVITIES = "read:compliance_activities"
SCOPE_USER_DATA = "read:compliance_user_data"
SCOPE_DELETE = "delete:compliance_user_data"
SCOPE_ORG_DATA = "read:compliance_org_data"
SCOPE_AUDIT = "read:org_audit"
ALL_SCOPES: frozenset[str] = frozenset(
    {SCOPE_ACTIVITIES, SCOPE_USER_DATA, SCOPE_DELETE, SCOPE_ORG_DATA, SCOPE_AUDIT}
)
COMPLIANCE_KEY_PREFIX = "sk-ant-api01-"
ADMIN_KEY_PREFIX = "sk-ant-admin01-"
DOCUMENTED_RATE_LIMIT_RPM = 600


class SimulatorConfigError(CasbError):
    """A simulator setting is out of range; the message names it."""


@dataclass(frozen=True)
class ScaleSpec:
    """How big a preset is. Message count follows from chats x turns x 2."""

    days: int
    users: int
    chats: int
    projects: int
    mean_turns: float


SCALES: dict[str, ScaleSpec] = {
    "small": ScaleSpec(days=14, users=25, chats=150, projects=8, mean_turns=2.7),
    "medium": ScaleSpec(days=60, users=150, chats=3_700, projects=40, mean_turns=2.7),
    "large": ScaleSpec(days=180, users=1_500, chats=185_000, projects=400, mean_turns=2.7),
}


def today_utc() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class SimulatorConfig:
    """What the synthetic organization looks like and how the server behaves."""

    seed: int = 7
    scale: str = "small"
    anchor: date | None = None
    api_key: str = DEFAULT_API_KEY
    rate_limit_rpm: int = DOCUMENTED_RATE_LIMIT_RPM

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise SimulatorConfigError(
                f"simulator scale {self.scale!r} is unknown: use small, medium or large"
            )
        if self.seed < 0:
            raise SimulatorConfigError(f"simulator seed {self.seed} must be 0 or more")
        if self.rate_limit_rpm < 0:
            raise SimulatorConfigError(
                f"simulator rate limit {self.rate_limit_rpm} must be 0 (off) or more"
            )
        if not self.api_key.startswith(COMPLIANCE_KEY_PREFIX):
            raise SimulatorConfigError(
                f"the simulator's API key must start with {COMPLIANCE_KEY_PREFIX!r}"
            )

    def __repr__(self) -> str:
        return (
            f"SimulatorConfig(seed={self.seed}, scale={self.scale!r}, anchor={self.anchor!r}, "
            f"api_key='***', rate_limit_rpm={self.rate_limit_rpm})"
        )

    @property
    def spec(self) -> ScaleSpec:
        return SCALES[self.scale]

    @property
    def last_day(self) -> date:
        return self.anchor or today_utc()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SimulatorConfig:
        """Seed, scale and anchor from ``CASB_SIM_SEED``/``CASB_SIM_SCALE``/``CASB_SIM_ANCHOR``."""
        settings = Settings.from_env(os.environ if env is None else env)
        return cls(seed=settings.sim_seed, scale=settings.sim_scale, anchor=settings.sim_anchor)
