"""Settings from the documented environment variables (README, "Configuration")."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casb_pipeline.errors import CasbError

DEFAULT_API_BASE_URL = "https://api.anthropic.com"
DEFAULT_RATE_LIMIT_RPM = 480
DEFAULT_START_DATE_WITH_KEY = date(2025, 8, 1)


class ConfigError(CasbError):
    """A setting is missing or malformed; the message names the variable."""


class Secret:
    """A string that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and secrets.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(("Secret", len(self._value)))


def _parse_date(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a date: use YYYY-MM-DD") from None


def _parse_int(name: str, raw: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    return value


@dataclass(frozen=True)
class Settings:
    """Every knob of a run. Build with :meth:`from_env`; never edit constants."""

    data_dir: Path
    api_base_url: str
    api_key: Secret | None
    start_date: date | None
    rate_limit_rpm: int
    fingerprint_key: Secret | None
    sim_seed: int
    sim_scale: str
    sim_anchor: date | None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        key = env.get("ANTHROPIC_COMPLIANCE_ACCESS_KEY", "").strip()
        fp_key = env.get("CASB_FINGERPRINT_KEY", "")
        scale = env.get("CASB_SIM_SCALE", "small")
        if scale not in ("small", "medium", "large"):
            raise ConfigError(f"CASB_SIM_SCALE={scale!r}: use small, medium or large")
        start = env.get("CASB_START_DATE")
        anchor = env.get("CASB_SIM_ANCHOR")
        return cls(
            data_dir=Path(env.get("CASB_DATA_DIR", "./data")).expanduser().resolve(),
            api_base_url=env.get("CASB_API_BASE_URL", DEFAULT_API_BASE_URL).rstrip("/"),
            api_key=Secret(key) if key else None,
            start_date=_parse_date("CASB_START_DATE", start) if start else None,
            rate_limit_rpm=_parse_int(
                "CASB_RATE_LIMIT_RPM",
                env.get("CASB_RATE_LIMIT_RPM", str(DEFAULT_RATE_LIMIT_RPM)),
                minimum=0,
            ),
            fingerprint_key=Secret(fp_key) if fp_key else None,
            sim_seed=_parse_int("CASB_SIM_SEED", env.get("CASB_SIM_SEED", "7"), minimum=0),
            sim_scale=scale,
            sim_anchor=_parse_date("CASB_SIM_ANCHOR", anchor) if anchor else None,
        )


@dataclass(frozen=True)
class DataPaths:
    """Where everything lives under ``CASB_DATA_DIR``."""

    root: Path

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def blobs(self) -> Path:
        return self.root / "blobs"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    @property
    def fingerprint_key_file(self) -> Path:
        return self.root / "fingerprint.key"

    @property
    def start_date_file(self) -> Path:
        return self.root / "start_date"

    @property
    def api_source_file(self) -> Path:
        return self.root / "api_source"


def ensure_private_dir(path: Path) -> Path:
    """Make ``path`` owner-only (0700), creating it and any missing parent owner-only too
    (raw content lives below it); parents that already exist are left as they are."""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
    path.chmod(0o700)
    return path


def fingerprint_key(settings: Settings) -> bytes:
    """The HMAC key for fingerprints and EDM digests.

    ``CASB_FINGERPRINT_KEY`` wins; otherwise a random key is generated once and
    stored 0600 in the data dir, so fingerprints stay stable across runs.
    """
    if settings.fingerprint_key:
        return settings.fingerprint_key.reveal().encode()
    path = DataPaths(settings.data_dir).fingerprint_key_file
    if not path.exists():
        ensure_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def resolve_start_date(settings: Settings, default: date) -> date:
    """The first daily partition, pinned in the data dir at the first run."""
    path = DataPaths(settings.data_dir).start_date_file
    if path.exists():
        return _parse_date(str(path), path.read_text().strip())
    chosen = settings.start_date or default
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(chosen.isoformat() + "\n")
    return chosen


def check_api_source(data_dir: Path, source: str) -> None:
    """Refuse to add data from ``source`` (an API root, or the embedded simulator) to a
    data dir whose data came from another one: their rows would mix."""
    path = DataPaths(data_dir).api_source_file
    recorded = path.read_text().strip() if path.exists() else ""
    if recorded and recorded != source:
        raise ConfigError(
            f"the data dir {data_dir} holds data from {recorded}, and this run would add "
            f"data from {source}: set CASB_DATA_DIR to another folder for it, or remove "
            f"{data_dir} to start over"
        )


def record_api_source(data_dir: Path, source: str) -> None:
    """Note in the data dir where its data comes from, once (never the key)."""
    path = DataPaths(data_dir).api_source_file
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(source + "\n")


def start_date_ignored(settings: Settings, pinned: date) -> str | None:
    """A warning when ``CASB_START_DATE`` asks for another first day than the pinned one."""
    if settings.start_date is None or settings.start_date == pinned:
        return None
    pin = DataPaths(settings.data_dir).start_date_file
    return (
        f"CASB_START_DATE={settings.start_date} is ignored: this data dir's partitions start "
        f"on {pinned}, pinned in {pin} at its first run (use another CASB_DATA_DIR to start "
        "elsewhere)"
    )
