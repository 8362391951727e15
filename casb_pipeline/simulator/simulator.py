"""The embedded Compliance API: a seeded synthetic organization behind a real HTTP server."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from casb_pipeline.errors import CasbError
from casb_pipeline.simulator.answers import build_answer_key
from casb_pipeline.simulator.config import (
    ADMIN_KEY_PREFIX,
    ALL_SCOPES,
    COMPLIANCE_KEY_PREFIX,
    DEFAULT_ADMIN_KEY,
    SCOPE_ACTIVITIES,
    SimulatorConfig,
)
from casb_pipeline.simulator.faults import FaultPlan
from casb_pipeline.simulator.planted import AnswerKey
from casb_pipeline.simulator.ratelimit import RateLimiter
from casb_pipeline.simulator.server import HttpServer, ServerState
from casb_pipeline.simulator.store import Store

STREAMS = (
    "organizations",
    "users",
    "chats",
    "chat_messages",
    "chat_files",
    "generated_files",
    "artifacts",
    "projects",
    "project_attachments",
    "project_documents",
    "activities",
)


class SimulatorError(CasbError):
    """The simulator was used wrongly (not started, unknown stream, bad key...)."""


class Simulator:
    """Start with :meth:`start` (or ``with Simulator(...) as sim``); talk to ``base_url``."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self._store = Store(self.config)
        keys = {
            self.config.api_key: frozenset(ALL_SCOPES),
            DEFAULT_ADMIN_KEY: frozenset({SCOPE_ACTIVITIES}),
        }
        self._state = ServerState(self._store, keys, RateLimiter(self.config.rate_limit_rpm))
        self._server: HttpServer | None = None
        self.api_key = self.config.api_key
        self.first_day: date = self._store.world.first_day
        self.last_day: date = self._store.world.last_day

    def __repr__(self) -> str:
        where = f"port={self._server.port}" if self._server is not None else "stopped"
        return f"Simulator(seed={self.config.seed}, scale={self.config.scale!r}, {where})"

    # --- lifecycle ------------------------------------------------------------------

    def start(self, port: int = 0) -> None:
        if self._server is not None:
            raise SimulatorError("the simulator is already serving")
        try:
            self._server = HttpServer(self._state, port)
        except OSError as error:
            raise SimulatorError(f"cannot listen on 127.0.0.1:{port}: {error.strerror}") from None

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def __enter__(self) -> Simulator:
        self.start(0)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise SimulatorError("the simulator is not serving: call start() first")
        return self._server.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def faults(self) -> FaultPlan:
        return self._state.faults

    # --- accounting and knobs -----------------------------------------------------------

    def request_counts(self) -> dict[str, int]:
        with self._state.counts_lock:
            return dict(self._state.counts)

    def reset_counts(self) -> None:
        with self._state.counts_lock:
            self._state.counts.clear()

    def add_key(self, key: str, scopes: Iterable[str]) -> None:
        granted = frozenset(scopes)
        unknown = granted - ALL_SCOPES
        if unknown:
            raise SimulatorError(f"unknown scope(s) {sorted(unknown)}: use {sorted(ALL_SCOPES)}")
        if not key.startswith((COMPLIANCE_KEY_PREFIX, ADMIN_KEY_PREFIX)):
            raise SimulatorError(
                f"a key must start with {COMPLIANCE_KEY_PREFIX!r} or {ADMIN_KEY_PREFIX!r}"
            )
        self._state.keys[key] = granted

    def set_rate_limit(self, rpm: int) -> None:
        self._state.limiter.set(rpm)

    # --- mutations ---------------------------------------------------------------------

    def add_chats(self, count: int, *, at: datetime | None = None) -> list[str]:
        return self._store.add_chats(count, at)

    def append_message(self, chat_id: str, text: str, *, at: datetime | None = None) -> str:
        return self._store.append_message(chat_id, text, at)

    def update_project(
        self,
        project_id: str,
        *,
        description: str | None = None,
        is_private: bool | None = None,
        at: datetime | None = None,
    ) -> None:
        self._store.update_project(project_id, description, is_private, at)

    def user_delete_chat(self, chat_id: str, *, at: datetime | None = None) -> None:
        self._store.user_delete_chat(chat_id, at)

    def user_delete_project(self, project_id: str, *, at: datetime | None = None) -> None:
        self._store.user_delete_project(project_id, at)

    # --- what a complete extraction must find -----------------------------------------------

    def expected_ids(self, stream: str) -> set[str]:
        """Ids currently served for ``stream`` (names of the lake's streams)."""
        if stream not in STREAMS:
            raise SimulatorError(f"unknown stream {stream!r}: use one of {', '.join(STREAMS)}")
        return _visible_ids(self._store, stream, self._store.now())


def _visible_ids(store: Store, stream: str, now: int) -> set[str]:
    world = store.world
    if stream == "organizations":
        return {org.uuid for org in world.orgs}
    if stream == "users":
        return {user.id for user in world.users}
    if stream == "activities":
        feed = store.activities
        return {world.codec.activity_id(key) for key in feed.keys if key >> 32 <= now}
    if stream in ("projects", "project_attachments", "project_documents"):
        projects = [p for p in world.projects if store.project_visible(p, now)]
        if stream == "projects":
            return {p.id for p in projects}
        items = [item for p in projects for item in store.project_items(p, now)]
        if stream == "project_documents":
            return {item.id for item in items if item.kind == "project_doc"}
        return {item.id for item in items}
    ids: set[str] = set()
    with store.lock:
        chats = [i for i in range(len(world.chats)) if store.chat_visible(i, now)]
    for index in chats:
        if stream == "chats":
            ids.add(world.chat_id(index))
            continue
        chat = store.chat_content(index)
        messages = [m for m in chat.messages if m.created <= now]
        if stream == "chat_messages":
            ids.update(m.id for m in messages)
        elif not store.user_deleted(index, now):
            if stream == "chat_files":
                ids.update(f for m in messages for f in m.files if f not in store.deleted_files)
            elif stream == "generated_files":
                ids.update(f for m in messages for f in m.generated)
            else:
                ids.update(version for m in messages for _, version in m.artifacts)
    return ids


def answer_key(seed: int = 7, scale: str = "small", anchor: date | None = None) -> AnswerKey:
    """Every planted value and decoy of the organization (seed, scale, anchor) as generated.

    Values in records whose time is after the current clock are listed too
    (they are served once that time has passed); mutations are not reflected.
    """
    return build_answer_key(SimulatorConfig(seed=seed, scale=scale, anchor=anchor))
