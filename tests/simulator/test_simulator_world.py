"""Determinism, the live clock, size presets and memory, and the serve command."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime

import httpx
import psutil
from conftest import ANCHOR, api_client, walk_cursor

from casb_pipeline.simulator import DEFAULT_API_KEY, Simulator, SimulatorConfig
from casb_pipeline.simulator.store import Store


def _snapshot(seed: int) -> list[object]:
    """Chats, one chat's messages and one file's bytes, fetched over HTTP."""
    config = SimulatorConfig(seed=seed, anchor=ANCHOR, rate_limit_rpm=0)
    with Simulator(config) as sim, api_client(sim) as http:
        chats = walk_cursor(http, "/apps/chats", {"limit": 1000})
        messages = http.get(f"/apps/chats/{chats[0]['id']}/messages").json()
        file_id = sorted(sim.expected_ids("chat_files"))[0]
        content = http.get(f"/apps/chats/files/{file_id}/content").content
        feed = http.get("/activities", params={"limit": 50}).json()
    return [chats, messages, content, feed]


def test_same_seed_same_data_and_different_seed_different_data() -> None:
    first, again, other = _snapshot(11), _snapshot(11), _snapshot(12)
    assert first == again
    assert first[0] != other[0] and first[2] != other[2] and first[3] != other[3]


def test_nothing_is_served_from_after_the_clock() -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with Simulator(SimulatorConfig(rate_limit_rpm=0)) as sim, api_client(sim) as http:
        assert sim.last_day == datetime.now(UTC).date()
        chats = walk_cursor(http, "/apps/chats", {"order_by": "updated_at", "limit": 1000})
        feed = walk_cursor(http, "/activities", {"limit": 5000})
    assert chats and feed
    assert max(c["updated_at"] for c in chats) <= now
    assert max(a["created_at"] for a in feed) <= now


def test_presets_are_the_documented_sizes() -> None:
    small = Store(SimulatorConfig(scale="small", anchor=ANCHOR)).world
    medium = Store(SimulatorConfig(scale="medium", anchor=ANCHOR)).world
    for world, days, users, messages in ((small, 14, 25, 800), (medium, 60, 150, 20_000)):
        assert (world.last_day - world.first_day).days + 1 == days
        assert len(world.users) == users
        assert 0.8 * messages <= 2 * sum(world.chats.turns) <= 1.2 * messages
        assert 2 <= len(world.orgs) <= 3


def test_large_preset_keeps_memory_small() -> None:
    gc.collect()
    process = psutil.Process()
    before = process.memory_info().rss
    store = Store(SimulatorConfig(scale="large", anchor=ANCHOR))
    grown = process.memory_info().rss - before
    assert 2 * sum(store.world.chats.turns) > 900_000
    assert grown < 400 * 1024 * 1024, f"{grown / 2**20:.0f} MiB"
    content = store.chat_content(len(store.world.chats) - 1)
    assert content.messages


def test_config_from_env_and_repr_hides_the_key() -> None:
    config = SimulatorConfig.from_env(
        {"CASB_SIM_SEED": "3", "CASB_SIM_SCALE": "medium", "CASB_SIM_ANCHOR": "2026-01-31"}
    )
    assert (config.seed, config.scale, config.anchor) == (3, "medium", date(2026, 1, 31))
    assert DEFAULT_API_KEY not in repr(config)


def test_serve_command_prints_the_url_but_not_the_key() -> None:
    env = {**os.environ, "CASB_SIM_ANCHOR": "2026-03-01"}
    command = [
        sys.executable,
        "-m",
        "casb_pipeline.cli",
        "simulator",
        "serve",
        "--rate-limit-rpm",
        "0",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        line = process.stdout.readline()
        url = next(word for word in line.split() if word.startswith("http://127.0.0.1:"))
        headers = {"x-api-key": DEFAULT_API_KEY}
        response = httpx.get(url + "/v1/compliance/organizations", headers=headers, timeout=10)
        assert response.status_code == 200
        assert "documented default" in line and "2026-02-16..2026-03-01" in line
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert DEFAULT_API_KEY not in line + out + err
